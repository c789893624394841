/**
 * Attention rollout (Abnar & Zuidema 2020, §3): how much of each input token reaches a position through all layers,
 * if attention were the only thing mixing tokens. Per layer, average the heads and add the residual connection as
 * an identity, `Â_l = ½·(mean_heads A_l) + ½·I` (rows still sum to 1); then multiply through the layers,
 * `R = Â_L · … · Â_1`. Row `[CLS]` of `R` is the rollout a sequence classifier reads (it pools `[CLS]`).
 * It is a property of the attention maps, not of the output class: compare it with Integrated Gradients, not as one.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../core/tidy-data";
import type { BertModel } from "../model/bert";

/**
 * Rollout from `[CLS]` (position 0) to every token of one text.
 * @param inputIds one encoded text
 * @returns `[T]` non-negative weights summing to 1
 */
export function attentionRollout(bert: BertModel, inputIds: readonly number[]): number[] {
  const t = inputIds.length;
  const out = tidyData(() => {
    const { attentions } = bert.encode({ inputIds: tf.tensor2d([inputIds as number[]], [1, t], "int32") }, { outputAttentions: true }); // L × [1, N, T, T]
    return attentionRolloutMatrix(attentions.map((a) => a.mean(1).reshape([t, t]) as tf.Tensor2D)).slice([0, 0], [1, t]); // [1, T]: the [CLS] row
  });
  return Array.from(out);
}

/**
 * The rollout matrix `R = Â_L · … · Â_1` from each layer's head-averaged attention `[T, T]` (lowest layer first),
 * any encoder's — BERT's or a ViT's (inside the caller's tidy).
 * @returns `[T, T]`, rows summing to 1
 */
export function attentionRolloutMatrix(layers: readonly tf.Tensor2D[]): tf.Tensor2D {
  const t = layers[0]?.shape[0];
  if (t === undefined) throw new Error("attentionRolloutMatrix: no attention layers");
  const eye = tf.eye(t); // [T, T]
  let result: tf.Tensor2D = eye;
  for (const a of layers) {
    const mixed = tf.add(tf.mul(a, 0.5), tf.mul(eye, 0.5)) as tf.Tensor2D; // [T, T]
    result = tf.matMul(mixed, result); // layer l applied after the ones below it
  }
  return result;
}
