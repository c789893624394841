export { linear, layerNorm, gelu, dropout } from "./layers";
export { multiHeadAttention } from "./attention";
export type { AttentionWeights, AttentionOptions, AttentionProjection } from "./attention";
export { crossEntropy, IGNORE_INDEX } from "./loss";
export { normalVariable, constantVariable, param, disposeParams, countParams } from "./params";
export type { Params } from "./params";
export { initEncoderLayer, encoderLayer } from "./encoder-layer";
export type { EncoderLayerConfig, EncoderLayerInputs, EncoderHooks } from "./encoder-layer";
