export { initBackend, backendReport, describeBackend } from "./backend";
export { courseMode } from "./mode";
export type { CourseMode } from "./mode";
export type { BackendReport, BackendOptions, BackendName, BackendChoice, GpuChoice } from "./backend";
export { registerWasmTrainingKernels } from "./wasm-kernels";
export { measureMatmul } from "./matmul-benchmark";
export type { MatmulMeasurement } from "./matmul-benchmark";
export { Rng } from "./rng";
export type { RngState } from "./rng";
