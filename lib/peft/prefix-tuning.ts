/**
 * Prefix tuning (Li & Liang 2021, "Prefix-Tuning: Optimizing Continuous Prompts for Generation", §4): every layer's
 * attention also attends to `P` trainable key and value vectors; the model stays frozen.
 *   training:  [P, L·2·H] = tanh(E·W₁ + b₁)·W₂ + b₂      E `[P, H]`, W₁ `[H, M]`, W₂ `[M, L·2·H]`  (§4.3: "directly
 *              updating the prefix parameters leads to unstable optimization"; the MLP reparameterises them)
 *   stored:    only the prefixes `[P, L·2·H]` — `peft` saves `prompt_embeddings` = the MLP's output and, in inference
 *              mode, loads them into a plain table (no MLP).
 * Column layout, as `peft`'s `past_key_values` view `[P, L·2, N, D]`: layer `l`'s keys are columns
 * `[2l·H, (2l+1)·H)`, its values `[(2l+1)·H, (2l+2)·H)`. Prefixes are visible to every query (mask 1), as in `peft`.
 * Not an identity at init: attention mass moves to the prefixes.
 */
import * as tf from "@tensorflow/tfjs";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import type { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import { linear } from "../nn/layers";
import { disposeParams, type Params } from "../nn/params";
import { PROMPT_PREFIX, savedTensor, variableOf, type PeftMethod } from "./method";

export interface PrefixTuningConfig {
  /** Prefix length `P` (default 10; Li & Liang use 10 for table-to-text, 200 for summarisation). */
  numVirtualTokens?: number;
  /** Train through the MLP (default true, §4.3); false trains the prefixes directly. */
  prefixProjection?: boolean;
  /** The MLP's hidden size `M` (default the model's hidden size, `peft`'s `encoder_hidden_size` default). */
  encoderHiddenSize?: number;
}

/** `nn.Linear`'s default init (`kaiming_uniform_(a=√5)`: U(±1/√in) for weight and bias), in our `[in, out]` layout. */
function torchLinear(inSize: number, outSize: number, rng: Rng): { weight: tf.Variable; bias: tf.Variable } {
  const bound = 1 / Math.sqrt(inSize);
  const draw = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * bound);
  return { weight: variableOf(draw(inSize * outSize), [inSize, outSize]), bias: variableOf(draw(outSize), [outSize]) };
}

/** Per-layer key/value prefixes (see the file comment). Caller disposes. */
export class PrefixTuning implements PeftMethod {
  readonly peftType = "PREFIX_TUNING" as const;
  readonly params: Params = new Map();
  readonly modulesPrefix = PROMPT_PREFIX;
  readonly virtualTokens = 0; // prefixes live inside attention, not in the input
  readonly numVirtualTokens: number;
  readonly prefixProjection: boolean;
  readonly encoderHiddenSize: number;

  /** `rng` null: a direct zero table `[P, L·2·H]` to load saved prefixes into (inference mode). */
  constructor(
    private readonly bert: BertConfig,
    config: PrefixTuningConfig,
    rng: Rng | null,
  ) {
    const { numVirtualTokens: p = 10, prefixProjection = true, encoderHiddenSize = bert.hiddenSize } = config;
    if (!(Number.isInteger(p) && p >= 1)) throw new Error(`prefix tuning: numVirtualTokens must be a positive integer, got ${p}`);
    this.numVirtualTokens = p;
    this.prefixProjection = prefixProjection;
    this.encoderHiddenSize = encoderHiddenSize;
    const h = bert.hiddenSize;
    const width = bert.numLayers * 2 * h;
    if (rng === null) {
      this.params.set("prefixes", variableOf(new Float32Array(p * width), [p, width]));
      return;
    }
    const normal = (n: number) => Float32Array.from({ length: n }, () => rng.normal()); // nn.Embedding: N(0, 1)
    if (!prefixProjection) {
      this.params.set("prefixes", variableOf(normal(p * width), [p, width]));
      return;
    }
    this.params.set("embedding", variableOf(normal(p * h), [p, h]));
    const first = torchLinear(h, encoderHiddenSize, rng);
    const second = torchLinear(encoderHiddenSize, width, rng);
    this.params.set("transform.0.weight", first.weight);
    this.params.set("transform.0.bias", first.bias);
    this.params.set("transform.2.weight", second.weight);
    this.params.set("transform.2.bias", second.bias);
  }

  /** All layers' prefixes `[P, L·2·H]` (inside the caller's tidy). */
  prefixes(): tf.Tensor2D {
    const p = (name: string) => this.params.get(name) as tf.Variable;
    if (this.params.has("prefixes")) return p("prefixes") as tf.Tensor2D;
    const hidden = tf.tanh(linear(p("embedding"), p("transform.0.weight") as tf.Tensor2D, p("transform.0.bias") as tf.Tensor1D)); // [P, M]
    return linear(hidden, p("transform.2.weight") as tf.Tensor2D, p("transform.2.bias") as tf.Tensor1D) as tf.Tensor2D; // [P, L·2·H]
  }

  readonly hooks: EncoderHooks = {
    attentionPrefix: (layerPrefix: string, batchSize: number) => {
      const match = /layer\.(\d+)\.$/.exec(layerPrefix);
      if (match === null) return undefined;
      const l = Number(match[1]);
      const { hiddenSize: h } = this.bert;
      const all = this.prefixes(); // [P, L·2·H]
      const p = this.numVirtualTokens;
      const take = (column: number) => tf.broadcastTo(all.slice([0, column * h], [p, h]).expandDims(0), [batchSize, p, h]) as tf.Tensor3D; // [B, P, H]
      return { key: take(2 * l), value: take(2 * l + 1) };
    },
  };

  configJson(): Record<string, unknown> {
    const c = this.bert;
    return { peft_type: "PREFIX_TUNING", num_virtual_tokens: this.numVirtualTokens, token_dim: c.hiddenSize, num_transformer_submodules: 1, num_attention_heads: c.numHeads, num_layers: c.numLayers, encoder_hidden_size: this.encoderHiddenSize, prefix_projection: this.prefixProjection };
  }

  /** Only the prefixes, as `prompt_embeddings` `[P, L·2·H]` (the MLP is a training device, §4.3). */
  stateDict(): Map<string, SafetensorsInput> {
    const values = tf.tidy(() => this.prefixes().dataSync());
    return new Map([["prompt_embeddings", { dtype: "F32", shape: [this.numVirtualTokens, this.bert.numLayers * 2 * this.bert.hiddenSize], data: Float32Array.from(values) }]]);
  }

  static load(config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string): PrefixTuning {
    const p = Number(config["num_virtual_tokens"]);
    const method = new PrefixTuning(bert, { numVirtualTokens: p, prefixProjection: config["prefix_projection"] === true, encoderHiddenSize: Number(config["encoder_hidden_size"] ?? bert.hiddenSize) }, null);
    const width = bert.numLayers * 2 * bert.hiddenSize;
    try {
      const data = savedTensor(tensors, "prompt_embeddings", [p, width], file);
      tf.tidy(() => (method.params.get("prefixes") as tf.Variable).assign(tf.tensor(data, [p, width])));
    } catch (error) {
      method.dispose();
      throw error;
    }
    return method;
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
