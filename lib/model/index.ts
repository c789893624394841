export { BERT_TINY, BERT_MINI, BERT_SMALL, BERT_BASE, BERT_PRESETS, bertConfig, configToHf, configFromHf, validateConfig } from "./config";
export type { BertConfig, BertPreset } from "./config";
export { BertModel, parameterShapes } from "./bert";
export type { BertInputs, BertEncodeOptions } from "./bert";
export { generate, pickToken } from "./generate";
export type { GenerateOptions } from "./generate";
export { fillMask } from "./fill-mask";
export type { FillMaskResult } from "./fill-mask";
export { trainingFlopsPerToken, mfu } from "./flops";
