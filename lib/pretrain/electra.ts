/**
 * ELECTRA's replaced-token detection (Clark et al. 2020, "ELECTRA: Pre-training Text Encoders as
 * Discriminators Rather Than Generators"; reference: google-research/electra `run_pretraining.py`,
 * `pretrain/pretrain_helpers.py`). A small masked-LM *generator* fills the masked positions with tokens it
 * samples from its softmax; a *discriminator* — a plain BERT encoder plus a per-token binary head — reads the
 * corrupted text and says, for every token, whether it was replaced. The discriminator learns from all `T`
 * positions, not only the 15 % masked ones, which is why ELECTRA's small models gain most per FLOP.
 *
 * As in the reference (`untied_generator`, tied embeddings, `generator_hidden_size` 0.25):
 * - the generator has the discriminator's depth and a quarter of its width (`intermediate` 4×, one head per 64
 *   dimensions); it *shares* the word, position and segment embeddings and the embedding LayerNorm (the
 *   reference's `electra/embeddings` scope), then projects them `H → H_g` (`embeddings_project`);
 * - its MLM head is `dense(H_g → H)` + GELU + LayerNorm, decoded by the shared word embeddings plus a bias
 *   (`get_token_logits`);
 * - the sample is categorical from softmax(logits) (temperature 1) and carries no gradient; a position is
 *   labelled "replaced" only where the sample differs from the original token (`_get_fake_data`);
 * - the discriminator head is `dense(H → H)` + GELU + `dense(H → 1)`; its loss is the sigmoid cross-entropy
 *   averaged over the real (attention-mask) tokens;
 * - loss = L_MLM(generator) + λ · L_disc, λ = 50 (`disc_weight`).
 * Sampling: the reference adds Gumbel noise and takes the argmax; we invert the CDF with one uniform per
 * masked position — the same categorical distribution, `M` draws instead of `M·V`, from the seeded `Rng`.
 * Parameter names follow Hugging Face's `ElectraForPreTraining` / `ElectraForMaskedLM` heads; the discriminator
 * keeps `BertModel`'s names, so it saves as an ordinary BERT checkpoint.
 *
 * Shape legend: `B` batch, `T` sequence, `H` discriminator hidden, `H_g` generator hidden, `V` vocabulary,
 * `M` masked positions.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../core/tidy-data";
import type { Rng } from "../core/rng";
import type { BertModel } from "../model/bert";
import { encoderLayer, type EncoderLayerConfig } from "../nn/encoder-layer";
import { gelu, layerNorm, linear } from "../nn/layers";
import { crossEntropy } from "../nn/loss";
import { constantVariable, disposeParams, normalVariable, param, type Params } from "../nn/params";

export interface ElectraOptions {
  /** Generator width as a fraction of the discriminator's (reference: 0.25; the paper's best is ¼–½). */
  generatorSize?: number;
  /** λ, the discriminator loss weight (reference: 50). */
  discWeight?: number;
}

/** The generator's encoder shape: the discriminator's depth, `round(H · size)` wide. */
export interface GeneratorShape extends EncoderLayerConfig {
  numLayers: number;
}

/**
 * The generator's shape for a discriminator `config` (`get_generator_config`): hidden `round(H · size)`,
 * intermediate 4× that, `⌊H_g / 64⌋` heads (at least one; fewer when that does not divide `H_g`).
 * @throws when `size` is not in (0, 1] or gives a hidden size below 1
 */
export function generatorShape(config: BertModel["config"], size = 0.25): GeneratorShape {
  if (!(size > 0 && size <= 1)) throw new Error(`ELECTRA generatorSize must be in (0, 1] (a fraction of the discriminator's width), got ${size}`);
  const hiddenSize = Math.round(config.hiddenSize * size);
  if (hiddenSize < 1) throw new Error(`ELECTRA generatorSize ${size} of hidden size ${config.hiddenSize} leaves no generator`);
  let numHeads = Math.max(1, Math.floor(hiddenSize / 64));
  while (hiddenSize % numHeads !== 0) numHeads--;
  return {
    numLayers: config.numLayers,
    hiddenSize,
    numHeads,
    intermediateSize: 4 * hiddenSize,
    dropoutRate: config.hiddenDropout,
    attentionDropoutRate: config.attentionDropout,
    layerNormEps: config.layerNormEps,
    initializerRange: config.initializerRange,
  };
}

/**
 * The names and shapes (our `[in, out]` layout) of the parameters ELECTRA adds to the discriminator's
 * `BertModel`: the generator's projection, layers and MLM head, and the discriminator's binary head.
 */
export function electraOwnShapes(config: BertModel["config"], generator: GeneratorShape): Map<string, number[]> {
  const { hiddenSize: H, vocabSize: V } = config;
  const { hiddenSize: G, intermediateSize: I } = generator;
  const shapes = new Map<string, number[]>();
  const dense = (name: string, inSize: number, outSize: number) => {
    shapes.set(`${name}.weight`, [inSize, outSize]);
    shapes.set(`${name}.bias`, [outSize]);
  };
  const norm = (name: string, size: number) => {
    shapes.set(`${name}.weight`, [size]);
    shapes.set(`${name}.bias`, [size]);
  };
  if (G !== H) dense("generator.embeddings_project", H, G);
  for (let i = 0; i < generator.numLayers; i++) {
    const layer = `generator.encoder.layer.${i}`;
    for (const part of ["query", "key", "value"]) dense(`${layer}.attention.self.${part}`, G, G);
    dense(`${layer}.attention.output.dense`, G, G);
    norm(`${layer}.attention.output.LayerNorm`, G);
    dense(`${layer}.intermediate.dense`, G, I);
    dense(`${layer}.output.dense`, I, G);
    norm(`${layer}.output.LayerNorm`, G);
  }
  dense("generator_predictions.dense", G, H);
  norm("generator_predictions.LayerNorm", H);
  shapes.set("generator_lm_head.bias", [V]);
  dense("discriminator_predictions.dense", H, H);
  dense("discriminator_predictions.dense_prediction", H, 1);
  return shapes;
}

/** The generator–discriminator pair. The discriminator is the caller's; `dispose()` frees only the rest. */
export class ElectraModel {
  private constructor(
    readonly discriminator: BertModel,
    readonly generator: GeneratorShape,
    /** The generator's layers and both heads (not the shared embeddings). */
    readonly own: Params,
    /** Every trained parameter: the discriminator's and `own`, by name. */
    readonly params: Params,
  ) {}

  /**
   * Builds a generator and the discriminator head around `discriminator` (weights ~ N(0, 0.02²) truncated,
   * biases 0, LayerNorm gains 1), drawing from `rng`.
   */
  static init(discriminator: BertModel, rng: Rng, options: ElectraOptions = {}): ElectraModel {
    const config = discriminator.config;
    if (config.causal) throw new Error("ELECTRA needs a bidirectional discriminator (a causal config was given)");
    const generator = generatorShape(config, options.generatorSize);
    const own: Params = new Map();
    for (const [name, shape] of electraOwnShapes(config, generator)) {
      const value = name.endsWith(".bias") ? 0 : name.includes("LayerNorm") ? 1 : undefined;
      own.set(name, value === undefined ? normalVariable(name, shape, rng, config.initializerRange) : constantVariable(name, shape, value));
    }
    return new ElectraModel(discriminator, generator, own, new Map([...discriminator.params, ...own]));
  }

  /**
   * Generator logits at the masked positions, `[M, V]` (inside the caller's tidy): shared embeddings →
   * projection → `L` narrow layers → gather → MLM head decoded by the shared word embeddings.
   * @param inputIds `[B, T]` the masked input; `flatPositions` `[M]` indices `b·T + t`; `rng` turns dropout on
   */
  generatorLogits(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, flatPositions: tf.Tensor1D, rng?: Rng): tf.Tensor2D {
    const p = (name: string) => param(this.own, name);
    let hidden: tf.Tensor = this.discriminator.embed({ inputIds }, { rng }); // [B, T, H]
    if (this.own.has("generator.embeddings_project.weight")) hidden = linear(hidden, p("generator.embeddings_project.weight") as tf.Tensor2D, p("generator.embeddings_project.bias") as tf.Tensor1D); // [B, T, H_g]
    for (let i = 0; i < this.generator.numLayers; i++) {
      hidden = encoderLayer(hidden as tf.Tensor3D, this.own, `generator.encoder.layer.${i}.`, this.generator, { attentionMask, rng }).hidden; // [B, T, H_g]
    }
    const gathered = tf.gather(hidden.reshape([-1, this.generator.hiddenSize]), flatPositions); // [M, H_g]
    const transformed = layerNorm(
      gelu(linear(gathered, p("generator_predictions.dense.weight") as tf.Tensor2D, p("generator_predictions.dense.bias") as tf.Tensor1D)),
      p("generator_predictions.LayerNorm.weight") as tf.Tensor1D,
      p("generator_predictions.LayerNorm.bias") as tf.Tensor1D,
      this.discriminator.config.layerNormEps,
    ); // [M, H]
    const table = param(this.discriminator.params, "bert.embeddings.word_embeddings.weight"); // [V, H], shared
    return tf.add(tf.matMul(transformed, table, false, true), p("generator_lm_head.bias")) as tf.Tensor2D; // [M, V]
  }

  /** Discriminator logits, one per token, `[B, T]` (> 0: "replaced"); inside the caller's tidy. */
  discriminatorLogits(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, rng?: Rng): tf.Tensor2D {
    const p = (name: string) => param(this.own, name);
    const [b, t] = inputIds.shape;
    const { hidden } = this.discriminator.encode({ inputIds, attentionMask }, { rng }); // [B, T, H]
    const inner = gelu(linear(hidden, p("discriminator_predictions.dense.weight") as tf.Tensor2D, p("discriminator_predictions.dense.bias") as tf.Tensor1D)); // [B, T, H]
    return linear(inner, p("discriminator_predictions.dense_prediction.weight") as tf.Tensor2D, p("discriminator_predictions.dense_prediction.bias") as tf.Tensor1D).reshape([b, t]); // [B, T]
  }

  /** Frees the generator and the heads (the discriminator stays the caller's). */
  dispose(): void {
    disposeParams(this.own);
    this.params.clear();
  }
}

/**
 * A categorical sample per row of `logits` `[M, V]` by inverting the CDF of softmax(logits) at `uniforms`
 * (`M` draws, each in [0, 1)): the first id whose cumulative probability reaches `u`. Plain numbers out: no
 * gradient flows through the sample (the reference's `stop_gradient`). A loop over the read-back probabilities: the
 * tensor form (`cumsum`, then a broadcast `less` over `[M, V]`) took 60 % of an ELECTRA step on wasm.
 */
export function sampleFromLogits(logits: tf.Tensor2D, uniforms: ArrayLike<number>): Int32Array {
  const [m, v] = logits.shape;
  if (uniforms.length !== m) throw new Error(`sampleFromLogits: ${m} rows of logits but ${uniforms.length} uniforms`);
  const probabilities = tidyData(() => tf.softmax(logits, -1)); // [M·V]
  const sampled = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const row = probabilities.subarray(i * v, (i + 1) * v);
    let total = 0;
    for (let j = 0; j < v; j++) total += row[j] as number;
    const target = (uniforms[i] as number) * total; // float32 probabilities need not sum to exactly 1
    let id = 0;
    for (let cumulative = row[0] as number; id < v - 1 && cumulative < target; cumulative += row[++id] as number);
    sampled[i] = id;
  }
  return sampled;
}

/** The discriminator's input and labels after the generator's samples replace the masked positions. */
export interface ReplacedTokens {
  /** `[B][T]` the original ids with `sampled[k]` at `flatPositions[k]`. */
  inputIds: number[][];
  /** `[B][T]` 1 where the input now differs from the original, 0 elsewhere (a correct sample is "original"). */
  labels: number[][];
}

/**
 * Scatters the generator's samples into the original sequences (`_get_fake_data`).
 * @throws when a position is outside the batch or the counts differ
 */
export function replaceTokens(original: readonly (readonly number[])[], flatPositions: readonly number[], sampled: ArrayLike<number>): ReplacedTokens {
  if (flatPositions.length !== sampled.length) throw new Error(`replaceTokens: ${flatPositions.length} positions but ${sampled.length} samples`);
  const t = original[0]?.length ?? 0;
  const inputIds = original.map((row) => [...row]);
  const labels = original.map((row) => row.map(() => 0));
  flatPositions.forEach((flat, k) => {
    const [b, j] = [Math.floor(flat / t), flat % t];
    const row = inputIds[b];
    if (row === undefined || !(j >= 0)) throw new Error(`replaceTokens: position ${flat} is outside the ${original.length}×${t} batch`);
    const id = sampled[k] as number;
    row[j] = id;
    (labels[b] as number[])[j] = id === original[b]?.[j] ? 0 : 1;
  });
  return { inputIds, labels };
}

/** Mean sigmoid cross-entropy of `logits` `[B, T]` against 0/1 `labels`, over positions where `weights` is 1. */
export function sigmoidCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor2D, weights: tf.Tensor2D): tf.Scalar {
  const z = labels.toFloat();
  const w = weights.toFloat();
  // max(x, 0) − x·z + log(1 + e^(−|x|)): stable for large |x|
  const losses = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.softplus(tf.neg(tf.abs(logits))));
  return tf.div(tf.sum(tf.mul(losses, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
}

/** One ELECTRA batch as tensors (caller disposes): the generator's masked input and the originals. */
export interface ElectraBatchTensors {
  /** `[B, T]` generator input (masked). */
  maskedIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  /** `[M]` flat indices `b·T + t` of the masked positions. */
  flatPositions: tf.Tensor1D;
  /** `[M]` original ids there. */
  maskedLabels: tf.Tensor1D;
}

/** What one forward pass produced (tensors inside the caller's tidy; arrays plain). */
export interface ElectraForward {
  /** L_MLM + λ·L_disc, a scalar. */
  loss: tf.Scalar;
  mlmLoss: tf.Scalar;
  discLoss: tf.Scalar;
  /** `[M, V]` generator logits at the masked positions. */
  generatorLogits: tf.Tensor2D;
  /** `[B, T]` discriminator logits. */
  discLogits: tf.Tensor2D;
  /** The generator's samples, one per masked position. */
  sampled: Int32Array;
  /** The discriminator's input and labels. */
  replaced: ReplacedTokens;
}

/**
 * The ELECTRA forward pass and loss (inside the caller's tidy or gradient tape).
 * @param original `[B][T]` the uncorrupted ids (the discriminator's input before replacement)
 * @param uniforms one draw in [0, 1) per masked position: the generator's samples (seeded by the caller)
 * @param rng turns dropout on (training); omit it to evaluate
 */
export function electraForward(model: ElectraModel, batch: ElectraBatchTensors, original: readonly (readonly number[])[], uniforms: readonly number[], options: { discWeight?: number; rng?: Rng } = {}): ElectraForward {
  const { discWeight = 50, rng } = options;
  const generatorLogits = model.generatorLogits(batch.maskedIds, batch.attentionMask, batch.flatPositions, rng); // [M, V]
  const mlmLoss = crossEntropy(generatorLogits, batch.maskedLabels);
  const sampled = sampleFromLogits(generatorLogits, uniforms); // the sample leaves the graph: no gradient through it
  const replaced = replaceTokens(original, Array.from(batch.flatPositions.dataSync()), sampled);
  const [b, t] = batch.maskedIds.shape;
  const discLogits = model.discriminatorLogits(tf.tensor2d(replaced.inputIds.flat(), [b, t], "int32"), batch.attentionMask, rng); // [B, T]
  const discLoss = sigmoidCrossEntropy(discLogits, tf.tensor2d(replaced.labels.flat(), [b, t], "int32"), batch.attentionMask);
  const loss = tf.add(mlmLoss, tf.mul(discLoss, discWeight)) as tf.Scalar;
  return { loss, mlmLoss, discLoss, generatorLogits, discLogits, sampled, replaced };
}
