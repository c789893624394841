/**
 * A BERT sequence classifier whose layers may have FEWER heads and FFN neurons than `hiddenSize` implies —
 * what structured pruning leaves behind. `BertConfig` ties the heads to the width (`H = N·D`) and gives every
 * layer the same `intermediateSize`, so it cannot describe a pruned model; here each layer has its own
 * `numHeads` (of the original head size `D`) and `intermediateSize`. The math is `lib/model/bert.ts`'s
 * (post-LN, exact GELU, −10000 on padded keys) with narrower matrices:
 *   Q, K, V  `[H, n·D]`   attention output `[n·D, H]`   FFN `[H, I']`, `[I', H]`
 * Parameter names are Hugging Face's, as in `BertModel`. tfjs only: `exportBertOnnx` assumes `H = N·D`.
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `n` kept heads, `D` head size, `I'` kept neurons, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertInputs } from "../model/bert";
import type { BertConfig } from "../model/config";
import { dropout, gelu, layerNorm, linear } from "../nn/layers";
import { countParams, disposeParams, param, type Params } from "../nn/params";
import type { SequenceClassifier } from "./classifier";

/** Sizes of one pruned layer. */
export interface CompactLayerSize {
  /** Heads kept (0 removes the attention branch: the layer adds only the output bias). */
  numHeads: number;
  /** FFN neurons kept. */
  intermediateSize: number;
}

/** The original configuration, the head size, and each layer's kept sizes. */
export interface CompactBertConfig {
  base: BertConfig;
  /** `D` = the original `hiddenSize / numHeads` (pruning removes heads, it does not narrow them). */
  headSize: number;
  layers: CompactLayerSize[];
}

/** A structurally pruned BERT + pooler + classifier (see the file comment). Owns its variables. */
export class CompactBertClassifier implements SequenceClassifier {
  readonly kind = "sequence" as const;

  /**
   * @param params every parameter under Hugging Face names (narrowed shapes), including `classifier.*`;
   *   taken over (disposed by `dispose()`)
   */
  constructor(
    readonly config: CompactBertConfig,
    readonly params: Params,
    readonly numLabels: number,
  ) {
    if (config.layers.length !== config.base.numLayers) throw new Error(`CompactBertClassifier: ${config.layers.length} layer sizes for ${config.base.numLayers} layers`);
  }

  private p(name: string): tf.Variable {
    return param(this.params, name);
  }

  /** Self-attention with `n` heads of size `D`: `[B, T, H]` → `[B, T, H]` (before the residual). */
  private attention(x: tf.Tensor3D, prefix: string, n: number, attentionMask: tf.Tensor2D | undefined, rng: Rng | undefined): tf.Tensor {
    const [b, t, h] = x.shape;
    const bias = this.p(`${prefix}attention.output.dense.bias`);
    if (n === 0) return tf.add(tf.zeros([b, t, h]), bias); // every head pruned: only the output bias is left
    const D = this.config.headSize;
    const w = (name: string) => this.p(`${prefix}attention.self.${name}.weight`) as tf.Tensor2D;
    const bi = (name: string) => this.p(`${prefix}attention.self.${name}.bias`) as tf.Tensor1D;
    const split = (y: tf.Tensor) => y.reshape([b, t, n, D]).transpose([0, 2, 1, 3]); // [B, n, T, D]
    const q = split(linear(x, w("query"), bi("query")));
    const k = split(linear(x, w("key"), bi("key")));
    const v = split(linear(x, w("value"), bi("value")));
    let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(D)); // [B, n, T, T]
    if (attentionMask !== undefined) scores = tf.add(scores, tf.mul(tf.sub(1, attentionMask.toFloat().reshape([b, 1, 1, t])), -10000));
    const probs = dropout(tf.softmax(scores, -1), this.config.base.attentionDropout, rng);
    const context = tf.matMul(probs, v).transpose([0, 2, 1, 3]).reshape([b, t, n * D]); // [B, T, n·D]
    return linear(context, this.p(`${prefix}attention.output.dense.weight`) as tf.Tensor2D, bias as tf.Tensor1D); // [B, T, H]
  }

  /** `[B, T]` inputs → logits `[B, C]`. Call inside `tf.tidy`; `rng` turns on dropout. */
  logits(inputs: BertInputs, options: { rng?: Rng } = {}): tf.Tensor2D {
    const { rng } = options;
    const { inputIds, attentionMask, tokenTypeIds } = inputs;
    const c = this.config.base;
    const [b, t] = inputIds.shape;
    const H = c.hiddenSize;
    const v1 = (name: string) => this.p(name) as tf.Tensor1D;
    const v2 = (name: string) => this.p(name) as tf.Tensor2D;
    const words = tf.gather(this.p("bert.embeddings.word_embeddings.weight"), inputIds.toInt()); // [B, T, H]
    const positions = this.p("bert.embeddings.position_embeddings.weight").slice([0, 0], [t, H]); // [T, H]
    const types = tokenTypeIds ? tf.gather(this.p("bert.embeddings.token_type_embeddings.weight"), tokenTypeIds.toInt()) : this.p("bert.embeddings.token_type_embeddings.weight").slice([0, 0], [1, H]);
    let hidden = dropout(layerNorm(tf.add(tf.add(words, positions), types), v1("bert.embeddings.LayerNorm.weight"), v1("bert.embeddings.LayerNorm.bias"), c.layerNormEps), c.hiddenDropout, rng) as tf.Tensor3D;
    this.config.layers.forEach((size, i) => {
      const p = `bert.encoder.layer.${i}.`;
      const attended = layerNorm(tf.add(hidden, dropout(this.attention(hidden, p, size.numHeads, attentionMask, rng), c.hiddenDropout, rng)), v1(`${p}attention.output.LayerNorm.weight`), v1(`${p}attention.output.LayerNorm.bias`), c.layerNormEps); // [B, T, H]
      const inner = gelu(linear(attended, v2(`${p}intermediate.dense.weight`), v1(`${p}intermediate.dense.bias`))); // [B, T, I']
      const projected = linear(inner, v2(`${p}output.dense.weight`), v1(`${p}output.dense.bias`)); // [B, T, H]
      hidden = layerNorm(tf.add(attended, dropout(projected, c.hiddenDropout, rng)), v1(`${p}output.LayerNorm.weight`), v1(`${p}output.LayerNorm.bias`), c.layerNormEps) as tf.Tensor3D;
    });
    const first = hidden.slice([0, 0, 0], [b, 1, H]).reshape([b, H]); // [B, H]: [CLS]
    const pooled = tf.tanh(linear(first, v2("bert.pooler.dense.weight"), v1("bert.pooler.dense.bias"))); // [B, H]
    return linear(dropout(pooled, c.hiddenDropout, rng), v2("classifier.weight"), v1("classifier.bias")) as tf.Tensor2D; // [B, C]
  }

  /** Number of scalar parameters. */
  numParams(): number {
    return countParams(this.params);
  }

  /** Frees every variable. */
  dispose(): void {
    disposeParams(this.params);
  }
}
