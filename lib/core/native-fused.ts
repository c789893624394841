/**
 * Fused training kernels for the wasm backend from `@llm-course/native` (native/src/fused.h): one kernel call
 * where tfjs would run a chain of ops and its autograd tape would keep each intermediate.
 *
 * - `CourseLayerNorm` / `CourseLayerNormGrad`: LayerNorm over the last axis, forward saving only the row mean
 *   and 1/σ (`[rows]` each), backward giving dx, dγ, dβ in one pass (tfjs: `moments`, 4 element-wise ops forward
 *   and ≈15 ops backward, each [rows, H] intermediate on the tape).
 * - `CourseCrossEntropy` / `CourseCrossEntropyGrad`: softmax cross-entropy against int32 labels (−100 and any
 *   label outside `[0, C)` ignored), forward keeping nothing of size `[N, C]`, backward recomputing the softmax
 *   (tfjs: `logSoftmax`, `oneHot`, a product and a sum, three `[N, C]` tensors on the tape).
 * - `CourseGelu` / `CourseGeluGrad`: the exact (erf) GELU, one pass each way (tfjs: 5 ops forward, ≈10 back).
 * - `CourseSoftmaxGrad`: `dx = y·(dy − Σ dy·y)` over the last axis, as the gradient of `Softmax`.
 * - `CourseDropoutMask`: the inverted-dropout mask of `lib/nn`'s `dropout`, drawn by the `Rng`'s own sfc32
 *   stream in C (bit-identical to `rng.uniform()` in JS).
 * - `Identity` and a same-dtype `Cast` share the input's buffer (a reference count, as tfjs's cpu backend and
 *   wasm's own `Reshape` do) instead of copying it: tfjs clones every tensor a gradient saves, so the copies
 *   were 11% of a step's kernel time and a second copy of the tape.
 * - `nativeAdamW`: the AdamW update in place over a parameter and its two moments (one pass instead of ≈12
 *   ops and their temporaries), when no other tensor shares their buffers.
 *
 * The gradients are registered with `tf.registerGradient` for the kernels' own names; `Softmax`'s gradient is
 * replaced by one that uses `CourseSoftmaxGrad` where that kernel serves the active backend and tfjs's formula
 * elsewhere. Callers (`lib/nn`) ask `fusedKernel(name)` and fall back to the composite ops when it is false.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeKernels } from "@llm-course/native";
import type { Kernel } from "./wasm-matmul";

export const LAYER_NORM = "CourseLayerNorm";
export const LAYER_NORM_GRAD = "CourseLayerNormGrad";
export const CROSS_ENTROPY = "CourseCrossEntropy";
export const CROSS_ENTROPY_GRAD = "CourseCrossEntropyGrad";
export const SOFTMAX_GRAD = "CourseSoftmaxGrad";
export const DROPOUT_MASK = "CourseDropoutMask";
export const GELU = "CourseGelu";
export const GELU_GRAD = "CourseGeluGrad";

const FUSED = [LAYER_NORM, LAYER_NORM_GRAD, CROSS_ENTROPY, CROSS_ENTROPY_GRAD, SOFTMAX_GRAD, DROPOUT_MASK, GELU, GELU_GRAD] as const;
type FusedName = (typeof FUSED)[number];

/** Whether the fused kernel `name` serves the active backend (registered: wasm with the addon). */
export function fusedKernel(name: FusedName): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function heapOf(backend: BackendWasm): Uint8Array {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
}

function input(args: Args, name: string, kernel: string): tf.TensorInfo {
  const x = args.inputs[name];
  if (x === undefined) throw new Error(`${kernel} needs input \`${name}\``);
  return x;
}

/** `[rows, cols]` of a tensor seen as rows over its last axis. */
function rowsCols(shape: readonly number[]): [number, number] {
  const cols = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
  const count = shape.reduce((a, b) => a * b, 1);
  return [cols === 0 ? 0 : count / cols, cols];
}

function float32(kernel: string, ...xs: tf.TensorInfo[]): void {
  for (const x of xs) if (x.dtype !== "float32") throw new Error(`${kernel}: float32 inputs only, got ${x.dtype}`);
}

/** A kernel with one output or several (LayerNorm's out, mean, rstd). */
type FusedKernelFunc = (args: Args) => tf.TensorInfo | tf.TensorInfo[];

function kernels(native: NativeKernels): Record<FusedName, FusedKernelFunc> {
  return {
    [LAYER_NORM]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const [x, gamma, beta] = ["x", "gamma", "beta"].map((n) => input(args, n, LAYER_NORM)) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
      float32(LAYER_NORM, x, gamma, beta);
      const [rows, cols] = rowsCols(x.shape);
      if (gamma.shape.join() !== `${cols}` || beta.shape.join() !== `${cols}`) {
        throw new Error(`${LAYER_NORM}: gamma [${gamma.shape}] and beta [${beta.shape}] must be [${cols}] (x's last axis)`);
      }
      const out = backend.makeOutput(x.shape, "float32");
      const mean = backend.makeOutput([rows], "float32");
      const rstd = backend.makeOutput([rows], "float32");
      const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
      if (rows * cols > 0) native.layerNorm(heapOf(backend), at(x), at(gamma), at(beta), at(out), at(mean), at(rstd), rows, cols, Number(args.attrs?.["epsilon"]));
      return [out, mean, rstd];
    },
    [LAYER_NORM_GRAD]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const [dy, x, gamma, mean, rstd] = ["dy", "x", "gamma", "mean", "rstd"].map((n) => input(args, n, LAYER_NORM_GRAD)) as tf.TensorInfo[] as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
      float32(LAYER_NORM_GRAD, dy, x, gamma, mean, rstd);
      const [rows, cols] = rowsCols(x.shape);
      const dx = backend.makeOutput(x.shape, "float32");
      const dgamma = backend.makeOutput(gamma.shape, "float32");
      const dbeta = backend.makeOutput(gamma.shape, "float32");
      const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
      if (rows * cols > 0) native.layerNormGrad(heapOf(backend), at(dy), at(x), at(gamma), at(mean), at(rstd), at(dx), at(dgamma), at(dbeta), rows, cols);
      else for (const sum of [dgamma, dbeta]) backend.typedArrayFromHeap(sum).fill(0); // Σ over no rows (the heap is not zeroed)
      return [dx, dgamma, dbeta];
    },
    [CROSS_ENTROPY]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const [logits, labels] = [input(args, "logits", CROSS_ENTROPY), input(args, "labels", CROSS_ENTROPY)];
      float32(CROSS_ENTROPY, logits);
      if (labels.dtype !== "int32") throw new Error(`${CROSS_ENTROPY}: labels must be int32, got ${labels.dtype}`);
      const [rows, cols] = crossEntropyShape(logits, labels);
      const loss = backend.makeOutput([], "float32");
      native.crossEntropy(heapOf(backend), backend.getMemoryOffset(logits.dataId), backend.getMemoryOffset(labels.dataId), backend.getMemoryOffset(loss.dataId), rows, cols);
      return loss;
    },
    [CROSS_ENTROPY_GRAD]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const [logits, labels, dy] = ["logits", "labels", "dy"].map((n) => input(args, n, CROSS_ENTROPY_GRAD)) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
      float32(CROSS_ENTROPY_GRAD, logits, dy);
      const [rows, cols] = crossEntropyShape(logits, labels);
      const dlogits = backend.makeOutput(logits.shape, "float32");
      const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
      native.crossEntropyGrad(heapOf(backend), at(logits), at(labels), at(dy), at(dlogits), rows, cols);
      return dlogits;
    },
    [SOFTMAX_GRAD]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const [y, dy] = [input(args, "y", SOFTMAX_GRAD), input(args, "dy", SOFTMAX_GRAD)];
      float32(SOFTMAX_GRAD, y, dy);
      const [rows, cols] = rowsCols(y.shape);
      const dx = backend.makeOutput(y.shape, "float32");
      const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
      if (rows * cols > 0) native.softmaxGrad(heapOf(backend), at(y), at(dy), at(dx), rows, cols);
      return dx;
    },
    [GELU]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const x = input(args, "x", GELU);
      float32(GELU, x);
      const out = backend.makeOutput(x.shape, "float32");
      const count = x.shape.reduce((a, b) => a * b, 1);
      if (count > 0) native.gelu(heapOf(backend), backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), count);
      return out;
    },
    [GELU_GRAD]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const [x, dy] = [input(args, "x", GELU_GRAD), input(args, "dy", GELU_GRAD)];
      float32(GELU_GRAD, x, dy);
      const dx = backend.makeOutput(x.shape, "float32");
      const count = x.shape.reduce((a, b) => a * b, 1);
      const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
      if (count > 0) native.geluGrad(heapOf(backend), at(x), at(dy), at(dx), count);
      return dx;
    },
    [DROPOUT_MASK]: (args: Args) => {
      const backend = args.backend as BackendWasm;
      const shape = args.attrs?.["shape"] as number[];
      const state = args.attrs?.["state"] as unknown as Uint32Array;
      const mask = backend.makeOutput(shape, "float32");
      const count = shape.reduce((a, b) => a * b, 1);
      native.dropoutMask(heapOf(backend), backend.getMemoryOffset(mask.dataId), count, Number(args.attrs?.["rate"]), state);
      return mask;
    },
  };
}

function crossEntropyShape(logits: tf.TensorInfo, labels: tf.TensorInfo): [number, number] {
  if (logits.shape.length !== 2 || labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(`${CROSS_ENTROPY}: logits must be [N, C] and labels [N], got [${logits.shape}] and [${labels.shape}]`);
  }
  return [logits.shape[0] as number, logits.shape[1] as number];
}

/** Buffer-sharing `Identity` (and same-dtype `Cast`): a reference, not a copy. */
function shareIdentity(original: Kernel): Kernel {
  return (args: Args) => {
    const x = args.inputs["x"] as tf.TensorInfo;
    const dtype = args.attrs?.["dtype"];
    if (x.dtype === "string" || (dtype !== undefined && dtype !== x.dtype)) return original(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

let softmaxGrad: tf.GradConfig | undefined;

const GRADIENTS: tf.GradConfig[] = [
  {
    kernelName: LAYER_NORM,
    inputsToSave: ["x", "gamma"],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved) => {
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [x, gamma, mean, rstd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [dx, dgamma, dbeta] = tf.engine().runKernel(LAYER_NORM_GRAD, { dy, x, gamma, mean, rstd }) as tf.Tensor[];
      return { x: () => dx as tf.Tensor, gamma: () => dgamma as tf.Tensor, beta: () => dbeta as tf.Tensor };
    },
  },
  {
    kernelName: GELU,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => tf.engine().runKernel(GELU_GRAD, { x, dy: dy as tf.Tensor }) as tf.Tensor };
    },
  },
  {
    kernelName: CROSS_ENTROPY,
    inputsToSave: ["logits", "labels"],
    gradFunc: (dy, saved) => {
      const [logits, labels] = saved as [tf.Tensor, tf.Tensor];
      return {
        logits: () => tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits, labels, dy: dy as tf.Tensor }) as tf.Tensor,
        labels: () => tf.zeros(labels.shape),
      };
    },
  },
];

/** `Softmax`'s gradient: the native kernel where it serves the active backend and the axis is the last, else tfjs's. */
function nativeSoftmaxGrad(original: tf.GradConfig): tf.GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      const dim = Number((attrs as { dim?: number }).dim ?? -1);
      const last = dim === -1 || dim === y.rank - 1;
      if (!last || y.dtype !== "float32" || !fusedKernel(SOFTMAX_GRAD)) return original.gradFunc(dy, saved, attrs);
      return { logits: () => tf.engine().runKernel(SOFTMAX_GRAD, { y, dy: dy as tf.Tensor }) as tf.Tensor };
    },
  };
}

/** The addon `nativeAdamW` runs on (set with the fused kernels). */
let adamwNative: NativeKernels | undefined;

/** tfjs's own `Identity` and `Cast` for wasm, captured before the first override. */
let copies: tf.KernelConfig[] | undefined;

/**
 * Registers the fused kernels on wasm (`native` given) or removes them (`undefined`: the composite ops run).
 * `Identity` and same-dtype `Cast` share buffers on wasm either way (plain JS, no addon needed).
 */
export function registerFusedKernels(native: NativeKernels | undefined): void {
  copies ??= [tf.Identity, tf.Cast].map((name) => tf.getKernel(name, "wasm")).filter((c): c is tf.KernelConfig => c !== undefined);
  for (const config of copies) {
    tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel({ ...config, kernelFunc: shareIdentity(config.kernelFunc as unknown as Kernel) as unknown as tf.KernelFunc });
  }
  for (const name of FUSED) if (tf.getKernel(name, "wasm") !== undefined) tf.unregisterKernel(name, "wasm");
  adamwNative = native;
  if (native === undefined) return;
  const table = kernels(native);
  for (const name of FUSED) tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: table[name] as unknown as tf.KernelFunc });
  for (const config of GRADIENTS) tf.registerGradient(config);
  if (softmaxGrad === undefined) {
    softmaxGrad = tf.getGradient(tf.Softmax);
    tf.registerGradient(nativeSoftmaxGrad(softmaxGrad));
  }
}

/**
 * The AdamW update of one parameter in place (`lib/train`'s `AdamW`), when the fused kernels serve the active
 * backend, every tensor is float32 and the three updated buffers are not shared with another tensor (writing
 * in place would change that one too). Returns false when it did nothing: the caller runs the tfjs ops.
 */
export function nativeAdamW(
  p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, lr: number,
  hyper: { beta1: number; beta2: number; epsilon: number; weightDecay: number; correction1: number; correction2: number },
): boolean {
  const native = adamwNative;
  if (native === undefined || tf.getBackend() !== "wasm" || !fusedKernel(LAYER_NORM)) return false;
  if ([p, m, v, g].some((t) => t.dtype !== "float32" || t.size !== p.size)) return false;
  const backend = tf.backend() as BackendWasm;
  if ([p, m, v].some((t) => backend.refCount(t.dataId) !== 1) || new Set([p, m, v, g].map((t) => t.dataId)).size !== 4) return false;
  if (p.size === 0) return true;
  const at = (t: tf.Tensor) => backend.getMemoryOffset(t.dataId);
  const { beta1, beta2, epsilon, weightDecay, correction1, correction2 } = hyper;
  native.adamw(heapOf(backend), at(p), at(m), at(v), at(g), p.size, lr, beta1, beta2, epsilon, weightDecay, correction1, correction2);
  return true;
}
