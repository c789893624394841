// Compression and acceleration: magnitude and structured pruning, knowledge distillation, weight averaging and
// ensembles, and the scoreboard that compares them with the ONNX / int8 exports.
export * from "./classifier";
export * from "./magnitude";
export * from "./compact-bert";
export * from "./structured";
export * from "./distill";
export * from "./fusion";
export * from "./scoreboard";
export * from "./transformers-js";
