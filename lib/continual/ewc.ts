/**
 * Elastic weight consolidation (Kirkpatrick et al. 2017, "Overcoming catastrophic forgetting in neural networks",
 * Eq. 3): after a task, remember the parameters θ* it ended with and how much each mattered — the diagonal of the
 * Fisher information F — and while learning later tasks add
 *
 *   Ω(θ) = λ/2 · Σ_i F_i · (θ_i − θ*_i)²
 *
 * to the loss, a spring on each weight whose stiffness is its Fisher value. F is estimated as the mean over
 * examples of the squared gradient of the log-likelihood, one example at a time, with the true labels (the
 * "empirical Fisher" most implementations use; the paper samples labels from the model).
 */
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../nn/params";
import { valueAndGrads } from "../train/grads";
import { batchTensors, padBatch, type EncodedExample } from "../tasks/batching";
import type { TaskModel } from "../tasks/heads";

/** One earlier task's anchor: the parameters it ended with and their Fisher diagonal, by parameter name. */
export interface EwcAnchor {
  /** θ* per parameter (caller disposes, or `disposeEwcAnchor`). */
  optimal: Map<string, tf.Tensor>;
  /** F per parameter, same shapes (caller disposes). */
  fisher: Map<string, tf.Tensor>;
}

/**
 * The EWC penalty `λ/2 · Σ_anchors Σ_i F_i (θ_i − θ*_i)²` over the parameters named in each anchor.
 * Call inside a gradient tape (the loss) or `tf.tidy`; the scalar is the caller's.
 * @throws Error when an anchor names a parameter `params` lacks, or λ < 0
 */
export function ewcPenalty(params: Params, anchors: readonly EwcAnchor[], lambda: number): tf.Scalar {
  if (!(lambda >= 0)) throw new Error(`ewcPenalty: lambda must be ≥ 0, got ${lambda}.`);
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const { optimal, fisher } of anchors) {
      for (const [name, star] of optimal) {
        const theta = params.get(name);
        const f = fisher.get(name);
        if (!theta || !f) throw new Error(`ewcPenalty: parameter "${name}" is in the anchor but not in the model's params (or has no Fisher); anchor the same model.`);
        total = tf.add(total, tf.sum(tf.mul(f, tf.square(tf.sub(theta, star))))) as tf.Scalar;
      }
    }
    return tf.mul(total, lambda / 2) as tf.Scalar;
  });
}

/** Options of {@link diagonalFisher}. */
export interface FisherOptions {
  /** Which parameters to estimate F for (default all of `model.params`); EWC on a shared encoder passes its params. */
  params?: Params;
}

/**
 * The diagonal empirical Fisher `F_i = mean_n (∂ log p(y_n | x_n; θ) / ∂θ_i)²`, one example per backward pass
 * (squaring a batch's mean gradient would underestimate it). Dropout off.
 * @param examples labelled examples of the task just learned (e.g. a few dozen of its training set)
 * @returns F by parameter name (caller disposes)
 * @throws Error on no examples
 */
export function diagonalFisher(model: TaskModel, examples: readonly EncodedExample[], padId: number, options: FisherOptions = {}): Map<string, tf.Tensor> {
  const { params = model.params } = options;
  if (examples.length === 0) throw new Error("diagonalFisher: no examples; pass some of the task's training set.");
  const fisher = new Map<string, tf.Tensor>();
  for (let n = 0; n < examples.length; n++) {
    const batch = padBatch([examples[n]!], [n], padId);
    const { value, grads } = valueAndGrads(params, () =>
      tf.tidy(() => {
        const logits = model.logits(batchTensors(batch)) as tf.Tensor2D; // [1, C]
        const logProbs = tf.logSoftmax(logits); // [1, C]
        return tf.neg(tf.sum(tf.mul(logProbs, tf.oneHot([batch.targets[0] as number], model.numLabels)))) as tf.Scalar;
      }),
    );
    for (const [name, g] of Object.entries(grads)) {
      const previous = fisher.get(name);
      fisher.set(name, tf.tidy(() => (previous ? tf.add(previous, tf.square(g)) : tf.square(g))));
      previous?.dispose();
    }
    tf.dispose([value, ...Object.values(grads)]);
  }
  for (const [name, sum] of fisher) {
    fisher.set(name, tf.div(sum, examples.length));
    sum.dispose();
  }
  return fisher;
}

/** θ* and F of `params` now, as an anchor (caller disposes with {@link disposeEwcAnchor}). */
export function ewcAnchor(params: Params, fisher: Map<string, tf.Tensor>): EwcAnchor {
  const optimal = new Map<string, tf.Tensor>();
  for (const name of fisher.keys()) optimal.set(name, tf.clone(params.get(name) as tf.Tensor));
  return { optimal, fisher };
}

/** Frees an anchor's tensors. */
export function disposeEwcAnchor(anchor: EwcAnchor): void {
  tf.dispose([...anchor.optimal.values(), ...anchor.fisher.values()]);
}
