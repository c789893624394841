/**
 * A faster `BatchMatMul` for tfjs 4.22's wasm backend that honours the op's whole contract.
 *
 * The wasm kernel reaches XNNPACK's SIMD GEMM (~27 GFLOP/s on one core) only for a single, untransposed
 * product; with `transposeA`, `transposeB` or a batch it falls back to a naive loop at 0.2–1 GFLOP/s
 * (`bench/wasm-matmul.ts` measures both). Training hits those cases everywhere: every backward pass of
 * `x·W` computes `dy·Wᵀ` and `xᵀ·dy`, and attention multiplies batches of heads. This wrapper
 *   1. materialises transposes with the (fast, memory-bound) wasm `Transpose` kernel,
 *   2. folds a batch against one shared right-hand matrix into a single tall product,
 *   3. runs any other batch as one fast product per output matrix, each reading the matrices of `a` and `b`
 *      that batch broadcasting pairs with it (`planMatMul`), copying slices in and out of the wasm heap
 *      (a shared right-hand matrix would be a stale cache hit otherwise: XNNPACK keys packed weights by id),
 * and hands every product to the original kernel in its fast case. Cases it does not compute itself —
 * inputs other than float32, rank below 2 — go to the original kernel unchanged, so they fail or succeed
 * exactly as plain tfjs-wasm does.
 *
 * Contract (tfjs `BatchMatMul`, broadcasting since tfjs PR #5789): `a` `[...batchA, M, K]` (or `[..., K, M]`
 * with `transposeA`), `b` `[...batchB, K, N]` (or `[..., N, K]` with `transposeB`); the batch shapes broadcast
 * NumPy-style; the output is `[...broadcast(batchA, batchB), M, N]`; any dimension may be 0 (`K = 0` gives zeros).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
export type Kernel = (args: KernelArgs) => tf.TensorInfo;

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The shapes of one batched product and, for each output matrix, the input matrices it reads. */
export interface MatMulPlan {
  /** Rows of the output matrices (after `transposeA`). */
  m: number;
  /** The contracted dimension. */
  k: number;
  /** Columns of the output matrices (after `transposeB`). */
  n: number;
  /** `[...broadcast batch, M, N]`. */
  outShape: number[];
  /** Matrices in `a` and in `b` (product of their batch dimensions). */
  batchA: number;
  batchB: number;
  /** For output matrix `o`, the index of the matrix of `a` (`aIndex[o]`) and of `b` (`bIndex[o]`) it multiplies. */
  aIndex: Int32Array;
  bIndex: Int32Array;
}

/**
 * For each index of the broadcast batch shape `outBatch`, the flat index into a tensor of batch shape `batch`
 * (rank ≤ outBatch's, aligned on the right; its size-1 dimensions repeat). Plain `index % size` is wrong as
 * soon as both sides broadcast (`[4,1]` against `[3]`).
 */
export function broadcastIndex(batch: readonly number[], outBatch: readonly number[]): Int32Array {
  const padded = [...Array<number>(outBatch.length - batch.length).fill(1), ...batch];
  const strides = padded.map((_, d) => size(padded.slice(d + 1)));
  const index = new Int32Array(size(outBatch));
  for (let o = 0; o < index.length; o++) {
    let rest = o;
    let flat = 0;
    for (let d = outBatch.length - 1; d >= 0; d--) {
      const dim = outBatch[d] as number;
      const coord = rest % dim;
      rest = Math.floor(rest / dim);
      if ((padded[d] as number) !== 1) flat += coord * (strides[d] as number);
    }
    index[o] = flat;
  }
  return index;
}

/**
 * Works out a `BatchMatMul`'s shapes and its batch broadcasting.
 * @param aShape rank ≥ 2; @param bShape rank ≥ 2
 * @param flattenedBatches accept rank-3 inputs whose batch sizes divide one another (what `tf.fused.matMul`
 *   hands `_FusedMatMul` after flattening batch dims that broadcast as a suffix)
 * @throws when the inner dimensions differ or the batch shapes do not broadcast (tfjs's own messages).
 */
export function planMatMul(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean, flattenedBatches = false): MatMulPlan {
  const [a0, a1] = aShape.slice(-2) as [number, number];
  const [b0, b1] = bShape.slice(-2) as [number, number];
  const [m, kA] = transposeA ? [a1, a0] : [a0, a1];
  const [kB, n] = transposeB ? [b1, b0] : [b0, b1];
  if (kA !== kB) {
    throw new Error(`Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ${aShape} and ${bShape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  }
  const batchShapeA = aShape.slice(0, -2);
  const batchShapeB = bShape.slice(0, -2);
  if (flattenedBatches && aShape.length === 3 && bShape.length === 3) {
    // `tf.fused.matMul` flattens each side's batch dims before the kernel: `[2,4]` against `[4]` arrives as
    // 8 against 4, and a batch that was a suffix of the other's pairs by `o % size`, as tfjs's kernels do.
    const [sizeA, sizeB] = [batchShapeA[0] as number, batchShapeB[0] as number];
    const outBatch = Math.min(sizeA, sizeB) === 0 ? 0 : Math.max(sizeA, sizeB); // a 0 in the shorter side is in the longer too
    if (outBatch === 0 && sizeA !== sizeB) return { m, k: kA, n, outShape: [0, m, n], batchA: sizeA, batchB: sizeB, aIndex: new Int32Array(0), bIndex: new Int32Array(0) };
    if (sizeA !== sizeB && Math.min(sizeA, sizeB) > 1 && outBatch % Math.min(sizeA, sizeB) === 0) {
      const pair = (count: number) => Int32Array.from({ length: outBatch }, (_, o) => o % count);
      return { m, k: kA, n, outShape: [outBatch, m, n], batchA: sizeA, batchB: sizeB, aIndex: pair(sizeA), bIndex: pair(sizeB) };
    }
  }
  const outBatch = tf.backend_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB);
  return {
    m,
    k: kA,
    n,
    outShape: [...outBatch, m, n],
    batchA: size(batchShapeA),
    batchB: size(batchShapeB),
    aIndex: broadcastIndex(batchShapeA, outBatch),
    bIndex: broadcastIndex(batchShapeB, outBatch),
  };
}

/** Wraps `original` (tfjs's wasm BatchMatMul); see the module comment for what it computes itself. */
export function fastBatchMatMul(original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const transpose = tf.getKernel(tf.Transpose, "wasm")?.kernelFunc as Kernel;
    const reshape = tf.getKernel(tf.Reshape, "wasm")?.kernelFunc as Kernel;
    let a = args.inputs["a"] as tf.TensorInfo;
    let b = args.inputs["b"] as tf.TensorInfo;
    const transposeA = Boolean(args.attrs?.["transposeA"]);
    const transposeB = Boolean(args.attrs?.["transposeB"]);
    if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) return original(args);
    const plan = planMatMul(a.shape, b.shape, transposeA, transposeB);
    const { m, k, n, outShape } = plan;
    if (size(outShape) === 0) return backend.makeOutput(outShape, "float32");
    if (k === 0) {
      const zeros = backend.makeOutput(outShape, "float32");
      backend.typedArrayFromHeap(zeros).fill(0); // an empty sum; the wasm heap is not zeroed
      return zeros;
    }
    const temps: tf.TensorInfo[] = [];
    const keep = <T extends tf.TensorInfo>(t: T): T => (temps.push(t), t);
    const swapLast = (x: tf.TensorInfo) => {
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2] as number, perm[perm.length - 1] as number];
      return keep(transpose({ inputs: { x }, backend, attrs: { perm } }));
    };
    try {
      if (transposeA) a = swapLast(a); // [...batchA, M, K]
      if (transposeB) b = swapLast(b); // [...batchB, K, N]
      const product = (x: tf.TensorInfo, y: tf.TensorInfo) => original({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } });

      if (plan.batchB === 1) {
        // [batch·M, K] · [K, N]: one tall product against the shared matrix (the output batch is a's batch).
        const tall = keep(reshape({ inputs: { x: a }, backend, attrs: { shape: [plan.batchA * m, k] } }));
        const flatB = keep(reshape({ inputs: { x: b }, backend, attrs: { shape: [k, n] } }));
        const out = keep(product(tall, flatB));
        return reshape({ inputs: { x: out }, backend, attrs: { shape: outShape } });
      }
      // One fast product per output matrix, reading the broadcast pair. The right-hand slice gets a fresh
      // tensor each time: XNNPACK caches its packed weights by tensor id, so refilling one would reuse the first.
      const out = backend.makeOutput(outShape, "float32");
      const sliceA = keep(backend.makeOutput([m, k], "float32"));
      for (let o = 0; o < plan.aIndex.length; o++) {
        const i = plan.aIndex[o] as number;
        const j = plan.bIndex[o] as number;
        const sliceB = backend.makeOutput([k, n], "float32");
        backend.typedArrayFromHeap(sliceA).set(backend.typedArrayFromHeap(a).subarray(i * m * k, (i + 1) * m * k));
        backend.typedArrayFromHeap(sliceB).set(backend.typedArrayFromHeap(b).subarray(j * k * n, (j + 1) * k * n));
        const c = product(sliceA, sliceB);
        // Views are taken after every allocation: a growing wasm memory detaches older ones.
        backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(c), o * m * n);
        backend.disposeData(c.dataId);
        backend.disposeData(sliceB.dataId);
      }
      return out;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
