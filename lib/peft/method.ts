/**
 * What every parameter-efficient method in `lib/peft` is: a set of small trainable tensors plus `EncoderHooks`
 * that splice them into a frozen BERT's forward pass, and a way to and from Hugging Face `peft`'s files.
 * In memory, tensors are named by module without the adapter name (`bert.encoder.layer.0.attention.self.query.lora_A.weight`)
 * in our `[in, out]` Linear layout; `stateDict` gives the names and PyTorch layouts of `peft`'s file:
 * `base_model.model.<module>…` for tuner methods (LoRA, AdaLoRA, IA³: `peft` wraps the model in a `LoraModel`),
 * `prompt_embeddings` for prompt learning (prompt and prefix tuning), whose `modules_to_save` live under
 * `base_model.` (the transformers model is `base_model` itself there).
 */
import * as tf from "@tensorflow/tfjs";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import type { Params } from "../nn/params";

/** `peft`'s `PeftType` names (plus `BOTTLENECK`, which `peft` lacks: AdapterHub's Houlsby/Pfeiffer adapters). */
export type PeftType = "LORA" | "ADALORA" | "IA3" | "PROMPT_TUNING" | "PREFIX_TUNING" | "BOTTLENECK";

/** One adapter's method: trainable tensors, the hooks that use them, and its part of `adapter_config.json`. */
export interface PeftMethod {
  readonly peftType: PeftType;
  /** The trainable tensors (see the file comment for names and layout). */
  readonly params: Params;
  /** Spliced into the encoder while this adapter is active. */
  readonly hooks: EncoderHooks;
  /** Virtual tokens the method prepends to every input (prompt tuning), else 0. */
  readonly virtualTokens: number;
  /** Prefix of the `modules_to_save` tensors in the file: `base_model.model.` (tuners) or `base_model.` (prompt learning). */
  readonly modulesPrefix: string;
  /** The method's fields of `adapter_config.json` (`peft_type`, `r`, …; not `task_type` or `base_model_name_or_path`). */
  configJson(): Record<string, unknown>;
  /** Tensors as `peft` saves them (full file names, PyTorch layout). */
  stateDict(): Map<string, SafetensorsInput>;
  /** Training-time extras the fine-tuning loop calls (AdaLoRA's regulariser and rank schedule). */
  readonly training?: TrainingHooks;
  /** Frees the method's tensors. */
  dispose(): void;
}

/** What a method may add to the fine-tuning loop. */
export interface TrainingHooks {
  /** A term added to the loss (inside the loss's tidy). */
  regularizer?(): tf.Scalar;
  /** After each optimiser update, with that update's gradients by parameter name (1-based `step` of `steps`). */
  afterStep?(step: number, steps: number, grads: Readonly<Record<string, tf.Tensor>>): void;
}

/** `peft`'s prefix of tuner tensors (`LoraModel.model` is the transformers model). */
export const TUNER_PREFIX = "base_model.model.";
/** `peft`'s prefix of `modules_to_save` under prompt learning. */
export const PROMPT_PREFIX = "base_model.";

/** Rebuilds a method from its `adapter_config.json` fields and saved tensors (full file names, PyTorch layout). */
export type PeftMethodLoader = (config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string) => PeftMethod;

/** A variable holding `data` of `shape` (caller disposes). */
export function variableOf(data: Float32Array | number[], shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(data, shape), true));
}

/** `variable` as a float32 safetensors entry in its own layout (1-D, or 2-D without transposing). */
export function rawEntry(variable: tf.Tensor): SafetensorsInput {
  return { dtype: "F32", shape: variable.shape, data: Float32Array.from(variable.dataSync()) };
}

/**
 * The saved tensor `name` (PyTorch layout) checked against `shape`.
 * @throws naming the file and tensor when it is missing or its shape differs
 */
export function savedTensor(tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, name: string, shape: number[], file: string): Float32Array {
  const t = tensors.get(name);
  if (t === undefined) throw new Error(`${file}: no tensor ${name} (have ${[...tensors.keys()].slice(0, 4).join(", ")}${tensors.size > 4 ? ", …" : ""})`);
  if (t.shape.join() !== shape.join()) throw new Error(`${file}: ${name} has shape [${t.shape}] but this config needs [${shape}]`);
  return t.data;
}
