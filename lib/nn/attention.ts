/**
 * Multi-head self-attention (Vaswani et al. 2017, §3.2; BERT's `attention_layer`).
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `N` heads, `D` head size (`H = N·D`).
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { dropout, linear } from "./layers";

export interface AttentionWeights {
  query: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  key: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  value: { weight: tf.Tensor2D; bias: tf.Tensor1D };
  output: { weight: tf.Tensor2D; bias: tf.Tensor1D };
}

export interface AttentionOptions {
  /** `[B, T]`, 1 for real tokens, 0 for padding: padded keys get −10000 before softmax, so they get ~0 weight. */
  attentionMask?: tf.Tensor2D;
  /** Mask future positions (GPT-style causal LM). */
  causal?: boolean;
  dropoutRate?: number;
  rng?: Rng;
  /**
   * Replaces `linear(x, W, b)` for one projection (parameter-efficient methods in `lib/peft`: LoRA adds
   * `x·A·B·α/r`, IA³ rescales); absent, the plain Linear.
   */
  project?(part: AttentionProjection, x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor;
  /** Extra keys and values `[B, P, H]` every query also attends to, before the sequence's own (prefix tuning). */
  prefix?: { key: tf.Tensor3D; value: tf.Tensor3D };
}

/** The four Linears of attention, by their Hugging Face names (`output` is `attention.output.dense`). */
export type AttentionProjection = "query" | "key" | "value" | "output";

/** `[B, T, H]` → `[B, N, T, D]`. */
function splitHeads(x: tf.Tensor, numHeads: number): tf.Tensor4D {
  const [b, t, h] = x.shape as [number, number, number];
  return x.reshape([b, t, numHeads, h / numHeads]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/**
 * Self-attention over `x` `[B, T, H]` → `[B, T, H]` (before the residual and LayerNorm).
 * @returns the output and the attention probabilities `[B, N, T, T]` (inside the caller's tidy).
 */
export function multiHeadAttention(x: tf.Tensor3D, weights: AttentionWeights, numHeads: number, options: AttentionOptions = {}): { output: tf.Tensor3D; probs: tf.Tensor4D } {
  const { attentionMask, causal = false, dropoutRate = 0, rng, project, prefix } = options;
  const [b, t, h] = x.shape;
  if (h % numHeads !== 0) throw new Error(`hidden size ${h} is not divisible by ${numHeads} heads`);
  const apply = (part: AttentionProjection, input: tf.Tensor) => (project ? project(part, input, weights[part].weight, weights[part].bias) : linear(input, weights[part].weight, weights[part].bias));
  const p = prefix?.key.shape[1] ?? 0; // prefix length P (0 without prefix tuning)
  let keys = apply("key", x); // [B, T, H]
  let values = apply("value", x); // [B, T, H]
  if (prefix) {
    keys = tf.concat([prefix.key, keys], 1); // [B, P+T, H]
    values = tf.concat([prefix.value, values], 1); // [B, P+T, H]
  }
  const q = splitHeads(apply("query", x), numHeads); // [B, N, T, D]
  const k = splitHeads(keys, numHeads); // [B, N, P+T, D]
  const v = splitHeads(values, numHeads); // [B, N, P+T, D]
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(h / numHeads)); // [B, N, T, P+T]
  if (attentionMask !== undefined) {
    let keyMask = attentionMask.toFloat(); // [B, T]
    if (p > 0) keyMask = tf.concat([tf.ones([b, p]), keyMask], 1); // [B, P+T]: prefixes are always visible
    scores = tf.add(scores, tf.mul(tf.sub(1, keyMask.reshape([b, 1, 1, p + t])), -10000));
  }
  if (causal) {
    let future = tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)); // [T, T], 1 above the diagonal
    if (p > 0) future = tf.concat([tf.zeros([t, p]), future], 1); // [T, P+T]
    scores = tf.add(scores, tf.mul(future, -10000));
  }
  const probs = tf.softmax(scores, -1) as tf.Tensor4D; // [B, N, T, P+T]
  const context = tf.matMul(dropout(probs, dropoutRate, rng) as tf.Tensor4D, v); // [B, N, T, D]
  const merged = context.transpose([0, 2, 1, 3]).reshape([b, t, h]); // [B, T, H]
  return { output: apply("output", merged) as tf.Tensor3D, probs };
}
