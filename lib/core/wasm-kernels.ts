/**
 * Kernels that tfjs 4.22's wasm backend lacks but training needs, registered for `wasm`.
 *
 * `UnsortedSegmentSum` is the gradient of `tf.gather` (an embedding lookup): without it, any model with an
 * embedding table cannot be trained on wasm. The kernel runs in JS over the wasm heap (one pass, no copies
 * beyond the output), which is as fast as the scatter-add it is.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { registerFastWasmMatMul } from "./wasm-matmul";

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

/**
 * Registers the kernels above for `wasm` (kernels tfjs already has are left alone) and the fast
 * `BatchMatMul` wrapper (see `wasm-matmul.ts`). Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of MISSING_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  registerFastWasmMatMul();
}
