/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", §4.1): a frozen Linear `W` `[in, out]`
 * gets a trainable low-rank update
 *   h = x·W + b + Dropout(x)·A·B · α/r         A `[in, r]`, B `[r, out]`
 * `A` starts Kaiming-uniform (`peft`: `kaiming_uniform_(a=√5)`, i.e. U(−1/√in, 1/√in)) and `B` at zero, so
 * `ΔW = A·B·α/r = 0` and the adapted model equals the base at step 0. Merging adds `ΔW` into `W` (no extra cost at
 * inference); unmerging restores `W`.
 * Saved as `peft` does: `<module>.lora_A.weight` `[r, in]` and `<module>.lora_B.weight` `[out, r]` (PyTorch layout).
 */
import * as tf from "@tensorflow/tfjs";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import { transpose2d } from "../checkpoint/hf-bert";
import type { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import { dropout, linear } from "../nn/layers";
import { disposeParams, type Params } from "../nn/params";
import { savedTensor, TUNER_PREFIX, variableOf, type PeftMethod } from "./method";
import { matchTargets } from "./targets";

export interface LoraConfig {
  /** Rank `r` of the update (default 8). */
  r?: number;
  /** `α`: the update is scaled by `α/r`, so changing `r` does not change the step size much (default 16, 2·r). */
  alpha?: number;
  /** Dropout on the LoRA branch's input (default 0.1, `peft`'s examples for BERT). */
  dropout?: number;
  /** Module names (see `matchTargets`); default `query`, `value` (the paper's choice, §7.1; `peft`'s BERT default). */
  targetModules?: readonly string[];
}

/** The defaults, frozen. */
export const LORA_DEFAULTS = Object.freeze({ r: 8, alpha: 16, dropout: 0.1, targetModules: Object.freeze(["query", "value"]) as readonly string[] });

interface LoraLayer {
  inSize: number;
  outSize: number;
  a: tf.Variable; // [in, r]
  b: tf.Variable; // [r, out]
}

/** `ΔW = A·B·α/r` `[in, out]` (inside the caller's tidy). */
export function loraDelta(a: tf.Tensor2D, b: tf.Tensor2D, scaling: number): tf.Tensor2D {
  return tf.mul(tf.matMul(a, b), scaling) as tf.Tensor2D; // [in, out]
}

/** LoRA on a set of a BERT's Linears (see the file comment). Caller disposes. */
export class Lora implements PeftMethod {
  readonly peftType = "LORA" as const;
  readonly params: Params = new Map();
  readonly virtualTokens = 0;
  readonly modulesPrefix = TUNER_PREFIX;
  readonly r: number;
  readonly alpha: number;
  readonly dropout: number;
  readonly targetModules: readonly string[];
  /** `α/r`. */
  readonly scaling: number;
  private readonly layers = new Map<string, LoraLayer>();
  /** Original weights of merged modules (restored exactly by `unmerge`), by module name. */
  private merged: Map<string, tf.Tensor> | undefined;
  private mergedInto: Params | undefined;

  /** Fresh LoRA matrices for `bert`'s config: `A` from `rng`, `B` zero. */
  constructor(bert: BertConfig, config: LoraConfig, rng: Rng | null) {
    const { r = LORA_DEFAULTS.r, alpha = LORA_DEFAULTS.alpha, dropout: p = LORA_DEFAULTS.dropout, targetModules = LORA_DEFAULTS.targetModules } = config;
    if (!(Number.isInteger(r) && r >= 1)) throw new Error(`LoRA rank r must be a positive integer, got ${r}`);
    if (!(p >= 0 && p < 1)) throw new Error(`LoRA dropout must be in [0, 1), got ${p}`);
    this.r = r;
    this.alpha = alpha;
    this.dropout = p;
    this.targetModules = [...targetModules];
    this.scaling = alpha / r;
    for (const { name, inSize, outSize } of matchTargets(bert, this.targetModules)) {
      const bound = 1 / Math.sqrt(inSize); // kaiming_uniform_(a=√5): gain √(2/6) · √(3/fan_in)
      const init = new Float32Array(inSize * r);
      if (rng !== null) for (let i = 0; i < init.length; i++) init[i] = (2 * rng.uniform() - 1) * bound;
      const a = variableOf(init, [inSize, r]);
      const b = variableOf(new Float32Array(r * outSize), [r, outSize]);
      this.layers.set(name, { inSize, outSize, a, b });
      this.params.set(`${name}.lora_A.weight`, a);
      this.params.set(`${name}.lora_B.weight`, b);
    }
  }

  /** The adapted module names, in model order. */
  get modules(): string[] {
    return [...this.layers.keys()];
  }

  readonly hooks: EncoderHooks = {
    linear: (name: string, x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D, rng?: Rng): tf.Tensor => {
      const base = linear(x, weight, bias); // [..., out]
      const layer = this.layers.get(name);
      if (layer === undefined || this.merged !== undefined) return base;
      const down = linear(dropout(x, this.dropout, rng), layer.a as tf.Tensor2D); // [..., r]
      return tf.add(base, tf.mul(linear(down, layer.b as tf.Tensor2D), this.scaling)); // [..., out]
    },
  };

  /**
   * Adds `ΔW` into the base weights in `params` (the frozen BERT's): then `hooks` skip the LoRA branch, and the
   * model runs at the base's cost. The original weights are kept, so `unmerge` restores them exactly.
   * @throws when already merged
   */
  merge(params: Params): void {
    if (this.merged !== undefined) throw new Error("LoRA: already merged (unmerge first)");
    const kept = new Map<string, tf.Tensor>();
    for (const [name, layer] of this.layers) {
      const w = params.get(`${name}.weight`);
      if (w === undefined) throw new Error(`LoRA merge: the model has no ${name}.weight`);
      kept.set(name, tf.clone(w));
      tf.tidy(() => w.assign(tf.add(w, loraDelta(layer.a as tf.Tensor2D, layer.b as tf.Tensor2D, this.scaling))));
    }
    this.merged = kept;
    this.mergedInto = params;
  }

  /** Restores the weights `merge` changed (exactly: `peft` subtracts `ΔW`, which rounds). No-op when not merged. */
  unmerge(): void {
    if (this.merged === undefined || this.mergedInto === undefined) return;
    for (const [name, original] of this.merged) (this.mergedInto.get(`${name}.weight`) as tf.Variable).assign(original);
    tf.dispose([...this.merged.values()]);
    this.merged = undefined;
    this.mergedInto = undefined;
  }

  /** Whether `merge` is in effect. */
  get isMerged(): boolean {
    return this.merged !== undefined;
  }

  configJson(): Record<string, unknown> {
    // Fields of `peft.LoraConfig` (peft 0.10+), defaults for what we do not implement.
    return { peft_type: "LORA", r: this.r, lora_alpha: this.alpha, lora_dropout: this.dropout, target_modules: [...this.targetModules], bias: "none", fan_in_fan_out: false, init_lora_weights: true, use_rslora: false, use_dora: false, layers_to_transform: null, layers_pattern: null, rank_pattern: {}, alpha_pattern: {} };
  }

  stateDict(): Map<string, SafetensorsInput> {
    const out = new Map<string, SafetensorsInput>();
    for (const [name, { inSize, outSize, a, b }] of this.layers) {
      out.set(`${TUNER_PREFIX}${name}.lora_A.weight`, { dtype: "F32", shape: [this.r, inSize], data: transpose2d(a.dataSync() as Float32Array, inSize, this.r) });
      out.set(`${TUNER_PREFIX}${name}.lora_B.weight`, { dtype: "F32", shape: [outSize, this.r], data: transpose2d(b.dataSync() as Float32Array, this.r, outSize) });
    }
    return out;
  }

  /** Rebuilds LoRA from `adapter_config.json` fields and its saved tensors (PyTorch layout). */
  static load(config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string): Lora {
    const lora = new Lora(bert, { r: Number(config["r"]), alpha: Number(config["lora_alpha"]), dropout: Number(config["lora_dropout"] ?? 0), targetModules: config["target_modules"] as string[] }, null);
    try {
      tf.tidy(() => {
        for (const [name, { inSize, outSize, a, b }] of lora.layers) {
          a.assign(tf.tensor(transpose2d(savedTensor(tensors, `${TUNER_PREFIX}${name}.lora_A.weight`, [lora.r, inSize], file), lora.r, inSize), [inSize, lora.r]));
          b.assign(tf.tensor(transpose2d(savedTensor(tensors, `${TUNER_PREFIX}${name}.lora_B.weight`, [outSize, lora.r], file), outSize, lora.r), [lora.r, outSize]));
        }
      });
    } catch (error) {
      lora.dispose();
      throw error;
    }
    return lora;
  }

  dispose(): void {
    this.unmerge();
    disposeParams(this.params);
    this.layers.clear();
  }
}
