export { AdamW, decaysByDefault } from "./adamw";
export type { AdamWOptions } from "./adamw";
export { linearWarmupDecay, budgetWarmupDecay } from "./schedule";
export { clipByGlobalNorm } from "./clip";
export { valueAndGrads } from "./grads";
export { train } from "./trainer";
export type { TrainingTask, TrainOptions, StepRecord, TrainResult } from "./trainer";
export { saveTrainState, loadTrainState, findTrainState } from "./train-state";
export type { TrainState } from "./train-state";
