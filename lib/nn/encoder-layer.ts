/**
 * One transformer encoder layer as in BERT (Devlin et al. 2019; post-LayerNorm residuals):
 *   a = LayerNorm(x + Dropout(SelfAttention(x)))
 *   y = LayerNorm(a + Dropout(W₂·GELU(W₁·a)))
 * Parameter names follow Hugging Face's `BertLayer` under a prefix (e.g. `encoder.layer.0.`), weights stored
 * `[in, out]`. Shape legend: `B` batch, `T` sequence, `H` hidden, `I` intermediate.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { multiHeadAttention } from "./attention";
import { dropout, gelu, layerNorm, linear } from "./layers";
import { constantVariable, normalVariable, param, type Params } from "./params";

export interface EncoderLayerConfig {
  hiddenSize: number;
  numHeads: number;
  intermediateSize: number;
  /** Dropout on the residual branches (BERT's `hidden_dropout_prob`: 0.1). */
  dropoutRate: number;
  /** Dropout on the attention probabilities (BERT's `attention_probs_dropout_prob`: 0.1; default `dropoutRate`). */
  attentionDropoutRate?: number;
  /** LayerNorm epsilon (BERT: 1e-12). */
  layerNormEps: number;
  /** Std of the truncated-normal initializer (BERT: 0.02). */
  initializerRange: number;
}

/** Creates the layer's variables in `params` under `prefix`, drawing from `rng`. */
export function initEncoderLayer(params: Params, prefix: string, config: EncoderLayerConfig, rng: Rng): void {
  const { hiddenSize: h, intermediateSize: i, initializerRange: std } = config;
  const dense = (name: string, inSize: number, outSize: number) => {
    params.set(`${prefix}${name}.weight`, normalVariable(`${prefix}${name}.weight`, [inSize, outSize], rng, std));
    params.set(`${prefix}${name}.bias`, constantVariable(`${prefix}${name}.bias`, [outSize], 0));
  };
  const norm = (name: string) => {
    params.set(`${prefix}${name}.weight`, constantVariable(`${prefix}${name}.weight`, [h], 1));
    params.set(`${prefix}${name}.bias`, constantVariable(`${prefix}${name}.bias`, [h], 0));
  };
  dense("attention.self.query", h, h);
  dense("attention.self.key", h, h);
  dense("attention.self.value", h, h);
  dense("attention.output.dense", h, h);
  norm("attention.output.LayerNorm");
  dense("intermediate.dense", h, i);
  dense("output.dense", i, h);
  norm("output.LayerNorm");
}

/** Attention's Linears under a layer, by Hugging Face's module names. */
const ATTENTION_NAMES = { query: "attention.self.query", key: "attention.self.key", value: "attention.self.value", output: "attention.output.dense" } as const;

/**
 * Interception points for parameter-efficient fine-tuning (`lib/peft`); each absent hook is the plain model.
 * Names are Hugging Face's module names, e.g. `bert.encoder.layer.0.attention.self.query`.
 */
export interface EncoderHooks {
  /** Replaces `linear(x, W, b)` of the Linear `name` (LoRA adds `drop(x)·A·B·α/r`; IA³ and adapters rescale or wrap). */
  linear?(name: string, x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D, rng?: Rng): tf.Tensor;
  /** Key and value prefixes `[B, P, H]` for the layer under `prefix` (e.g. `bert.encoder.layer.0.`): prefix tuning. */
  attentionPrefix?(prefix: string, batchSize: number): { key: tf.Tensor3D; value: tf.Tensor3D } | undefined;
  /** Rewrites the word embeddings `[B, T, H]` before positions are added (prompt tuning's virtual tokens). */
  wordEmbeddings?(words: tf.Tensor3D): tf.Tensor3D;
  /**
   * The gain and bias `[H]` to use for the LayerNorm `name` (e.g. `bert.encoder.layer.0.attention.output.LayerNorm`)
   * instead of the base's, or undefined for the base's (Houlsby adapters train their own copies).
   */
  layerNorm?(name: string): { weight: tf.Tensor1D; bias: tf.Tensor1D } | undefined;
}

export interface EncoderLayerInputs {
  /** `[B, T]` 1 = token, 0 = padding. */
  attentionMask?: tf.Tensor2D;
  causal?: boolean;
  /** Training mode when given: dropout draws its masks from it. */
  rng?: Rng;
  /** Parameter-efficient methods' hooks (see `EncoderHooks`). */
  hooks?: EncoderHooks;
}

/**
 * Runs the layer on `x` `[B, T, H]` → `[B, T, H]`, plus the attention probabilities `[B, N, T, T]`
 * (inside the caller's tidy).
 */
export function encoderLayer(x: tf.Tensor3D, params: Params, prefix: string, config: EncoderLayerConfig, inputs: EncoderLayerInputs = {}): { hidden: tf.Tensor3D; probs: tf.Tensor4D } {
  const { attentionMask, causal, rng, hooks } = inputs;
  const w2 = (name: string) => param(params, `${prefix}${name}`) as tf.Variable<tf.Rank.R2>;
  const w1 = (name: string) => param(params, `${prefix}${name}`) as tf.Variable<tf.Rank.R1>;
  const dense = (name: string) => ({ weight: w2(`${name}.weight`), bias: w1(`${name}.bias`) });
  const hooked = hooks?.linear;
  // Through the hook when there is one: `name` is the Linear's full Hugging Face name.
  const project = (name: string, input: tf.Tensor): tf.Tensor => (hooked ? hooked(`${prefix}${name}`, input, w2(`${name}.weight`), w1(`${name}.bias`), rng) : linear(input, w2(`${name}.weight`), w1(`${name}.bias`)));
  const { output, probs } = multiHeadAttention(
    x,
    { query: dense(ATTENTION_NAMES.query), key: dense(ATTENTION_NAMES.key), value: dense(ATTENTION_NAMES.value), output: dense(ATTENTION_NAMES.output) },
    config.numHeads,
    {
      attentionMask,
      causal,
      dropoutRate: config.attentionDropoutRate ?? config.dropoutRate,
      rng,
      project: hooked ? (part, input) => project(ATTENTION_NAMES[part], input) : undefined,
      prefix: hooks?.attentionPrefix?.(prefix, x.shape[0]),
    },
  );
  // A LayerNorm's gain and bias: the hook's own copies when it has them, else the base's.
  const norm = (name: string) => hooks?.layerNorm?.(`${prefix}${name}`) ?? { weight: w1(`${name}.weight`), bias: w1(`${name}.bias`) };
  const firstNorm = norm("attention.output.LayerNorm");
  const attended = layerNorm(tf.add(x, dropout(output, config.dropoutRate, rng)), firstNorm.weight, firstNorm.bias, config.layerNormEps); // [B, T, H]
  const inner = gelu(project("intermediate.dense", attended)); // [B, T, I]
  const projected = project("output.dense", inner); // [B, T, H]
  const secondNorm = norm("output.LayerNorm");
  const hidden = layerNorm(tf.add(attended, dropout(projected, config.dropoutRate, rng)), secondNorm.weight, secondNorm.bias, config.layerNormEps) as tf.Tensor3D;
  return { hidden, probs };
}
