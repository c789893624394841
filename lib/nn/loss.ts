/**
 * Softmax cross-entropy against integer labels, ignoring label −100 (Hugging Face's convention for padding,
 * non-first sub-tokens and unmasked MLM positions).
 */
import * as tf from "@tensorflow/tfjs";
import { CROSS_ENTROPY, fusedKernel } from "../core/native-fused";

/** The label that contributes nothing to the loss. */
export const IGNORE_INDEX = -100;

/**
 * Mean cross-entropy over the labelled positions.
 * @param logits `[N, C]`
 * @param labels `[N]` int32 class ids, or −100 to ignore
 * @returns a scalar (0 when nothing is labelled); inside the caller's tidy. On wasm with the native engine one
 *   fused kernel each way (`CourseCrossEntropy`: nothing of size [N, C] kept for the backward pass, which
 *   recomputes the softmax); elsewhere tfjs's ops.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  if (logits.dtype === "float32" && fusedKernel(CROSS_ENTROPY)) {
    const ids = labels.dtype === "int32" ? labels : labels.toInt();
    return tf.engine().runKernel(CROSS_ENTROPY, { logits, labels: ids }) as tf.Scalar;
  }
  const [, numClasses] = logits.shape;
  const logProbs = tf.logSoftmax(logits, -1); // [N, C]
  const target = tf.oneHot(labels.toInt(), numClasses); // [N, C]; rows of −100 are all zeros
  const count = tf.maximum(tf.sum(target), 1);
  return tf.div(tf.neg(tf.sum(tf.mul(target, logProbs))), count) as tf.Scalar;
}
