// Parameter-efficient fine-tuning: one method per file over a frozen BERT, in Hugging Face peft's file format.
export * from "./method";
export * from "./targets";
export * from "./lora";
export * from "./adalora";
export * from "./ia3";
export * from "./prompt-tuning";
export * from "./prefix-tuning";
export * from "./bottleneck";
export * from "./peft-model";
export * from "./create";
export * from "./registry";
export * from "./files";
export * from "./methods";
export * from "./efficiency";
export * from "./scoreboard";
