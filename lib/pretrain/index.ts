export { maskSequence, maskBatch } from "./masking";
export type { MaskingOptions, MaskedSequence, MaskedBatch } from "./masking";
export { mlmTensors, maskedLogits, mlmLoss, evaluateMlm } from "./mlm";
export type { MlmBatchTensors, MlmMetrics } from "./mlm";
export { tokenStream, splitStream, randomWindows, consecutiveWindows, requireId } from "./corpus";
export type { CorpusSplit } from "./corpus";
export { mlmTask, maskingOptionsFor } from "./mlm-task";
export type { MlmTaskOptions } from "./mlm-task";
