/**
 * BERT (Devlin et al. 2019) as a derivation, top to bottom: embeddings → L encoder layers → heads.
 * Parameters carry Hugging Face's `BertForMaskedLM` names, so checkpoints map one to one; Linear weights are
 * stored `[in, out]` here (x·W) and transposed to PyTorch's `[out, in]` only in checkpoint files.
 *
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `N` heads, `V` vocabulary, `M` masked positions.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { dropout, gelu, layerNorm, linear } from "../nn/layers";
import { encoderLayer, type EncoderHooks, type EncoderLayerConfig } from "../nn/encoder-layer";
import { countParams, disposeParams, param, type Params } from "../nn/params";
import { validateConfig, type BertConfig } from "./config";

export interface BertInputs {
  /** `[B, T]` int32 token ids. */
  inputIds: tf.Tensor2D;
  /** `[B, T]` 1 for tokens, 0 for padding (default: all ones). */
  attentionMask?: tf.Tensor2D;
  /** `[B, T]` segment ids (default: all zeros). */
  tokenTypeIds?: tf.Tensor2D;
}

export interface BertEncodeOptions {
  /** Training mode when given: dropout draws its masks from it. Omit for evaluation. */
  rng?: Rng;
  /** Also return each layer's attention probabilities `[B, N, T, T]`. */
  outputAttentions?: boolean;
  /** Parameter-efficient methods' hooks (`lib/peft`); default none. */
  hooks?: EncoderHooks;
}

/** Every parameter's name and shape (in our `[in, out]` layout), in Hugging Face's order. */
export function parameterShapes(config: BertConfig): Map<string, number[]> {
  const { vocabSize: V, hiddenSize: H, intermediateSize: I, maxPositions: P, typeVocabSize: S } = config;
  const shapes = new Map<string, number[]>();
  const dense = (name: string, inSize: number, outSize: number) => {
    shapes.set(`${name}.weight`, [inSize, outSize]);
    shapes.set(`${name}.bias`, [outSize]);
  };
  const norm = (name: string) => {
    shapes.set(`${name}.weight`, [H]);
    shapes.set(`${name}.bias`, [H]);
  };
  shapes.set("bert.embeddings.word_embeddings.weight", [V, H]);
  shapes.set("bert.embeddings.position_embeddings.weight", [P, H]);
  shapes.set("bert.embeddings.token_type_embeddings.weight", [S, H]);
  norm("bert.embeddings.LayerNorm");
  for (let i = 0; i < config.numLayers; i++) {
    const layer = `bert.encoder.layer.${i}`;
    for (const part of ["query", "key", "value"]) dense(`${layer}.attention.self.${part}`, H, H);
    dense(`${layer}.attention.output.dense`, H, H);
    norm(`${layer}.attention.output.LayerNorm`);
    dense(`${layer}.intermediate.dense`, H, I);
    dense(`${layer}.output.dense`, I, H);
    norm(`${layer}.output.LayerNorm`);
  }
  dense("bert.pooler.dense", H, H);
  dense("cls.predictions.transform.dense", H, H);
  norm("cls.predictions.transform.LayerNorm");
  shapes.set("cls.predictions.bias", [V]);
  return shapes;
}

/** Biases and LayerNorm betas start at 0, LayerNorm gammas at 1, everything else ~ N(0, 0.02²) truncated. */
function initialValue(name: string, shape: number[], config: BertConfig, rng: Rng): tf.Tensor {
  if (name.endsWith(".bias")) return tf.zeros(shape);
  if (name.includes("LayerNorm")) return tf.ones(shape);
  return tf.tensor(rng.truncatedNormal(shape.reduce((a, b) => a * b, 1), config.initializerRange), shape);
}

export class BertModel {
  private constructor(
    readonly config: BertConfig,
    readonly params: Params,
  ) {}

  /** A randomly initialised model; all randomness from `rng`. Caller disposes (`dispose()`). */
  static init(config: BertConfig, rng: Rng): BertModel {
    validateConfig(config);
    const params: Params = new Map();
    for (const [name, shape] of parameterShapes(config)) {
      params.set(name, tf.tidy(() => tf.variable(initialValue(name, shape, config, rng), true)));
    }
    return new BertModel(config, params);
  }

  /**
   * A model from existing tensors (a loaded checkpoint): names and shapes must match `parameterShapes`.
   * The tensors are copied into new variables; the caller still owns (and disposes) what it passed.
   */
  static fromParams(config: BertConfig, tensors: Map<string, tf.Tensor>): BertModel {
    validateConfig(config);
    const expected = parameterShapes(config);
    const missing = [...expected.keys()].filter((name) => !tensors.has(name));
    if (missing.length > 0) throw new Error(`checkpoint lacks ${missing.length} parameter(s): ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`);
    const params: Params = new Map();
    for (const [name, shape] of expected) {
      const tensor = tensors.get(name) as tf.Tensor;
      if (tensor.shape.join() !== shape.join()) {
        disposeParams(params);
        throw new Error(`parameter ${name} has shape [${tensor.shape}] but the config needs [${shape}]`);
      }
      params.set(name, tf.tidy(() => tf.variable(tensor.toFloat(), true)));
    }
    return new BertModel(config, params);
  }

  private layerConfig(): EncoderLayerConfig {
    const c = this.config;
    return {
      hiddenSize: c.hiddenSize,
      numHeads: c.numHeads,
      intermediateSize: c.intermediateSize,
      dropoutRate: c.hiddenDropout,
      attentionDropoutRate: c.attentionDropout,
      layerNormEps: c.layerNormEps,
      initializerRange: c.initializerRange,
    };
  }

  private p(name: string): tf.Variable {
    return param(this.params, name);
  }

  /**
   * The encoder: token ids → contextual vectors. Call inside `tf.tidy`.
   * @returns `hidden` `[B, T, H]` and, when asked, each layer's attention probabilities.
   */
  encode(inputs: BertInputs, options: BertEncodeOptions = {}): { hidden: tf.Tensor3D; attentions: tf.Tensor4D[] } {
    const { rng, outputAttentions = false, hooks } = options;
    let hidden = this.embed(inputs, { rng, hooks }); // [B, T, H]
    const attentions: tf.Tensor4D[] = [];
    for (let i = 0; i < this.config.numLayers; i++) {
      const out = encoderLayer(hidden, this.params, `bert.encoder.layer.${i}.`, this.layerConfig(), { attentionMask: inputs.attentionMask, causal: this.config.causal, rng, hooks });
      hidden = out.hidden; // [B, T, H]
      if (outputAttentions) attentions.push(out.probs);
    }
    return { hidden, attentions };
  }

  /**
   * The embedding layer alone: LayerNorm(word + position + segment) with dropout, `[B, T]` ids → `[B, T, H]`
   * (inside the caller's tidy). ELECTRA's generator reads the discriminator's embeddings through this.
   */
  embed(inputs: BertInputs, options: Pick<BertEncodeOptions, "rng" | "hooks"> = {}): tf.Tensor3D {
    const { rng, hooks } = options;
    const { inputIds, tokenTypeIds } = inputs;
    const [, t] = inputIds.shape;
    const { hiddenSize: H, hiddenDropout, layerNormEps, maxPositions } = this.config;
    if (t > maxPositions) throw new Error(`sequence length ${t} exceeds maxPositions ${maxPositions}`);
    const gathered = tf.gather(this.p("bert.embeddings.word_embeddings.weight"), inputIds.toInt()) as tf.Tensor3D; // [B, T, H]
    const words = hooks?.wordEmbeddings ? hooks.wordEmbeddings(gathered) : gathered; // [B, T, H]
    const positions = this.p("bert.embeddings.position_embeddings.weight").slice([0, 0], [t, H]); // [T, H]
    const types = tokenTypeIds
      ? tf.gather(this.p("bert.embeddings.token_type_embeddings.weight"), tokenTypeIds.toInt()) // [B, T, H]
      : this.p("bert.embeddings.token_type_embeddings.weight").slice([0, 0], [1, H]); // [1, H]: segment 0 everywhere
    const summed = tf.add(tf.add(words, positions), types); // [B, T, H]
    return dropout(
      layerNorm(summed, this.p("bert.embeddings.LayerNorm.weight") as tf.Tensor1D, this.p("bert.embeddings.LayerNorm.bias") as tf.Tensor1D, layerNormEps),
      hiddenDropout,
      rng,
    ) as tf.Tensor3D; // [B, T, H]
  }

  /** The pooler: `tanh(W·h[CLS] + b)`, `[B, T, H]` → `[B, H]` (sequence classification reads this). */
  pool(hidden: tf.Tensor3D): tf.Tensor2D {
    const [b, , h] = hidden.shape;
    const first = hidden.slice([0, 0, 0], [b, 1, h]).reshape([b, h]); // [B, H]
    return tf.tanh(linear(first, this.p("bert.pooler.dense.weight") as tf.Tensor2D, this.p("bert.pooler.dense.bias") as tf.Tensor1D)) as tf.Tensor2D;
  }

  /**
   * The MLM head: dense + GELU + LayerNorm, then the decoder tied to the word embeddings, plus a bias.
   * Gather the masked positions first (`[M, H]`): projecting every token onto `V` costs more than the encoder.
   * @param hidden `[..., H]` → logits `[..., V]`.
   */
  mlmLogits(hidden: tf.Tensor): tf.Tensor {
    const transformed = layerNorm(
      gelu(linear(hidden, this.p("cls.predictions.transform.dense.weight") as tf.Tensor2D, this.p("cls.predictions.transform.dense.bias") as tf.Tensor1D)),
      this.p("cls.predictions.transform.LayerNorm.weight") as tf.Tensor1D,
      this.p("cls.predictions.transform.LayerNorm.bias") as tf.Tensor1D,
      this.config.layerNormEps,
    ); // [..., H]
    const h = this.config.hiddenSize;
    const flat = transformed.reshape([-1, h]); // [M, H]
    const logits = tf.add(tf.matMul(flat, this.p("bert.embeddings.word_embeddings.weight"), false, true), this.p("cls.predictions.bias")); // [M, V]
    return logits.reshape([...hidden.shape.slice(0, -1), this.config.vocabSize]);
  }

  /** Number of scalar parameters (the tied decoder counted once). */
  numParams(): number {
    return countParams(this.params);
  }

  /** Frees every variable. */
  dispose(): void {
    disposeParams(this.params);
  }
}
