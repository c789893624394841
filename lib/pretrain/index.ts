export { maskSequence, maskBatch } from "./masking";
export type { MaskingOptions, MaskedSequence, MaskedBatch } from "./masking";
export { mlmTensors, maskedLogits, mlmLoss, evaluateMlm } from "./mlm";
export type { MlmBatchTensors, MlmMetrics } from "./mlm";
