/**
 * The shared memory of one data-parallel run and the two primitives that use it: a barrier (Atomics) and the
 * weighted gradient reduction. Layout, for `N` workers and `P` parameters in total:
 *
 *   grads    Float32Array [N·P]   worker i writes its shard's mean gradient to [i·P, (i+1)·P)
 *   reduced  Float32Array [P]     Σᵢ wᵢ·gradsᵢ; worker i computes the i-th of N slices (reduce-scatter)
 *   counts   Float64Array [N]     worker i's label count nᵢ (the weights are nᵢ/Σn)
 *   norms    Float64Array [N]     worker i's Σ reduced² over its slice (the global gradient norm, for clipping)
 *   control  Int32Array   [4]     barrier arrivals, barrier generation, abort flag, index of the failed worker
 *
 * Every element of `reduced` is written by exactly one worker and read by all, so every replica applies
 * bit-identical gradients, and (same code, same backend) keeps bit-identical parameters.
 */

/** Name, shape and offset (in floats) of each parameter in the flat buffers, in `createModel` order. */
export interface ParamLayout {
  names: string[];
  shapes: number[][];
  offsets: number[];
  /** Total floats, `P`. */
  size: number;
}

/** The layout of parameters with these names and shapes, packed back to back. */
export function paramLayout(entries: readonly { name: string; shape: number[] }[]): ParamLayout {
  const names: string[] = [], shapes: number[][] = [], offsets: number[] = [];
  let size = 0;
  for (const { name, shape } of entries) {
    names.push(name);
    shapes.push([...shape]);
    offsets.push(size);
    size += shape.reduce((a, b) => a * b, 1);
  }
  return { names, shapes, offsets, size };
}

/** The SharedArrayBuffers of a run (structured-cloned to workers without copying their contents). */
export interface SharedBuffers {
  grads: SharedArrayBuffer;
  reduced: SharedArrayBuffer;
  counts: SharedArrayBuffer;
  norms: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** Zeroed shared buffers for `workers` workers and `size` parameters in total (the layout above). */
export function allocateShared(workers: number, size: number): SharedBuffers {
  return {
    grads: new SharedArrayBuffer(workers * size * 4),
    reduced: new SharedArrayBuffer(size * 4),
    counts: new SharedArrayBuffer(workers * 8),
    norms: new SharedArrayBuffer(workers * 8),
    control: new SharedArrayBuffer(4 * 4),
  };
}

const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;
const FAILED = 3;

/** Thrown in a worker whose barrier was broken because another worker failed. */
export class BarrierAborted extends Error {
  constructor(readonly failedWorker: number) {
    super(`aborted: worker ${failedWorker} failed`);
  }
}

/**
 * Blocks until all `parties` threads have called it for this generation (a generation-counting barrier);
 * returns the milliseconds spent waiting. Throws `BarrierAborted` when `abortBarrier` was called.
 */
export function barrier(control: Int32Array, parties: number): number {
  const start = performance.now();
  if (Atomics.load(control, ABORT) !== 0) throw new BarrierAborted(Atomics.load(control, FAILED));
  const generation = Atomics.load(control, GENERATION); // read before arriving: the last arrival bumps it
  if (Atomics.add(control, ARRIVED, 1) === parties - 1) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    return 0;
  }
  while (Atomics.load(control, GENERATION) === generation) {
    if (Atomics.load(control, ABORT) !== 0) throw new BarrierAborted(Atomics.load(control, FAILED));
    Atomics.wait(control, GENERATION, generation, 1000); // the timeout only re-checks the abort flag
  }
  return performance.now() - start;
}

/** Breaks the barrier for good: every thread waiting in it, or arriving later, throws `BarrierAborted`. */
export function abortBarrier(control: Int32Array, failedWorker: number): void {
  if (Atomics.compareExchange(control, ABORT, 0, 1) === 0) Atomics.store(control, FAILED, failedWorker);
  Atomics.notify(control, GENERATION);
}

/**
 * `reduced[j] = Σᵢ weights[i]·grads[i·size + j]` for `j` in `[start, end)` (sum in float64, in worker order, so
 * the result does not depend on which thread computes it). Writes `reduced`; returns `Σⱼ reduced[j]²` over the
 * slice (for the global gradient norm).
 */
export function reduceSlice(grads: Float32Array, reduced: Float32Array, weights: readonly number[], size: number, start: number, end: number): number {
  const n = weights.length;
  let squares = 0;
  if (n === 2) {
    // the common case, unrolled
    const w0 = weights[0] as number, w1 = weights[1] as number;
    for (let j = start; j < end; j++) {
      const value = Math.fround(w0 * (grads[j] as number) + w1 * (grads[size + j] as number));
      reduced[j] = value;
      squares += value * value;
    }
    return squares;
  }
  for (let j = start; j < end; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (weights[i] as number) * (grads[i * size + j] as number);
    const value = Math.fround(sum);
    reduced[j] = value;
    squares += value * value;
  }
  return squares;
}

/** The `[start, end)` slice of `size` elements that worker `index` of `workers` reduces. */
export function sliceOf(index: number, workers: number, size: number): [number, number] {
  const chunk = Math.ceil(size / workers);
  return [Math.min(size, index * chunk), Math.min(size, (index + 1) * chunk)];
}
