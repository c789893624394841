/**
 * The kernels the course registers for tfjs 4.22's wasm backend: the ones it lacks but training needs, and
 * faster ones for the ops a training step spends its time in (native when `@llm-course/native` built, else the
 * wasm `BatchMatMul` wrapper). Every override honours its op's whole contract or hands the case to tfjs's own
 * kernel (tests/core/*-kernels.test.ts, wasm-matmul.test.ts).
 *
 * `UnsortedSegmentSum` is the gradient of `tf.gather` (an embedding lookup): without it, any model with an
 * embedding table cannot be trained on wasm. The kernel runs in JS over the wasm heap (one pass, no copies
 * beyond the output); with the addon, float32 runs in C (`nativeSegmentSum`).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { fastBatchMatMul, type Kernel } from "./wasm-matmul";
import { registerFusedKernels } from "./native-fused";
import {
  loadNativeKernels, nativeBatchMatMul, nativeBinary, nativeFusedMatMul, nativeGather, nativeSegmentSum, nativeSoftmax, nativeSum, nativeTranspose, nativeUnary, segmentSumShape,
} from "./native-kernels";

/** TF semantics: `out[segmentIds[i], ...] += x[i, ...]`; ids outside `[0, numSegments)` are dropped. */
function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs["x"];
  const segmentIds = args.inputs["segmentIds"];
  const numSegments = Number(args.attrs?.["numSegments"]);
  if (x === undefined || segmentIds === undefined) throw new Error("UnsortedSegmentSum needs inputs `x` and `segmentIds`");
  const { inner, innerShape } = segmentSumShape(x, segmentIds);
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
 * Registers the kernels above for `wasm` (kernels tfjs already has are left alone) and the hot ones: the
 * native kernels (`native-kernels.ts`: BatchMatMul, _FusedMatMul, Exp, Erf, Softmax, Sum, Add, Sub, Multiply,
 * RealDiv, GatherV2, Transpose, UnsortedSegmentSum; `native-fused.ts`: fused LayerNorm, GELU, cross-entropy, softmax gradient, dropout mask, AdamW) when
 * `@llm-course/native` built and `native` is not false, else the fast wasm `BatchMatMul` wrapper
 * (`wasm-matmul.ts`) and tfjs's own kernels; `Identity` shares buffers either way. Call again to switch
 * (benchmarks compare both in one process).
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
    for (const name of [tf.BatchMatMul, tf._FusedMatMul, tf.Exp, tf.Erf, tf.Softmax, tf.Sum, tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.GatherV2, tf.Transpose, tf.UnsortedSegmentSum]) {
      const config = tf.getKernel(name, "wasm");
      if (config) originals.set(name, config);
    }
  }
  const get = (name: string) => originals?.get(name);
  const [batchMatMul, fusedMatMul, exp, erf, softmax, sum] = [get(tf.BatchMatMul), get(tf._FusedMatMul), get(tf.Exp), get(tf.Erf), get(tf.Softmax), get(tf.Sum)];
  const [gather, transpose, segmentSum] = [get(tf.GatherV2), get(tf.Transpose), get(tf.UnsortedSegmentSum)];
  const binaries = ([[tf.Add, 0], [tf.Sub, 1], [tf.Multiply, 2], [tf.RealDiv, 3]] as const).map(([name, op]) => [get(name), op] as const);
  if (!batchMatMul || !fusedMatMul || !exp || !erf || !softmax || !sum || !gather || !transpose || !segmentSum || binaries.some(([config]) => !config)) {
    return { active: false, reason: "tfjs-backend-wasm is not loaded" };
  }
  const kernel = (config: tf.KernelConfig) => config.kernelFunc as unknown as Kernel;
  const load = loadNativeKernels();
  if (wantNative && load.native) {
    const native = load.native;
    if (threads !== undefined) native.setThreads(threads);
    replaceKernel(batchMatMul, nativeBatchMatMul(native, kernel(batchMatMul)));
    replaceKernel(fusedMatMul, nativeFusedMatMul(native, kernel(fusedMatMul)));
    replaceKernel(exp, nativeUnary(native, 0, kernel(exp)));
    replaceKernel(erf, nativeUnary(native, 1, kernel(erf)));
    replaceKernel(softmax, nativeSoftmax(native, kernel(softmax)));
    replaceKernel(sum, nativeSum(native, kernel(sum)));
    for (const [config, op] of binaries) if (config) replaceKernel(config, nativeBinary(native, op, kernel(config)));
    replaceKernel(gather, nativeGather(native, kernel(gather)));
    replaceKernel(transpose, nativeTranspose(native, kernel(transpose)));
    replaceKernel(segmentSum, nativeSegmentSum(native, kernel(segmentSum)));
    registerFusedKernels(native);
    return { active: true, blas: native.config().trim(), threads: native.getThreads() };
  }
  replaceKernel(batchMatMul, fastBatchMatMul(kernel(batchMatMul)));
  for (const config of [fusedMatMul, exp, erf, softmax, sum, gather, transpose, segmentSum, ...binaries.map(([c]) => c)]) if (config) replaceKernel(config, undefined);
  registerFusedKernels(undefined);
  if (!wantNative) {
    return process.env["COURSE_NATIVE"] === "off"
      ? { active: false, reason: "disabled by COURSE_NATIVE=off", fix: "unset COURSE_NATIVE" }
      : { active: false, reason: "disabled by the caller", fix: "registerWasmTrainingKernels({ native: true })" };
  }
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
