/**
 * Bottleneck adapters (Houlsby et al. 2019, "Parameter-Efficient Transfer Learning for NLP", §2.1 and Fig. 2):
 * a small residual MLP after a sublayer's output projection, before the layer's own residual and LayerNorm:
 *   h ← h + act(h·W_down + b_down)·W_up + b_up        W_down `[H, m]`, W_up `[m, H]`, m = H / reductionFactor
 * Placement `houlsby`: after attention's output projection AND after the FFN's; `pfeiffer` (Pfeiffer et al. 2021,
 * "AdapterFusion", §3): after the FFN only — half the parameters, about the same accuracy.
 * Near-identity at init (Houlsby: "initialize the adapters to a near-identity function"): `W_down` ~ N(0, 0.01²),
 * `W_up` and the biases zero, so the adapted model equals the base exactly at step 0 and moves off it smoothly.
 * The activation is ReLU (AdapterHub's Pfeiffer default).
 * Houlsby et al. also train "the layer normalization parameters" of each layer (§2.1): with `trainLayerNorm` (the
 * default for the `houlsby` placement) the adapter holds its own copies of every encoder layer's two LayerNorm gains
 * and biases, initialised from the base's (so still identity at init), used instead of the base's and saved with it.
 * `peft` has no bottleneck adapters: the files use `peft_type` `BOTTLENECK` (ours) with `peft`'s naming habits:
 * `base_model.model.<sublayer>.adapter_down.weight` `[m, H]`, `…adapter_up.weight` `[H, m]` and their biases, and
 * the trained LayerNorms as `peft` saves a `modules_to_save` copy: `base_model.model.<layer>.attention.output.LayerNorm.weight`
 * `[H]` (config `train_layer_norm: true`; files without the key have frozen LayerNorms).
 */
import * as tf from "@tensorflow/tfjs";
import { transpose2d } from "../checkpoint/hf-bert";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import type { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import { linear } from "../nn/layers";
import { disposeParams, type Params } from "../nn/params";
import { rawEntry, savedTensor, TUNER_PREFIX, variableOf, type PeftMethod } from "./method";

export interface BottleneckConfig {
  /** `houlsby` (default: two adapters per layer) or `pfeiffer` (one, after the FFN). */
  placement?: "houlsby" | "pfeiffer";
  /** `m = H / reductionFactor`, at least 1 (default 16, AdapterHub's). */
  reductionFactor?: number;
  /** Train the encoder layers' LayerNorm gains and biases too (Houlsby et al.); default: true for `houlsby`, false for `pfeiffer`. */
  trainLayerNorm?: boolean;
}

/** The encoder layers' LayerNorms (Hugging Face module names). */
function layerNorms(config: BertConfig): string[] {
  return Array.from({ length: config.numLayers }, (_, i) => [`bert.encoder.layer.${i}.attention.output.LayerNorm`, `bert.encoder.layer.${i}.output.LayerNorm`]).flat();
}

/** In memory, a LayerNorm copy's parameter name (distinct from the base's `…LayerNorm.weight`); saved under the base's name. */
const OWN_NORM = ".adapter_layer_norm";
const normParam = (module: string, part: "weight" | "bias") => `${module.replace(/\.LayerNorm$/, OWN_NORM)}.${part}`;
const savedNormName = (param: string) => TUNER_PREFIX + param.replace(OWN_NORM, ".LayerNorm");

/** The Linears whose outputs get an adapter, by placement. */
function sublayers(config: BertConfig, placement: "houlsby" | "pfeiffer"): string[] {
  const out: string[] = [];
  for (let i = 0; i < config.numLayers; i++) {
    if (placement === "houlsby") out.push(`bert.encoder.layer.${i}.attention.output.dense`);
    out.push(`bert.encoder.layer.${i}.output.dense`);
  }
  return out;
}

/** Bottleneck adapters (see the file comment). Caller disposes. */
export class Bottleneck implements PeftMethod {
  readonly peftType = "BOTTLENECK" as const;
  readonly params: Params = new Map();
  readonly virtualTokens = 0;
  readonly modulesPrefix = TUNER_PREFIX;
  readonly placement: "houlsby" | "pfeiffer";
  readonly reductionFactor: number;
  readonly trainLayerNorm: boolean;
  /** Bottleneck width `m`. */
  readonly size: number;
  /** Adapted Linear name → its adapter's parameter-name stem (`…attention.output`). */
  private readonly stems = new Map<string, string>();

  /**
   * @param base the frozen encoder's parameters: the LayerNorm copies start from them (needed with `trainLayerNorm`;
   *   `null` when the values are about to be loaded from a file)
   * @throws when `reductionFactor` is not positive, or `trainLayerNorm` has no `base`
   */
  constructor(
    bert: BertConfig,
    config: BottleneckConfig,
    rng: Rng | null,
    base?: Params | null,
  ) {
    const { placement = "houlsby", reductionFactor = 16, trainLayerNorm = placement === "houlsby" } = config;
    if (!(reductionFactor > 0)) throw new Error(`bottleneck adapters: reductionFactor must be positive, got ${reductionFactor}`);
    if (trainLayerNorm && base === undefined) throw new Error("bottleneck adapters: Houlsby adapters train the LayerNorms, whose copies start from the base's — pass the base's params (createPeftModel gives them to the method factory as its second argument), or trainLayerNorm: false");
    this.placement = placement;
    this.reductionFactor = reductionFactor;
    this.trainLayerNorm = trainLayerNorm;
    const h = bert.hiddenSize;
    const m = Math.max(1, Math.round(h / reductionFactor));
    this.size = m;
    for (const name of sublayers(bert, placement)) {
      const stem = name.replace(/\.dense$/, "");
      this.stems.set(name, stem);
      this.params.set(`${stem}.adapter_down.weight`, variableOf(rng === null ? new Float32Array(h * m) : rng.truncatedNormal(h * m, 0.01), [h, m]));
      this.params.set(`${stem}.adapter_down.bias`, variableOf(new Float32Array(m), [m]));
      this.params.set(`${stem}.adapter_up.weight`, variableOf(new Float32Array(m * h), [m, h]));
      this.params.set(`${stem}.adapter_up.bias`, variableOf(new Float32Array(h), [h]));
    }
    if (trainLayerNorm) {
      for (const module of layerNorms(bert)) {
        for (const part of ["weight", "bias"] as const) {
          const from = base?.get(`${module}.${part}`);
          if (base && from === undefined) throw new Error(`bottleneck adapters: the base has no ${module}.${part} to copy`);
          this.params.set(normParam(module, part), from ? tf.tidy(() => tf.variable(tf.clone(from), true)) : variableOf(new Float32Array(h).fill(part === "weight" ? 1 : 0), [h]));
        }
      }
    }
  }

  readonly hooks: EncoderHooks = {
    linear: (name: string, x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor => {
      const h = linear(x, weight, bias); // [B, T, H]
      const stem = this.stems.get(name);
      if (stem === undefined) return h;
      const p = (part: string) => this.params.get(`${stem}.${part}`) as tf.Variable;
      const down = tf.relu(linear(h, p("adapter_down.weight") as tf.Tensor2D, p("adapter_down.bias") as tf.Tensor1D)); // [B, T, m]
      return tf.add(h, linear(down, p("adapter_up.weight") as tf.Tensor2D, p("adapter_up.bias") as tf.Tensor1D)); // [B, T, H]
    },
    layerNorm: (name: string) => {
      if (!this.trainLayerNorm) return undefined;
      const weight = this.params.get(normParam(name, "weight")) as tf.Tensor1D | undefined;
      const bias = this.params.get(normParam(name, "bias")) as tf.Tensor1D | undefined;
      return weight && bias ? { weight, bias } : undefined;
    },
  };

  configJson(): Record<string, unknown> {
    return { peft_type: "BOTTLENECK", placement: this.placement, reduction_factor: this.reductionFactor, bottleneck_size: this.size, non_linearity: "relu", train_layer_norm: this.trainLayerNorm };
  }

  stateDict(): Map<string, SafetensorsInput> {
    const out = new Map<string, SafetensorsInput>();
    for (const [name, v] of this.params) {
      if (v.rank === 2) {
        const [inSize, outSize] = v.shape as [number, number];
        out.set(TUNER_PREFIX + name, { dtype: "F32", shape: [outSize, inSize], data: transpose2d(v.dataSync() as Float32Array, inSize, outSize) });
      } else out.set(name.includes(OWN_NORM) ? savedNormName(name) : TUNER_PREFIX + name, rawEntry(v));
    }
    return out;
  }

  static load(config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string): Bottleneck {
    const method = new Bottleneck(bert, { placement: config["placement"] === "pfeiffer" ? "pfeiffer" : "houlsby", reductionFactor: Number(config["reduction_factor"]), trainLayerNorm: config["train_layer_norm"] === true }, null, null);
    try {
      tf.tidy(() => {
        for (const [name, v] of method.params) {
          if (v.rank === 2) {
            const [inSize, outSize] = v.shape as [number, number];
            v.assign(tf.tensor(transpose2d(savedTensor(tensors, TUNER_PREFIX + name, [outSize, inSize], file), outSize, inSize), [inSize, outSize]));
          } else v.assign(tf.tensor(savedTensor(tensors, name.includes(OWN_NORM) ? savedNormName(name) : TUNER_PREFIX + name, v.shape, file), v.shape));
        }
      });
    } catch (error) {
      method.dispose();
      throw error;
    }
    return method;
  }

  dispose(): void {
    disposeParams(this.params);
    this.stems.clear();
  }
}
