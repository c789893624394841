/**
 * A sequence classifier's logits from **word embeddings** instead of token ids — what Integrated Gradients
 * differentiates (HF's `inputs_embeds`). It is `BertForSequenceClassification.logits` with the `gather` of the word
 * embeddings taken out, in evaluation mode (no dropout); tests/eval/embedding-forward.test.ts checks it equals
 * `model.logits` on the model's own embeddings. Shape legend: `B` batch, `T` sequence, `H` hidden, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import { encoderLayer } from "../nn/encoder-layer";
import { layerNorm, linear } from "../nn/layers";
import { param } from "../nn/params";
import type { TaskModel } from "../tasks/heads";

/**
 * The word-embedding rows of `inputIds` (`[B, T]` → `[B, T, H]`). Call inside `tf.tidy` (or dispose the result).
 */
export function wordEmbeddings(model: TaskModel, inputIds: tf.Tensor2D): tf.Tensor3D {
  return tf.gather(param(model.bert.params, "bert.embeddings.word_embeddings.weight"), inputIds.toInt()) as tf.Tensor3D;
}

/**
 * Logits `[B, C]` of a sequence classifier from word embeddings `[B, T, H]` (segment 0, positions 0..T−1, no dropout).
 * Call inside `tf.tidy`; differentiable with respect to `embeddings`.
 * @param attentionMask `[B, T]` 1 for tokens, 0 for padding (default all ones)
 * @throws when the model is a token classifier or T exceeds `maxPositions`
 */
export function logitsFromEmbeddings(model: TaskModel, embeddings: tf.Tensor3D, attentionMask?: tf.Tensor2D): tf.Tensor2D {
  if (model.kind !== "sequence") throw new Error("logitsFromEmbeddings: needs a sequence-classification model (attributions explain one label per text)");
  const c = model.bert.config;
  const p = (name: string) => param(model.bert.params, name);
  const [, t, h] = embeddings.shape;
  if (t > c.maxPositions) throw new Error(`logitsFromEmbeddings: sequence length ${t} exceeds maxPositions ${c.maxPositions}`);
  const positions = p("bert.embeddings.position_embeddings.weight").slice([0, 0], [t, h]); // [T, H]
  const types = p("bert.embeddings.token_type_embeddings.weight").slice([0, 0], [1, h]); // [1, H]: segment 0
  let hidden = layerNorm(tf.add(tf.add(embeddings, positions), types), p("bert.embeddings.LayerNorm.weight") as tf.Tensor1D, p("bert.embeddings.LayerNorm.bias") as tf.Tensor1D, c.layerNormEps) as tf.Tensor3D; // [B, T, H]
  const layer = { hiddenSize: c.hiddenSize, numHeads: c.numHeads, intermediateSize: c.intermediateSize, dropoutRate: c.hiddenDropout, attentionDropoutRate: c.attentionDropout, layerNormEps: c.layerNormEps, initializerRange: c.initializerRange };
  for (let i = 0; i < c.numLayers; i++) hidden = encoderLayer(hidden, model.bert.params, `bert.encoder.layer.${i}.`, layer, { attentionMask, causal: c.causal }).hidden; // [B, T, H]
  const pooled = model.bert.pool(hidden); // [B, H]
  return linear(pooled, param(model.head, "classifier.weight") as tf.Tensor2D, param(model.head, "classifier.bias") as tf.Tensor1D) as tf.Tensor2D; // [B, C]
}
