/**
 * `sentenceEmbeddings()`: texts → one vector each from a BERT encoder, for similarity search, clustering and
 * retrieval (the application chapter's entry point). Texts are encoded in length-sorted batches (little padding),
 * without dropout; vectors come back in the input order, L2-normalised by default so a dot product is the cosine.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertModel } from "../model/bert";
import type { BertTokenizer } from "../text/tokenizer";
import { tidyData } from "../core/tidy-data";
import { poolHidden, type Pooling } from "./pooling";

export interface SentenceEmbeddingOptions {
  /** `"mean"` of the real tokens (default) or the `[CLS]` vector. */
  pooling?: Pooling;
  /** Texts per forward pass (default 64). */
  batchSize?: number;
  /** Longer texts are truncated to this many tokens, [CLS] and [SEP] included (default 64). */
  maxLength?: number;
  /** Divide each vector by its L2 norm (default true). */
  normalize?: boolean;
}

/** Token ids and mask `[B, T]` of some texts, padded to the longest (plain arrays). */
export function encodeSentences(tokenizer: BertTokenizer, texts: readonly string[], maxLength: number): { inputIds: number[][]; attentionMask: number[][] } {
  const padId = tokenizer.tokenToId("[PAD]");
  if (padId === undefined) throw new Error("encodeSentences: the tokenizer has no [PAD] token");
  const ids = texts.map((text) => tokenizer.encode(text, null, { maxLength, truncation: true }).inputIds);
  const longest = ids.reduce((m, e) => Math.max(m, e.length), 0);
  return {
    inputIds: ids.map((e) => [...e, ...new Array<number>(longest - e.length).fill(padId)]),
    attentionMask: ids.map((e) => [...new Array<number>(e.length).fill(1), ...new Array<number>(longest - e.length).fill(0)]),
  };
}

/**
 * One vector per text (evaluation mode: no dropout); leaves no tensor behind.
 * @returns `texts.length` vectors of `hiddenSize` numbers, in the order of `texts`
 */
export function sentenceEmbeddings(bert: BertModel, tokenizer: BertTokenizer, texts: readonly string[], options: SentenceEmbeddingOptions = {}): Float32Array[] {
  const { pooling = "mean", batchSize = 64, maxLength = 64, normalize = true } = options;
  const h = bert.config.hiddenSize;
  const order = texts.map((text, i) => ({ i, n: text.length })).sort((a, b) => a.n - b.n || a.i - b.i).map((o) => o.i);
  const out = new Array<Float32Array>(texts.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const { inputIds, attentionMask } = encodeSentences(tokenizer, indices.map((i) => texts[i] as string), maxLength);
    const [b, t] = [inputIds.length, inputIds[0]?.length ?? 0];
    const flat = tidyData(() => {
      const mask = tf.tensor2d(attentionMask.flat(), [b, t], "int32");
      const { hidden } = bert.encode({ inputIds: tf.tensor2d(inputIds.flat(), [b, t], "int32"), attentionMask: mask }); // [B, T, H]
      const pooled = poolHidden(hidden, mask, pooling); // [B, H]
      return normalize ? tf.div(pooled, tf.maximum(tf.norm(pooled, 2, 1, true), 1e-12)) : pooled;
    });
    indices.forEach((index, k) => (out[index] = Float32Array.from(flat.subarray(k * h, (k + 1) * h))));
  }
  return out;
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosineSimilarity: vectors of ${a.length} and ${b.length} numbers`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
