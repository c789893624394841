/**
 * Cross-entropy with optional class weights, PyTorch's `CrossEntropyLoss(weight=w, ignore_index=-100)`:
 *   loss = −Σᵢ w[yᵢ]·log p(yᵢ | xᵢ) / Σᵢ w[yᵢ]      (positions labelled −100 count nowhere)
 * Weights counter class imbalance (FPB is 60 % neutral); without them this is `nn/loss.ts`'s `crossEntropy`.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * @param logits `[N, C]`
 * @param labels `[N]` int32 class ids, or −100 to ignore
 * @param weights `C` class weights (default: all 1)
 * @returns a scalar (0 when nothing is labelled); inside the caller's tidy
 */
export function weightedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, weights?: readonly number[]): tf.Scalar {
  const [, numClasses] = logits.shape;
  if (weights !== undefined && weights.length !== numClasses) throw new Error(`class weights: ${weights.length} given for ${numClasses} classes`);
  const logProbs = tf.logSoftmax(logits, -1); // [N, C]
  let target: tf.Tensor = tf.oneHot(labels.toInt(), numClasses).toFloat(); // [N, C]; rows of −100 are all zeros
  if (weights !== undefined) target = tf.mul(target, tf.tensor1d([...weights]));
  const total = tf.maximum(tf.sum(target), 1e-12);
  return tf.div(tf.neg(tf.sum(tf.mul(target, logProbs))), total) as tf.Scalar;
}

/**
 * scikit-learn's `class_weight="balanced"`: `n / (C · count[c])`, so every class carries the same total
 * weight. A class absent from `labels` gets weight 1.
 */
export function balancedClassWeights(labels: readonly number[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) if (y >= 0 && y < numClasses) counts[y] = (counts[y] as number) + 1;
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (c > 0 ? n / (numClasses * c) : 1));
}
