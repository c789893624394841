/**
 * Sentence embeddings from a BERT encoder by **mean pooling** (Reimers & Gurevych 2019, §3: the mean of the last
 * layer's token vectors over real tokens, padding masked out), then centred (the mean embedding subtracted — raw BERT
 * vectors share a large common direction, so every cosine is near 1; Ethayarajh 2019) and L2-normalised.
 * Shape legend: `B` batch, `T` tokens, `H` hidden.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../../core/tidy-data";
import { batchTensors, lengthSortedBatches, padBatch, type EncodedExample } from "../../tasks/batching";
import type { BertModel } from "../../model/bert";
import type { BertTokenizer } from "../../text/tokenizer";

/**
 * Embeds texts (evaluation mode, no dropout; no tensors left behind).
 * @param options `maxLength` in tokens (default 64), `batchSize` (default 64), `center` (default true)
 * @returns `[N, H]` row-major, each row unit length (a zero row stays zero)
 * @throws when the tokenizer has no `[PAD]`
 */
export function meanPooledEmbeddings(bert: BertModel, tokenizer: BertTokenizer, texts: readonly string[], options: { maxLength?: number; batchSize?: number; center?: boolean } = {}): Float32Array {
  const { maxLength = 64, batchSize = 64, center = true } = options;
  const padId = tokenizer.tokenToId(tokenizer.padToken);
  if (padId === undefined) throw new Error(`meanPooledEmbeddings: the tokenizer has no ${tokenizer.padToken} token`);
  const h = bert.config.hiddenSize;
  const limit = Math.min(maxLength, bert.config.maxPositions);
  const examples: EncodedExample[] = texts.map((t) => ({ inputIds: tokenizer.encode(t, null, { maxLength: limit, truncation: true }).inputIds, target: 0 }));
  const out = new Float32Array(texts.length * h);
  for (const indices of lengthSortedBatches(examples, batchSize)) {
    const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
    const pooled = tidyData(() => {
      const inputs = batchTensors(batch);
      const hidden = bert.encode(inputs).hidden; // [B, T, H]
      const mask = inputs.attentionMask.toFloat().expandDims(2); // [B, T, 1]
      return tf.div(tf.sum(tf.mul(hidden, mask), 1), tf.maximum(tf.sum(mask, 1), 1)); // [B, H]
    });
    indices.forEach((index, row) => out.set(pooled.subarray(row * h, (row + 1) * h), index * h));
  }
  const n = texts.length;
  if (center && n > 0) {
    const mean = new Float64Array(h);
    for (let i = 0; i < n; i++) for (let d = 0; d < h; d++) mean[d] = (mean[d] as number) + (out[i * h + d] as number) / n;
    for (let i = 0; i < n; i++) for (let d = 0; d < h; d++) out[i * h + d] = (out[i * h + d] as number) - (mean[d] as number);
  }
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < h; d++) norm += (out[i * h + d] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < h; d++) out[i * h + d] = (out[i * h + d] as number) / norm;
  }
  return out;
}
