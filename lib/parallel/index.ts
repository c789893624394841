export { DataParallelTrainer, initRng } from "./data-parallel";
export type { DataParallelOptions, StepOptions, StepResult, ParamSnapshot } from "./data-parallel";
export { splitBatch } from "./shard";
export { shardWeights, taskFromModule } from "./task";
export type { ParallelTask } from "./task";
export { paramLayout, reduceSlice, sliceOf, barrier } from "./shared-memory";
export type { ParamLayout } from "./shared-memory";
export type { WorkerTiming } from "./protocol";
export { threadCpuMs } from "./cpu-time";
