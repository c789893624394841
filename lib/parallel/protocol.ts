/**
 * The messages between the main thread and its data-parallel workers (structured-cloned; SharedArrayBuffers
 * travel by reference). Requests carry an `id`; a worker answers each request, in order, with the same `id`.
 */
import type { RngState } from "../core/rng";
import type { BackendChoice } from "../core/backend";
import type { SharedBuffers } from "./shared-memory";

/** What every worker starts with (`workerData`). */
export interface WorkerSetup {
  index: number;
  workers: number;
  taskPath: string;
  config: unknown;
  backend: BackendChoice;
  /** The stream every replica builds its model from (so replicas start identical). */
  initRng: RngState;
  adamw: { beta1: number; beta2: number; epsilon: number; weightDecay: number };
}

/** Milliseconds a worker spent in each phase of one step. */
export interface WorkerTiming {
  /** Forward + backward + copying the gradients out (`labelCount`, `lossFn`, `variableGrads`, reads). */
  computeMs: number;
  /** Blocked in the two barriers: waiting for slower workers (load imbalance) and for the reduction. */
  waitMs: number;
  /** Weighted sum of this worker's slice of the gradients (reduce-scatter). */
  reduceMs: number;
  /** Gradients into tensors, global norm and clipping, AdamW, disposal. */
  updateMs: number;
  /**
   * CPU time this worker's thread used during the step (Linux `/proc/thread-self/schedstat`; NaN elsewhere).
   * Unlike wall time it does not grow when other processes share the cores, so it measures the work itself.
   */
  cpuMs: number;
}

export type Request =
  | { id: number; type: "buffers"; buffers: SharedBuffers }
  | { id: number; type: "step"; shard: unknown; rng: RngState; lr: number; clipNorm: number }
  | { id: number; type: "params" }
  | { id: number; type: "load"; names: string[]; values: Float32Array[] }
  | { id: number; type: "memory" }
  | { id: number; type: "close" };

export type Reply =
  | { id: number; type: "layout"; entries: { name: string; shape: number[] }[]; backend: string }
  | { id: number; type: "ok" }
  | { id: number; type: "stepped"; loss: number; labelCount: number; gradNorm: number; timing: WorkerTiming }
  | { id: number; type: "params"; names: string[]; shapes: number[][]; values: Float32Array[] }
  | { id: number; type: "memory"; numTensors: number; numBytes: number }
  | { id: number; type: "error"; message: string; stack: string; aborted: boolean };
