/**
 * Kernels that tfjs 4.22's wasm backend lacks but training needs, registered for `wasm`.
 *
 * `UnsortedSegmentSum` is the gradient of `tf.gather` (an embedding lookup): without it, any model with an
 * embedding table cannot be trained on wasm. The kernel runs in JS over the wasm heap (one pass, no copies
 * beyond the output), which is as fast as the scatter-add it is.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { fastBatchMatMul, type Kernel } from "./wasm-matmul";
import { loadNativeKernels, nativeBatchMatMul, nativeFusedMatMul } from "./native-kernels";

/** TF semantics: `out[segmentIds[i], ...] += x[i, ...]`; ids outside `[0, numSegments)` are dropped. */
function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs["x"];
  const segmentIds = args.inputs["segmentIds"];
  const numSegments = Number(args.attrs?.["numSegments"]);
  if (x === undefined || segmentIds === undefined) throw new Error("UnsortedSegmentSum needs inputs `x` and `segmentIds`");
  const idsRank = segmentIds.shape.length;
  if (x.shape.slice(0, idsRank).join() !== segmentIds.shape.join()) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must prefix x shape [${x.shape}]`);
  }
  const innerShape = x.shape.slice(idsRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const outValues = backend.typedArrayFromHeap(out);
  outValues.fill(0); // the wasm heap is not zeroed
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let j = 0; j < inner; j++) outValues[dst + j] = (outValues[dst + j] as number) + (xValues[src + j] as number);
  }
  return out;
}

const MISSING_KERNELS: tf.KernelConfig[] = [
  { kernelName: tf.UnsortedSegmentSum, backendName: "wasm", kernelFunc: unsortedSegmentSum as tf.KernelFunc },
];

/** Whether the native BLAS kernels serve the wasm backend; when not, why and the one command that fixes it. */
export interface NativeStatus {
  active: boolean;
  /** The BLAS's build string (`OpenBLAS 0.3.21 … Cooperlake`), when active. */
  blas?: string;
  /** BLAS threads, when active. */
  threads?: number;
  reason?: string;
  fix?: string;
}

/** tfjs's own wasm kernels, captured before the first override so that every later choice starts from them. */
let originals: Map<string, tf.KernelConfig> | undefined;

function replaceKernel(original: tf.KernelConfig, kernelFunc: Kernel | undefined): void {
  tf.unregisterKernel(original.kernelName, "wasm");
  tf.registerKernel(kernelFunc ? { ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc } : original);
}

/**
 * Registers the kernels above for `wasm` (kernels tfjs already has are left alone) and the matrix products:
 * the native BLAS kernels (`native-kernels.ts`) when `@llm-course/native` built and `native` is not false,
 * else the fast wasm `BatchMatMul` wrapper (`wasm-matmul.ts`) and tfjs's own `_FusedMatMul`. Call again to
 * switch (benchmarks compare both in one process).
 * @param options.native default: true unless COURSE_NATIVE=off
 * @param options.threads BLAS threads (default: COURSE_THREADS, else the BLAS's own choice, every core)
 * @returns what serves the products now.
 */
export function registerWasmTrainingKernels(options: { native?: boolean; threads?: number } = {}): NativeStatus {
  const { native: wantNative = process.env["COURSE_NATIVE"] !== "off", threads = threadsFromEnv() } = options;
  for (const config of MISSING_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  if (originals === undefined) {
    originals = new Map();
    for (const name of [tf.BatchMatMul, tf._FusedMatMul]) {
      const config = tf.getKernel(name, "wasm");
      if (config) originals.set(name, config);
    }
  }
  const batchMatMul = originals.get(tf.BatchMatMul);
  const fusedMatMul = originals.get(tf._FusedMatMul);
  if (batchMatMul === undefined || fusedMatMul === undefined) return { active: false, reason: "tfjs-backend-wasm is not loaded" };
  const load = loadNativeKernels();
  if (wantNative && load.native) {
    const native = load.native;
    if (threads !== undefined) native.setThreads(threads);
    replaceKernel(batchMatMul, nativeBatchMatMul(native, batchMatMul.kernelFunc as unknown as Kernel));
    replaceKernel(fusedMatMul, nativeFusedMatMul(native, fusedMatMul.kernelFunc as unknown as Kernel));
    return { active: true, blas: native.config().trim(), threads: native.getThreads() };
  }
  replaceKernel(batchMatMul, fastBatchMatMul(batchMatMul.kernelFunc as unknown as Kernel));
  replaceKernel(fusedMatMul, undefined);
  if (!wantNative) return { active: false, reason: process.env["COURSE_NATIVE"] === "off" ? "disabled by COURSE_NATIVE=off" : "disabled by the caller", fix: "unset COURSE_NATIVE" };
  return { active: false, ...load.unavailable };
}

/** COURSE_THREADS as a positive integer, or undefined when unset. */
function threadsFromEnv(): number | undefined {
  const value = process.env["COURSE_THREADS"];
  if (value === undefined || value === "") return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`COURSE_THREADS=${value} is not a positive integer (unset it to use every core)`);
  return threads;
}
