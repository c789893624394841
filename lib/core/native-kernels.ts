/**
 * Native BLAS kernels for the wasm backend, from the optional `@llm-course/native` addon.
 *
 * tfjs's wasm backend keeps every tensor in one `WebAssembly.Memory`; the addon receives that memory
 * (`backend.wasm.HEAPU8`, fetched again for each call: memory growth replaces the buffer) and byte offsets
 * into it (`backend.getMemoryOffset(dataId)`, as tfjs-backend-wasm's own kernels find their tensors), and
 * calls OpenBLAS `cblas_sgemm` on the tensors in place — no copies. On the course's build machine a 1024³
 * product runs at ≈160 GFLOP/s on two threads against wasm's ≈16, and BERT-Mini trains ≈1.8× faster
 * (`bench/wasm-matmul.ts`, `bench/mlm-train.ts`).
 *
 * The kernels honour tfjs's whole `BatchMatMul` / `_FusedMatMul` contract: both transposes, batch
 * broadcasting (`planMatMul`), size-0 dimensions, a bias and a PReLU weight that broadcast to the output,
 * every fused activation. Inputs other than float32 go to the original kernel, as in `wasm-matmul.ts`.
 *
 * `Exp`, `Erf`, `Softmax`, `Sum`, `Add`, `Sub`, `Multiply` and `RealDiv` (the element-wise and reduction kernels
 * a profile of a training step shows hot) run vectorised C over the heap (native/src/elementwise.h): float32
 * only, `Softmax` over the last axis (tfjs's only case), `Sum` over one contiguous block of axes, the binary ops
 * with full NumPy broadcasting; other cases go to the original kernel.
 *
 * `GatherV2`, `Transpose` and `UnsortedSegmentSum` (embedding lookups, the MLM's gathered positions, their
 * gradient, the attention heads' split and merge) move data in C (native/src/movement.h): a gathered slice is one
 * memcpy, a transpose that moves nothing shares its input's buffer; float32, int32 and bool (the sum: float32).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { NativeKernels } from "@llm-course/native";
import { broadcastIndex, planMatMul, size, type Kernel, type MatMulPlan } from "./wasm-matmul";

export type { NativeKernels };

/** Whether the addon loaded; when not, why, and the one command that fixes it. */
export type NativeLoad = { native: NativeKernels; unavailable?: undefined } | { native?: undefined; unavailable: { reason: string; fix: string } };

let loaded: NativeLoad | undefined;

/** Loads `@llm-course/native` once (COURSE_NATIVE=off disables it). Never throws. */
export function loadNativeKernels(): NativeLoad {
  if (loaded) return loaded;
  try {
    // The package is optional and plain CommonJS: loaded lazily so that lib works without it.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    loaded = require("@llm-course/native") as NativeLoad;
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "";
    loaded = { unavailable: { reason: `@llm-course/native is not installed (${message})`, fix: "npm install (from the course's root folder)" } };
  }
  return loaded;
}

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, leakyrelu: 4, elu: 5, prelu: 6 };

type Operand = { offsets: Float64Array; rows: number; cols: number };

/** A tensor that broadcasts over the output `[...batch, M, N]` (a bias, PReLU weights): offsets per output matrix and its [rows, cols]. */
function broadcastOperand(backend: BackendWasm, x: tf.TensorInfo, plan: MatMulPlan, what: string): Operand {
  const outShape = plan.outShape;
  if (x.shape.length > outShape.length || tf.backend_util.assertAndGetBroadcastShape(x.shape, outShape).join() !== outShape.join()) {
    throw new Error(`_FusedMatMul: ${what} of shape [${x.shape}] does not broadcast to the output [${outShape}]`);
  }
  const padded = [...Array<number>(outShape.length - x.shape.length).fill(1), ...x.shape];
  const [rows, cols] = padded.slice(-2) as [number, number];
  const index = broadcastIndex(padded.slice(0, -2), outShape.slice(0, -2));
  const base = backend.getMemoryOffset(x.dataId);
  const offsets = new Float64Array(index.length);
  for (let o = 0; o < index.length; o++) offsets[o] = base + (index[o] as number) * rows * cols * 4;
  return { offsets, rows, cols };
}

/** Runs the product on the heap; `out` is already allocated (`[...batch, M, N]`, float32). */
function run(
  native: NativeKernels, backend: BackendWasm, plan: MatMulPlan, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo,
  transposeA: boolean, transposeB: boolean,
  fused: { bias?: Operand; prelu?: Operand; activation: number; alpha: number } = { activation: 0, alpha: 0 },
): void {
  const { m, k, n } = plan;
  const { bias, prelu } = fused;
  const baseA = backend.getMemoryOffset(a.dataId);
  const baseB = backend.getMemoryOffset(b.dataId);
  const heap = heapOf(backend); // after every allocation: growth replaces the buffer
  // A batch against one shared right-hand matrix is one tall product [batch·M, K]·[K, N] when rows of a are
  // contiguous and the fused operands do not vary by row or batch.
  const foldable = plan.batchB === 1 && !transposeA && plan.aIndex.length > 1 && (!bias || (bias.rows === 1 && bias.offsets.every((x) => x === bias.offsets[0]))) &&
    (!prelu || (prelu.rows === 1 && prelu.offsets.every((x) => x === prelu.offsets[0])));
  if (foldable) {
    const one = (x: { offsets: Float64Array } | undefined) => (x ? x.offsets.subarray(0, 1) : null);
    native.batchMatMul(heap, Float64Array.of(baseA), Float64Array.of(baseB), backend.getMemoryOffset(out.dataId), plan.aIndex.length * m, n, k,
      false, transposeB, one(bias), 1, bias?.cols ?? 1, fused.activation, fused.alpha, one(prelu), 1, prelu?.cols ?? 1);
    return;
  }
  const aOffsets = new Float64Array(plan.aIndex.length);
  const bOffsets = new Float64Array(plan.bIndex.length);
  for (let o = 0; o < aOffsets.length; o++) {
    aOffsets[o] = baseA + (plan.aIndex[o] as number) * m * k * 4;
    bOffsets[o] = baseB + (plan.bIndex[o] as number) * k * n * 4;
  }
  native.batchMatMul(heap, aOffsets, bOffsets, backend.getMemoryOffset(out.dataId), m, n, k, transposeA, transposeB,
    bias?.offsets ?? null, bias?.rows ?? 1, bias?.cols ?? 1, fused.activation, fused.alpha, prelu?.offsets ?? null, prelu?.rows ?? 1, prelu?.cols ?? 1);
}

/** `BatchMatMul` on the BLAS; non-float32 or rank < 2 inputs go to `original`. */
export function nativeBatchMatMul(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const a = args.inputs["a"] as tf.TensorInfo;
    const b = args.inputs["b"] as tf.TensorInfo;
    if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) return original(args);
    const transposeA = Boolean(args.attrs?.["transposeA"]);
    const transposeB = Boolean(args.attrs?.["transposeB"]);
    const plan = planMatMul(a.shape, b.shape, transposeA, transposeB);
    const out = backend.makeOutput(plan.outShape, "float32");
    if (size(plan.outShape) > 0) run(native, backend, plan, a, b, out, transposeA, transposeB);
    return out;
  };
}

/** `_FusedMatMul` (product + bias + activation) on the BLAS; non-float32 inputs go to `original`. */
export function nativeFusedMatMul(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { a, b, bias, preluActivationWeights: prelu } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    if (a === undefined || b === undefined) throw new Error("_FusedMatMul needs inputs `a` and `b`");
    const operands = [a, b, bias, prelu].filter((x): x is tf.TensorInfo => x !== undefined);
    if (operands.some((x) => x.dtype !== "float32") || a.shape.length < 2 || b.shape.length < 2) return original(args);
    const transposeA = Boolean(args.attrs?.["transposeA"]);
    const transposeB = Boolean(args.attrs?.["transposeB"]);
    const name = String(args.attrs?.["activation"] ?? "linear");
    const activation = ACTIVATIONS[name];
    if (activation === undefined) throw new Error(`_FusedMatMul: activation "${name}" is not one of ${Object.keys(ACTIVATIONS).join(", ")}`);
    if (activation === 6 && prelu === undefined) throw new Error("_FusedMatMul: activation prelu needs preluActivationWeights");
    const plan = planMatMul(a.shape, b.shape, transposeA, transposeB, true);
    // Checked before the output exists, so a bad shape leaves nothing allocated (offsets survive heap growth).
    const fused = {
      bias: bias && broadcastOperand(backend, bias, plan, "bias"),
      prelu: activation === 6 && prelu ? broadcastOperand(backend, prelu, plan, "preluActivationWeights") : undefined,
      activation,
      alpha: Number(args.attrs?.["leakyreluAlpha"] ?? 0.2),
    };
    const out = backend.makeOutput(plan.outShape, "float32");
    if (size(plan.outShape) > 0) run(native, backend, plan, a, b, out, transposeA, transposeB, fused);
    return out;
  };
}

/** The heap after the last allocation (emscripten's HEAPU8, untyped in tfjs's module type). */
function heapOf(backend: BackendWasm): Uint8Array {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
}

/** `Exp` (op 0) or `Erf` (op 1) on float32 inputs; other dtypes go to `original`. */
export function nativeUnary(native: NativeKernels, op: 0 | 1, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs["x"] as tf.TensorInfo;
    if (x.dtype !== "float32") return original(args);
    const out = backend.makeOutput(x.shape, "float32");
    const count = size(x.shape);
    if (count > 0) native.unary(heapOf(backend), op, backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), count);
    return out;
  };
}

/** `Softmax` over the last axis of float32 logits; anything else goes to `original`. */
export function nativeSoftmax(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const logits = args.inputs["logits"] as tf.TensorInfo;
    const rank = logits.shape.length;
    const dim = Number(args.attrs?.["dim"] ?? -1);
    if (logits.dtype !== "float32" || rank === 0 || (dim !== -1 && dim !== rank - 1)) return original(args);
    const out = backend.makeOutput(logits.shape, "float32");
    const cols = logits.shape[rank - 1] as number;
    const rows = size(logits.shape) / Math.max(cols, 1);
    if (size(logits.shape) > 0) native.softmax(heapOf(backend), backend.getMemoryOffset(logits.dataId), backend.getMemoryOffset(out.dataId), rows, cols);
    return out;
  };
}

/** `Sum` of float32 over a contiguous block of axes (bias gradients, softmax's gradient); else `original`. */
export function nativeSum(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs["x"] as tf.TensorInfo;
    const rank = x.shape.length;
    // `axis` is null for "every axis" (tf.sum(x)); parseAxisParam maps null to all of them, as wasm's own Sum does.
    const axes = tf.util.parseAxisParam((args.attrs?.["axis"] ?? null) as unknown as number[], x.shape).sort((p, q) => p - q);
    const contiguous = axes.every((axis, i) => i === 0 || axis === (axes[i - 1] as number) + 1) && new Set(axes).size === axes.length;
    if (x.dtype !== "float32" || rank === 0 || axes.length === 0 || !contiguous) return original(args);
    const [first, last] = [axes[0] as number, axes[axes.length - 1] as number];
    const outer = size(x.shape.slice(0, first));
    const mid = size(x.shape.slice(first, last + 1));
    const inner = size(x.shape.slice(last + 1));
    const keepDims = Boolean(args.attrs?.["keepDims"]);
    const outShape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
    const out = backend.makeOutput(outShape, "float32");
    if (outer * inner > 0) native.sum(heapOf(backend), backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), outer, mid, inner);
    return out;
  };
}

/**
 * The loop nest of a broadcast binary op: `[size, strideA, strideB]` per output dimension (strides in elements,
 * 0 where that side repeats), size-1 dimensions dropped and neighbours merged where both sides stay contiguous.
 */
export function broadcastLoops(aShape: readonly number[], bShape: readonly number[]): { outShape: number[]; dims: number[][] } {
  const outShape = tf.backend_util.assertAndGetBroadcastShape([...aShape], [...bShape]);
  const strides = (shape: readonly number[]) => {
    const padded = [...Array<number>(outShape.length - shape.length).fill(1), ...shape];
    return padded.map((d, i) => (d === 1 ? 0 : size(padded.slice(i + 1))));
  };
  const [sa, sb] = [strides(aShape), strides(bShape)];
  const dims: number[][] = [];
  outShape.forEach((n, i) => {
    if (n === 1) return;
    const prev = dims[dims.length - 1];
    const [a, b] = [sa[i] as number, sb[i] as number];
    // Merge into the previous dimension when, on both sides, stepping it equals stepping this one n times.
    if (prev && prev[1] === a * n && prev[2] === b * n) prev.splice(0, 3, (prev[0] as number) * n, a, b);
    else dims.push([n, a, b]);
  });
  return { outShape, dims: dims.length > 0 ? dims : [[1, 0, 0]] };
}

/** `Add` (0), `Sub` (1), `Multiply` (2) or `RealDiv` (3) of float32 tensors; other dtypes go to `original`. */
export function nativeBinary(native: NativeKernels, op: 0 | 1 | 2 | 3, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const a = args.inputs["a"] as tf.TensorInfo;
    const b = args.inputs["b"] as tf.TensorInfo;
    if (a.dtype !== "float32" || b.dtype !== "float32") return original(args);
    const { outShape, dims } = broadcastLoops(a.shape, b.shape);
    const out = backend.makeOutput(outShape, "float32");
    if (size(outShape) > 0) {
      native.binary(heapOf(backend), op, backend.getMemoryOffset(a.dataId), backend.getMemoryOffset(b.dataId), backend.getMemoryOffset(out.dataId), Float64Array.from(dims.flat()));
    }
    return out;
  };
}

/** Bytes per element of the dtypes the data-movement kernels copy (wasm stores bool as one byte); others: undefined. */
const ELEMENT_BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * `GatherV2` (embedding lookups, the MLM's gathered positions) as one memcpy per gathered slice, any axis and
 * `batchDims`, for float32, int32 and bool tensors with int32 indices; other dtypes go to `original`. An index
 * outside `[0, x.shape[axis])` throws tfjs's own message, and nothing is left allocated.
 */
export function nativeGather(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs["x"] as tf.TensorInfo;
    const indices = args.inputs["indices"] as tf.TensorInfo;
    const bytes = ELEMENT_BYTES[x.dtype];
    if (bytes === undefined || indices.dtype !== "int32") return original(args);
    const axis = tf.util.parseAxisParam(Number(args.attrs?.["axis"] ?? 0), x.shape)[0] as number;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x, indices, axis, Number(args.attrs?.["batchDims"] ?? 0));
    const out = backend.makeOutput(info.outputShape, x.dtype);
    const total = size(indices.shape);
    if (total === 0) return out; // and batchSize may be 0
    const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
    const bad = native.gather(heapOf(backend), at(x), at(indices), at(out), info.batchSize, info.outerSize, info.dimSize, info.sliceSize, total / info.batchSize, bytes);
    if (bad >= 0) {
      const index = backend.typedArrayFromHeap(indices)[bad];
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${index} is not in [0, ${info.dimSize - 1}]`);
    }
    return out;
  };
}

/**
 * The loop nest of a transpose: `[size, stride]` per output dimension (stride in elements of `x`), size-1
 * dimensions dropped and neighbours merged where x steps through them contiguously. One `[n, 1]` (or none)
 * means the permutation moves nothing: the output is x's buffer as it is.
 */
export function transposeLoops(shape: readonly number[], perm: readonly number[]): { outShape: number[]; dims: number[][] } {
  const strides = shape.map((_, i) => size(shape.slice(i + 1)));
  const outShape = perm.map((p) => shape[p] as number);
  const dims: number[][] = [];
  perm.forEach((p) => {
    const [n, stride] = [shape[p] as number, strides[p] as number];
    if (n === 1) return;
    const prev = dims[dims.length - 1];
    if (prev && prev[1] === stride * n) prev.splice(0, 2, (prev[0] as number) * n, stride);
    else dims.push([n, stride]);
  });
  return { outShape, dims };
}

/**
 * `Transpose` of float32, int32 and bool tensors: a permutation that moves no data (identity, or only size-1
 * axes; the gradient of every `gather` is two) shares x's buffer; others are copied by the addon (contiguous
 * rows as memcpy, a strided last axis in cache tiles). Other dtypes go to `original`.
 */
export function nativeTranspose(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs["x"] as tf.TensorInfo;
    const bytes = ELEMENT_BYTES[x.dtype];
    const perm = (args.attrs?.["perm"] ?? []) as number[];
    if (bytes === undefined || perm.length !== x.shape.length) return original(args);
    const { outShape, dims } = transposeLoops(x.shape, perm);
    if (dims.length === 0 || (dims.length === 1 && dims[0]?.[1] === 1)) {
      backend.incRef(x.dataId); // a reference, as wasm's own Reshape: tensors are immutable
      return { dataId: x.dataId, shape: outShape, dtype: x.dtype };
    }
    const out = backend.makeOutput(outShape, x.dtype);
    if (size(outShape) > 0) native.transpose(heapOf(backend), backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), Float64Array.from(dims.flat()), bytes);
    return out;
  };
}

/** `x [...segmentIds.shape, ...inner]` as `[rows, inner]` for `UnsortedSegmentSum`; throws when the ids do not prefix x. */
export function segmentSumShape(x: tf.TensorInfo, segmentIds: tf.TensorInfo): { rows: number; inner: number; innerShape: number[] } {
  const idsRank = segmentIds.shape.length;
  if (x.shape.slice(0, idsRank).join() !== segmentIds.shape.join()) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must prefix x shape [${x.shape}]`);
  }
  const innerShape = x.shape.slice(idsRank);
  return { rows: size(segmentIds.shape), inner: size(innerShape), innerShape };
}

/** `UnsortedSegmentSum` (the gradient of `gather`) of float32 `x` with int32 ids in the addon; others go to `original`. */
export function nativeSegmentSum(native: NativeKernels, original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs["x"] as tf.TensorInfo;
    const segmentIds = args.inputs["segmentIds"] as tf.TensorInfo;
    if (x === undefined || segmentIds === undefined || x.dtype !== "float32" || segmentIds.dtype !== "int32") return original(args);
    const numSegments = Number(args.attrs?.["numSegments"]);
    const { rows, inner, innerShape } = segmentSumShape(x, segmentIds);
    const out = backend.makeOutput([numSegments, ...innerShape], "float32");
    const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
    if (numSegments * inner > 0) native.segmentSum(heapOf(backend), at(x), at(segmentIds), at(out), rows, inner, numSegments);
    return out;
  };
}
