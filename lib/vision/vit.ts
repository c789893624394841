/**
 * A Vision Transformer (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words", §3.1, Eq. 1–4) built from the
 * SAME encoder layers as the course's BERT (`lib/nn/encoder-layer.ts`): only the embeddings differ.
 *   z₀ = [x_class; x_p¹E; …; x_pᴺE] + E_pos        patches → vectors, a learned [CLS], learned positions
 *   z_ℓ = EncoderLayer(z_ℓ₋₁),  ℓ = 1…L             BERT's layer, unchanged
 *   y  = z_L⁰ · W + b                                the [CLS] vector → class logits
 * Differences from the paper, on purpose: BERT's post-LayerNorm layer (the paper's is pre-LN, with a final
 * LayerNorm; post-LN already ends in a LayerNorm, so there is none here), and a linear head without the
 * pre-training MLP. Parameter names follow Hugging Face's `ViTForImageClassification` for the embeddings and the
 * head (`vit.embeddings.cls_token`, …, `classifier.weight`) and BERT's for the layers (`vit.encoder.layer.0.…`).
 * Shape legend: `B` images, `N` patches, `T = N + 1` tokens, `H` hidden, `C` classes, `P` patch side.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { dropout, linear } from "../nn/layers";
import { encoderLayer, initEncoderLayer, type EncoderLayerConfig } from "../nn/encoder-layer";
import { constantVariable, countParams, disposeParams, normalVariable, param, type Params } from "../nn/params";
import { patchify } from "./patches";

export interface VitConfig {
  /** Model input `[height, width]` in pixels (images are resized to it). */
  imageSize: [number, number];
  /** Side of a square patch; divides both image sides. */
  patchSize: number;
  numChannels: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  numLabels: number;
  /** Dropout on embeddings and residual branches (0 here: Fashion-MNIST at these sizes underfits before it overfits). */
  dropoutRate: number;
  layerNormEps: number;
  /** Std of the truncated-normal initializer (BERT's and HF ViT's 0.02). */
  initializerRange: number;
  /**
   * What the head reads: the `[CLS]` token (the paper's default, BERT's habit) or the mean of the patch tokens
   * (global average pooling; the paper's Appendix D.3 finds both work, GAP at a different learning rate).
   */
  pooling: "cls" | "mean";
}

/**
 * For Fashion-MNIST: 28×28 resized to 32×32 and cut into 8×8 patches (16 patches, 17 tokens), a BERT-Tiny-like
 * encoder of hidden 64 — small enough to train on 2 cores in minutes.
 */
export const VIT_FASHION_MNIST: Readonly<VitConfig> = Object.freeze({
  imageSize: [32, 32] as [number, number],
  patchSize: 8,
  numChannels: 1,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 128,
  numLabels: 10,
  dropoutRate: 0,
  layerNormEps: 1e-12,
  initializerRange: 0.02,
  pooling: "cls",
});

/** Number of patches `N = (h/P)·(w/P)`. @throws when the patch size does not divide the image */
export function numPatches(config: VitConfig): number {
  const [h, w] = config.imageSize;
  if (h % config.patchSize !== 0 || w % config.patchSize !== 0) throw new Error(`VitConfig: patchSize ${config.patchSize} does not divide imageSize ${h}×${w}`);
  return (h / config.patchSize) * (w / config.patchSize);
}

export class VisionTransformer {
  private constructor(
    readonly config: VitConfig,
    readonly params: Params,
  ) {}

  /** A randomly initialised ViT, all randomness from `rng` (caller disposes: `dispose()`). */
  static init(config: VitConfig, rng: Rng): VisionTransformer {
    if (config.hiddenSize % config.numHeads !== 0) throw new Error(`VitConfig: hiddenSize ${config.hiddenSize} is not divisible by numHeads ${config.numHeads}`);
    const n = numPatches(config);
    const { hiddenSize: h, patchSize: p, numChannels: c, initializerRange: std } = config;
    const params: Params = new Map();
    const normal = (name: string, shape: number[]) => params.set(name, normalVariable(name, shape, rng, std));
    const zeros = (name: string, shape: number[]) => params.set(name, constantVariable(name, shape, 0));
    normal("vit.embeddings.patch_embeddings.projection.weight", [p * p * c, h]); // E: [P²·C, H]
    zeros("vit.embeddings.patch_embeddings.projection.bias", [h]);
    normal("vit.embeddings.cls_token", [1, h]); // x_class
    normal("vit.embeddings.position_embeddings", [n + 1, h]); // E_pos: [T, H]
    for (let i = 0; i < config.numLayers; i++) initEncoderLayer(params, `vit.encoder.layer.${i}.`, layerConfig(config), rng);
    normal("classifier.weight", [h, config.numLabels]);
    zeros("classifier.bias", [config.numLabels]);
    return new VisionTransformer(config, params);
  }

  /** z₀: preprocessed images `[B, h, w, C]` → `[B, T, H]` (inside the caller's tidy; `rng` turns dropout on). */
  embed(images: tf.Tensor4D, rng?: Rng): tf.Tensor3D {
    const [b, ih, iw, ic] = images.shape;
    const { imageSize, numChannels, hiddenSize: h } = this.config;
    if (ih !== imageSize[0] || iw !== imageSize[1] || ic !== numChannels) throw new Error(`VisionTransformer: images are ${ih}×${iw}×${ic} but the model takes ${imageSize[0]}×${imageSize[1]}×${numChannels}; preprocess them (resizeImages) first`);
    const patches = patchify(images, this.config.patchSize); // [B, N, P²·C]
    const projected = linear(patches, this.p("vit.embeddings.patch_embeddings.projection.weight") as tf.Tensor2D, this.p("vit.embeddings.patch_embeddings.projection.bias") as tf.Tensor1D); // [B, N, H]
    const cls = tf.tile(this.p("vit.embeddings.cls_token").reshape([1, 1, h]), [b, 1, 1]); // [B, 1, H]
    const tokens = tf.concat([cls, projected], 1); // [B, T, H]
    return dropout(tf.add(tokens, this.p("vit.embeddings.position_embeddings")), this.config.dropoutRate, rng) as tf.Tensor3D; // [B, T, H]
  }

  /**
   * The encoder over the patch tokens (inside the caller's tidy).
   * @returns `hidden` `[B, T, H]` and, when asked, each layer's attention probabilities `[B, N_heads, T, T]`
   */
  encode(images: tf.Tensor4D, options: { rng?: Rng; outputAttentions?: boolean } = {}): { hidden: tf.Tensor3D; attentions: tf.Tensor4D[] } {
    const { rng, outputAttentions = false } = options;
    let hidden = this.embed(images, rng); // [B, T, H]
    const attentions: tf.Tensor4D[] = [];
    for (let i = 0; i < this.config.numLayers; i++) {
      const out = encoderLayer(hidden, this.params, `vit.encoder.layer.${i}.`, layerConfig(this.config), { rng });
      hidden = out.hidden; // [B, T, H]
      if (outputAttentions) attentions.push(out.probs);
    }
    return { hidden, attentions };
  }

  /** Class logits `[B, C]` from `[CLS]` or the patch mean (`config.pooling`; inside the caller's tidy; `rng` turns dropout on). */
  logits(images: tf.Tensor4D, options: { rng?: Rng } = {}): tf.Tensor2D {
    const { hidden } = this.encode(images, options); // [B, T, H]
    const [b, t, h] = hidden.shape;
    const pooled = this.config.pooling === "mean" ? hidden.slice([0, 1, 0], [b, t - 1, h]).mean(1) : hidden.slice([0, 0, 0], [b, 1, h]).reshape([b, h]); // [B, H]
    return linear(pooled, this.p("classifier.weight") as tf.Tensor2D, this.p("classifier.bias") as tf.Tensor1D) as tf.Tensor2D; // [B, C]
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return countParams(this.params);
  }

  /** Frees every variable. */
  dispose(): void {
    disposeParams(this.params);
  }

  private p(name: string): tf.Variable {
    return param(this.params, name);
  }
}

/** The encoder-layer configuration of a ViT (the same type BERT passes). */
function layerConfig(config: VitConfig): EncoderLayerConfig {
  return {
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    intermediateSize: config.intermediateSize,
    dropoutRate: config.dropoutRate,
    layerNormEps: config.layerNormEps,
    initializerRange: config.initializerRange,
  };
}
