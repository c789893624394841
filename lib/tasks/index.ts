// Fine-tuning: task heads, label alignment, dynamic-padding batches, the fine-tuning loop, the task registry and runner.
export * from "./label-alignment";
export * from "./batching";
export * from "./heads";
export * from "./loss";
export * from "./predict";
export * from "./finetune";
export * from "./registry";
export * from "./base-model";
export * from "./outputs";
export * from "./run";
export * from "./checkpoint";
