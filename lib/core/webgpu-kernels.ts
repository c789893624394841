export function registerWebGpuTrainingKernels(): void {}
