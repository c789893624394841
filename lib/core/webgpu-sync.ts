/**
 * Synchronous reads (`dataSync`, `arraySync`) on tfjs's webgpu backend in Node. In a browser, tfjs 4.22 reads a
 * GPU buffer synchronously by drawing it onto an `OffscreenCanvas`; Node has none, so every `dataSync()` — the
 * course's trainers read each step's loss that way — threw `OffscreenCanvas is not defined`.
 *
 * Dawn's Node binding finishes a `mapAsync` in `Instance::ProcessEvents`, which it schedules through the global
 * `setImmediate` with a native callback. `hookDawnEvents` (installed when the webgpu backend starts, before it
 * opens a device) notes those callbacks and still schedules them; `mapSync` runs them itself until the buffer is
 * mapped — the readback a browser would wait for, without returning to the event loop. A callback run early is
 * skipped when its turn comes.
 */
import * as tf from "@tensorflow/tfjs";

/** Dawn's pending `ProcessEvents` callbacks (each runs once: here or from the event loop). */
const pending = new Set<() => void>();
let hooked = false;

/** Wraps `globalThis.setImmediate` to note Dawn's native callbacks. Idempotent; other callers are untouched. */
export function hookDawnEvents(): void {
  if (hooked) return;
  hooked = true;
  const original = globalThis.setImmediate;
  const isNative = (fn: unknown): fn is () => void => typeof fn === "function" && fn.name === "" && /\{ \[native code\] \}$/.test(Function.prototype.toString.call(fn));
  // any: setImmediate's overloads (promisify's custom symbol) are not ours to retype.
  const hooked_ = function (this: unknown, callback: (...args: unknown[]) => void, ...args: unknown[]) {
    if (args.length === 0 && isNative(callback)) {
      pending.add(callback);
      return original(() => {
        if (pending.delete(callback)) callback();
      });
    }
    return original(callback, ...args);
  } as any;
  Object.assign(hooked_, original);
  globalThis.setImmediate = hooked_;
}

/** A GPUBuffer as far as mapping goes. */
interface MappableBuffer {
  mapAsync(mode: number): Promise<void>;
  readonly mapState: string;
}

/**
 * Maps `buffer` for reading and returns once it is mapped, running Dawn's event processing in place.
 * @throws after `timeoutMs` (a lost device, a hung driver) naming the way out: `await tensor.data()`
 */
export function mapSync(buffer: MappableBuffer, mode: number, timeoutMs = 120_000): void {
  let failure: unknown;
  buffer.mapAsync(mode).catch((error: unknown) => (failure = error));
  const start = Date.now();
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (let spin = 0; buffer.mapState !== "mapped"; spin++) {
    if (failure !== undefined || buffer.mapState === "unmapped") throw new Error(`webgpu: mapping a buffer for a synchronous read failed (${String(failure ?? "unmapped")}); use \`await tensor.data()\``);
    if (Date.now() - start > timeoutMs) throw new Error(`webgpu: a synchronous read waited ${timeoutMs} ms for the GPU; use \`await tensor.data()\``);
    const callbacks = [...pending];
    pending.clear();
    for (const callback of callbacks) callback();
    if (callbacks.length === 0 || spin > 10) Atomics.wait(nap, 0, 0, spin > 1000 ? 1 : 0.05); // the GPU is still at work
  }
}

/**
 * Notes the device's uncaptured errors (an invalid pipeline, an out-of-memory buffer): Dawn only prints them, and
 * the values read afterwards are garbage. The returned check throws the first one, once, at the next read.
 */
function watchErrors(device: { addEventListener?(type: string, listener: (event: { error?: { message?: string } }) => void): void }): () => void {
  const errors: string[] = [];
  device.addEventListener?.("uncapturederror", (event) => errors.push(event.error?.message ?? "unknown GPU error"));
  return () => {
    if (errors.length === 0) return;
    const first = (errors[0] ?? "").split("\n").slice(0, 2).join(" ");
    const count = errors.length;
    errors.length = 0;
    throw new Error(`webgpu: the GPU rejected ${count} command${count === 1 ? "" : "s"} before this read, so the values are not valid: ${first}`);
  };
}

// any: WebGPUBackend's buffers, tensor map and command encoder are internals its .d.ts keeps private.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Gives a WebGPUBackend instance a `readSync` that works in Node: the same copy to a staging buffer as its async
 * `read`, then `mapSync`. Complex tensors read their two parts; strings and cached values return as before.
 */
export function patchReadSync(backend: tf.KernelBackend): void {
  const b = backend as any;
  const check = watchErrors(b.device);
  const read = b.read.bind(b);
  b.read = async (dataId: tf.DataId) => {
    const values = await read(dataId);
    check();
    return values;
  };
  b.readSync = function readSync(dataId: tf.DataId): tf.BackendValues {
    const data = b.tensorMap.get(dataId);
    if (data.values != null || data.dtype === "string") return data.values;
    if (data.dtype === "complex64") {
      const real = readSync(data.complexTensorInfos.real.dataId) as Float32Array;
      const imag = readSync(data.complexTensorInfos.imag.dataId) as Float32Array;
      return b.convertAndCacheOnCPU(dataId, tf.backend_util.mergeRealAndImagArrays(real, imag));
    }
    const usage = (globalThis as any).GPUBufferUsage;
    const size = data.resource.size as number;
    const staging = b.bufferManager.acquireBuffer(size, usage.COPY_DST | usage.MAP_READ);
    b.ensureCommandEncoderReady();
    b.endComputePassEncoder();
    b.commandEncoder.copyBufferToBuffer(data.resource, 0, staging, 0, size);
    b.submitQueue();
    mapSync(staging, (globalThis as any).GPUMapMode.READ);
    const bytes = (staging.getMappedRange() as ArrayBuffer).slice(0);
    staging.unmap();
    b.bufferManager.releaseBuffer(staging);
    check();
    return b.convertAndCacheOnCPU(dataId, tf.util.convertBackendValuesAndArrayBuffer(bytes, data.dtype));
  };
}
