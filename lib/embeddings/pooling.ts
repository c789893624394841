/**
 * From token vectors to one sentence vector (Reimers & Gurevych 2019, §3, compare `[CLS]` and mean pooling):
 *   cls:  h[CLS]                                  what BERT's pre-training puts a sentence-level objective on
 *   mean: Σ_t m_t·h_t / Σ_t m_t                   the average of the real (unpadded) tokens
 * Shape legend: `B` sentences, `T` tokens, `H` hidden.
 */
import * as tf from "@tensorflow/tfjs";

/** How token vectors become a sentence vector. */
export type Pooling = "cls" | "mean";

/** `[B, T, H]` with mask `[B, T]` → `[B, H]` (inside the caller's tidy). */
export function poolHidden(hidden: tf.Tensor3D, attentionMask: tf.Tensor2D, pooling: Pooling): tf.Tensor2D {
  const [b, t, h] = hidden.shape;
  if (pooling === "cls") return hidden.slice([0, 0, 0], [b, 1, h]).reshape([b, h]) as tf.Tensor2D; // [B, H]
  if (pooling !== "mean") throw new Error(`poolHidden: pooling "${pooling as string}" is not "cls" or "mean"`);
  const mask = attentionMask.toFloat().reshape([b, t, 1]); // [B, T, 1]
  return tf.div(tf.sum(tf.mul(hidden, mask), 1), tf.maximum(tf.sum(mask, 1), 1)) as tf.Tensor2D; // [B, H]
}
