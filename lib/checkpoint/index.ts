export { SAFETENSORS_DTYPES, encodeSafetensors, decodeSafetensors, parseSafetensorsHeader, readSafetensors, writeSafetensors, halfToFloat } from "./safetensors";
export type { SafetensorsDtype, SafetensorsInput, SafetensorsTensor, SafetensorsFile, SafetensorsHeaderEntry } from "./safetensors";
export { saveBertCheckpoint, loadBertCheckpoint, bertStateDict, isLinearWeight, transpose2d, TOKENIZER_FILES } from "./hf-bert";
export type { SaveBertOptions, LoadBertOptions, CheckpointReport } from "./hf-bert";
