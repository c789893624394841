// ONNX export (transformers.js folder layout), int8 quantisation, and an onnxruntime runner.
export * from "./onnx-graph";
export * from "./int8";
export * from "./bert-onnx";
export * from "./export";
export * from "./onnx-runtime";
export * from "./checkpoint";
export * from "./inference-bench";
