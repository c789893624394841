/**
 * IA³ (Liu et al. 2022, "Few-Shot Parameter-Efficient Fine-Tuning is Better and Cheaper than In-Context Learning",
 * §3.3): learned vectors that rescale activations — keys and values in attention, and the FFN's inner activation:
 *   k = l_k ⊙ (x·W_k + b_k)      v = l_v ⊙ (x·W_v + b_v)      y = (l_ff ⊙ gelu(x·W₁ + b₁))·W₂ + b₂
 * Every `l` starts at 1, so the adapted model equals the base at step 0. `peft`'s `IA3Layer`: a module in
 * `feedforward_modules` scales its INPUT (`ia3_l` `[1, in]`), any other target its OUTPUT, bias included
 * (`ia3_l` `[out, 1]`). `peft`'s BERT defaults, kept here: targets `key`, `value`, `output.dense`, feed-forward
 * `output.dense` — which also matches `attention.output.dense` (its input, the attention context, is rescaled too).
 * Saved as `base_model.model.<module>.ia3_l` (no `.weight`).
 */
import * as tf from "@tensorflow/tfjs";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import type { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import { linear } from "../nn/layers";
import { disposeParams, type Params } from "../nn/params";
import { savedTensor, TUNER_PREFIX, variableOf, type PeftMethod } from "./method";
import { matchTargets } from "./targets";

export interface Ia3Config {
  /** Modules to rescale (default `key`, `value`, `output.dense`: `peft`'s BERT mapping). */
  targetModules?: readonly string[];
  /** Targets whose input is rescaled instead of the output (default `output.dense`). */
  feedforwardModules?: readonly string[];
}

export const IA3_DEFAULTS = Object.freeze({ targetModules: Object.freeze(["key", "value", "output.dense"]) as readonly string[], feedforwardModules: Object.freeze(["output.dense"]) as readonly string[] });

interface Ia3Layer {
  feedforward: boolean;
  /** `[in]` (feed-forward) or `[out]`. */
  scale: tf.Variable;
}

/** IA³ on a BERT's Linears (see the file comment). Caller disposes. */
export class Ia3 implements PeftMethod {
  readonly peftType = "IA3" as const;
  readonly params: Params = new Map();
  readonly virtualTokens = 0;
  readonly modulesPrefix = TUNER_PREFIX;
  readonly targetModules: readonly string[];
  readonly feedforwardModules: readonly string[];
  private readonly layers = new Map<string, Ia3Layer>();

  constructor(bert: BertConfig, config: Ia3Config = {}) {
    const { targetModules = IA3_DEFAULTS.targetModules, feedforwardModules = IA3_DEFAULTS.feedforwardModules } = config;
    this.targetModules = [...targetModules];
    this.feedforwardModules = [...feedforwardModules];
    for (const { name, inSize, outSize } of matchTargets(bert, this.targetModules)) {
      const feedforward = this.feedforwardModules.some((f) => name.endsWith(f)); // peft: `key.endswith(ff)`
      const scale = variableOf(new Float32Array(feedforward ? inSize : outSize).fill(1), [feedforward ? inSize : outSize]);
      this.layers.set(name, { feedforward, scale });
      this.params.set(`${name}.ia3_l`, scale);
    }
  }

  readonly hooks: EncoderHooks = {
    linear: (name: string, x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D, _rng?: Rng): tf.Tensor => {
      const layer = this.layers.get(name);
      if (layer === undefined) return linear(x, weight, bias);
      if (layer.feedforward) return linear(tf.mul(x, layer.scale), weight, bias); // (l ⊙ x)·W + b
      return tf.mul(linear(x, weight, bias), layer.scale); // l ⊙ (x·W + b)
    },
  };

  configJson(): Record<string, unknown> {
    return { peft_type: "IA3", target_modules: [...this.targetModules], feedforward_modules: [...this.feedforwardModules], fan_in_fan_out: false, init_ia3_weights: true };
  }

  stateDict(): Map<string, SafetensorsInput> {
    const out = new Map<string, SafetensorsInput>();
    for (const [name, { feedforward, scale }] of this.layers) {
      out.set(`${TUNER_PREFIX}${name}.ia3_l`, { dtype: "F32", shape: feedforward ? [1, scale.size] : [scale.size, 1], data: Float32Array.from(scale.dataSync()) });
    }
    return out;
  }

  static load(config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string): Ia3 {
    const ia3 = new Ia3(bert, { targetModules: config["target_modules"] as string[], feedforwardModules: (config["feedforward_modules"] as string[] | null) ?? [] });
    try {
      tf.tidy(() => {
        for (const [name, { feedforward, scale }] of ia3.layers) {
          const data = savedTensor(tensors, `${TUNER_PREFIX}${name}.ia3_l`, feedforward ? [1, scale.size] : [scale.size, 1], file);
          scale.assign(tf.tensor(data, [scale.size]));
        }
      });
    } catch (error) {
      ia3.dispose();
      throw error;
    }
    return ia3;
  }

  dispose(): void {
    disposeParams(this.params);
    this.layers.clear();
  }
}
