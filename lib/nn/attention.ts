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
}

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
  const { attentionMask, causal = false, dropoutRate = 0, rng } = options;
  const [b, t, h] = x.shape;
  if (h % numHeads !== 0) throw new Error(`hidden size ${h} is not divisible by ${numHeads} heads`);
  const q = splitHeads(linear(x, weights.query.weight, weights.query.bias), numHeads); // [B, N, T, D]
  const k = splitHeads(linear(x, weights.key.weight, weights.key.bias), numHeads); // [B, N, T, D]
  const v = splitHeads(linear(x, weights.value.weight, weights.value.bias), numHeads); // [B, N, T, D]
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(h / numHeads)); // [B, N, T, T]
  if (attentionMask !== undefined) {
    const keyMask = attentionMask.toFloat().reshape([b, 1, 1, t]); // [B, 1, 1, T]
    scores = tf.add(scores, tf.mul(tf.sub(1, keyMask), -10000));
  }
  if (causal) {
    const future = tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)); // [T, T], 1 above the diagonal
    scores = tf.add(scores, tf.mul(future, -10000));
  }
  const probs = tf.softmax(scores, -1) as tf.Tensor4D; // [B, N, T, T]
  const context = tf.matMul(dropout(probs, dropoutRate, rng) as tf.Tensor4D, v); // [B, N, T, D]
  const merged = context.transpose([0, 2, 1, 3]).reshape([b, t, h]); // [B, T, H]
  return { output: linear(merged, weights.output.weight, weights.output.bias) as tf.Tensor3D, probs };
}
