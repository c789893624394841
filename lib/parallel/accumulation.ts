/**
 * Gradient accumulation: the gradient of a batch too large to hold at once, computed micro-batch by
 * micro-batch and summed before one optimiser step. When the loss is a mean over `n` units (masked tokens,
 * examples), the batch's loss is `L = Σₖ nₖ·Lₖ / Σₖ nₖ`, so its gradient is `Σₖ (nₖ/Σn)·∇Lₖ`: each micro-batch
 * weighs by its share of the units, not `1/K` (which is right only when every micro-batch has as many units).
 * The same identity makes data-parallel shards and pipeline micro-batches sum to the full batch's gradient.
 */
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../nn/params";
import { valueAndGrads } from "../train/grads";
import { shardWeights } from "./task";

/**
 * Loss and gradients of the whole batch made of `microBatches`, keeping one micro-batch's activations at a time.
 * @param loss the mean loss of one micro-batch (runs inside the gradient computation)
 * @param count the units `loss` averages over in a micro-batch
 * @returns the batch's mean loss and gradients by parameter name (caller disposes the gradients)
 */
export function accumulateGradients<Batch>(params: Params, microBatches: Batch[], loss: (batch: Batch) => tf.Scalar, count: (batch: Batch) => number): { loss: number; grads: Record<string, tf.Tensor> } {
  if (microBatches.length === 0) throw new Error("accumulateGradients: no micro-batch given");
  const weights = shardWeights(microBatches.map(count));
  const sums: Record<string, tf.Tensor> = {};
  let total = 0;
  microBatches.forEach((batch, k) => {
    const w = weights[k]!;
    const { value, grads } = valueAndGrads(params, () => loss(batch));
    total += w * ((value.dataSync() as Float32Array)[0] as number);
    for (const [name, g] of Object.entries(grads)) {
      const previous = sums[name];
      sums[name] = tf.tidy(() => (previous ? tf.add(previous, tf.mul(g, w)) : tf.mul(g, w)));
      previous?.dispose();
    }
    tf.dispose([value, ...Object.values(grads)]);
  });
  return { loss: total, grads: sums };
}
