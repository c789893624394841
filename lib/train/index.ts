export { AdamW, decaysByDefault } from "./adamw";
export type { AdamWOptions } from "./adamw";
export { linearWarmupDecay } from "./schedule";
export { clipByGlobalNorm } from "./clip";
export { valueAndGrads } from "./grads";
