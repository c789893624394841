/**
 * A faster `BatchMatMul` for tfjs 4.22's wasm backend.
 *
 * The wasm kernel reaches XNNPACK's SIMD GEMM (~27 GFLOP/s on one core) only for a single, untransposed
 * product; with `transposeA`, `transposeB` or a batch it falls back to a naive loop at 0.2–1 GFLOP/s
 * (`bench/wasm-matmul.ts` measures both). Training hits those cases everywhere: every backward pass of
 * `x·W` computes `dy·Wᵀ` and `xᵀ·dy`, and attention multiplies batches of heads. This wrapper
 *   1. materialises transposes with the (fast, memory-bound) wasm `Transpose` kernel,
 *   2. folds a batch against one shared right-hand matrix into a single tall product,
 *   3. runs any other batch as one fast product per matrix, copying slices in and out of the wasm heap
 *      (a shared right-hand matrix would be a stale cache hit otherwise: XNNPACK keys packed weights by id),
 * and hands every product to the original kernel in its fast case.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type Kernel = (args: KernelArgs) => tf.TensorInfo;

const MARK = Symbol("llm-course fast BatchMatMul");

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Wraps `original` (tfjs's wasm BatchMatMul). Inputs are rank ≥ 2; batch dims broadcast when one side is 1. */
function fastBatchMatMul(original: Kernel): Kernel {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const transpose = tf.getKernel(tf.Transpose, "wasm")?.kernelFunc as Kernel;
    const reshape = tf.getKernel(tf.Reshape, "wasm")?.kernelFunc as Kernel;
    let a = args.inputs["a"] as tf.TensorInfo;
    let b = args.inputs["b"] as tf.TensorInfo;
    const transposeA = Boolean(args.attrs?.["transposeA"]);
    const transposeB = Boolean(args.attrs?.["transposeB"]);
    const temps: tf.TensorInfo[] = [];
    const keep = <T extends tf.TensorInfo>(t: T): T => (temps.push(t), t);
    const swapLast = (x: tf.TensorInfo) => {
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2] as number, perm[perm.length - 1] as number];
      return keep(transpose({ inputs: { x }, backend, attrs: { perm } }));
    };
    try {
      if (transposeA) a = swapLast(a); // [..., M, K]
      if (transposeB) b = swapLast(b); // [..., K, N]
      const [m, k] = a.shape.slice(-2) as [number, number];
      const n = b.shape[b.shape.length - 1] as number;
      const batchA = size(a.shape.slice(0, -2));
      const batchB = size(b.shape.slice(0, -2));
      const outBatch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const outShape = [...outBatch, m, n];
      const product = (x: tf.TensorInfo, y: tf.TensorInfo) => original({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } });

      if (batchB === 1) {
        // [batch·M, K] · [K, N]: one tall product against the shared matrix.
        const tall = keep(reshape({ inputs: { x: a }, backend, attrs: { shape: [batchA * m, k] } }));
        const flatB = keep(reshape({ inputs: { x: b }, backend, attrs: { shape: [k, n] } }));
        const out = keep(product(tall, flatB));
        return reshape({ inputs: { x: out }, backend, attrs: { shape: outShape } });
      }
      if (batchA === 1 && batchB > 1) {
        // Rare in this course (a shared left matrix): let the original kernel broadcast.
        return original({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } });
      }
      // One fast product per matrix of the batch. The right-hand slice gets a fresh tensor each time: XNNPACK
      // caches its packed weights by tensor id, so refilling one tensor would reuse the first matrix.
      const out = backend.makeOutput(outShape, "float32");
      const sliceA = keep(backend.makeOutput([m, k], "float32"));
      for (let i = 0; i < batchA; i++) {
        const sliceB = backend.makeOutput([k, n], "float32");
        backend.typedArrayFromHeap(sliceA).set(backend.typedArrayFromHeap(a).subarray(i * m * k, (i + 1) * m * k));
        backend.typedArrayFromHeap(sliceB).set(backend.typedArrayFromHeap(b).subarray(i * k * n, (i + 1) * k * n));
        const c = product(sliceA, sliceB);
        // Views are taken after every allocation: a growing wasm memory detaches older ones.
        backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(c), i * m * n);
        backend.disposeData(c.dataId);
        backend.disposeData(sliceB.dataId);
      }
      return out;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/** Replaces wasm's `BatchMatMul` with the wrapper (once; later calls are no-ops). */
export function registerFastWasmMatMul(): void {
  const current = tf.getKernel(tf.BatchMatMul, "wasm");
  if (current === undefined || (current as unknown as Record<symbol, boolean>)[MARK]) return;
  const original = current.kernelFunc as unknown as Kernel;
  tf.unregisterKernel(tf.BatchMatMul, "wasm");
  const config = { ...current, kernelFunc: fastBatchMatMul(original) as unknown as tf.KernelFunc, [MARK]: true };
  tf.registerKernel(config as tf.KernelConfig);
}
