/**
 * Prompt tuning (Lester et al. 2021, "The Power of Scale for Parameter-Efficient Prompt Tuning", §2): `P` trainable
 * input embeddings — "soft prompts" — prepended to every sequence; the whole model stays frozen. As `peft`'s
 * `PromptEmbedding` for an encoder: the prompts replace the first `P` word embeddings, and position and segment
 * embeddings are added to them like to any token (so the `[CLS]` the pooler reads is now a virtual token, as in
 * `peft`). Not an identity at init: the prompts are new tokens every position attends to.
 * Initialisation: `SAMPLE_VOCAB` (default; Lester et al. §3.2 "sampled vocab": rows of the frozen word embeddings
 * drawn at random) or `RANDOM` (N(0, 1), `torch.nn.Embedding`'s, `peft`'s default).
 * Saved as `prompt_embeddings` `[P, H]`; modules under `base_model.`.
 */
import * as tf from "@tensorflow/tfjs";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import type { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import { disposeParams, type Params } from "../nn/params";
import { PROMPT_PREFIX, rawEntry, savedTensor, variableOf, type PeftMethod } from "./method";

export interface PromptTuningConfig {
  /** Virtual tokens `P` (default 20, Lester et al.'s sweet spot across sizes). */
  numVirtualTokens?: number;
  /** `SAMPLE_VOCAB` (default) or `RANDOM`. */
  init?: "SAMPLE_VOCAB" | "RANDOM";
}

/** Soft prompts (see the file comment). Caller disposes. */
export class PromptTuning implements PeftMethod {
  readonly peftType = "PROMPT_TUNING" as const;
  readonly params: Params = new Map();
  readonly modulesPrefix = PROMPT_PREFIX;
  readonly virtualTokens: number;
  readonly init: "SAMPLE_VOCAB" | "RANDOM";
  /** `[P, H]`. */
  readonly prompts: tf.Variable;

  /**
   * @param wordEmbeddings the frozen `[V, H]` table to sample rows from (`SAMPLE_VOCAB`); `rng` null: zeros (loading)
   */
  constructor(
    private readonly bert: BertConfig,
    config: PromptTuningConfig,
    rng: Rng | null,
    wordEmbeddings?: tf.Tensor,
  ) {
    const { numVirtualTokens: p = 20, init = "SAMPLE_VOCAB" } = config;
    if (!(Number.isInteger(p) && p >= 1)) throw new Error(`prompt tuning: numVirtualTokens must be a positive integer, got ${p}`);
    this.virtualTokens = p;
    this.init = init;
    const h = bert.hiddenSize;
    let values = new Float32Array(p * h);
    if (rng !== null && init === "RANDOM") values = Float32Array.from({ length: p * h }, () => rng.normal());
    if (rng !== null && init === "SAMPLE_VOCAB") {
      if (wordEmbeddings === undefined) throw new Error("prompt tuning SAMPLE_VOCAB needs the word embeddings to sample from");
      const table = wordEmbeddings.dataSync();
      for (let i = 0; i < p; i++) {
        const row = rng.int(bert.vocabSize);
        values.set(table.subarray(row * h, (row + 1) * h), i * h);
      }
    }
    this.prompts = variableOf(values, [p, h]);
    this.params.set("prompt_embeddings", this.prompts);
  }

  readonly hooks: EncoderHooks = {
    // The first P positions hold placeholders (`PeftModel.logits` puts them there): swap in the prompts.
    wordEmbeddings: (words: tf.Tensor3D): tf.Tensor3D => {
      const [b, t, h] = words.shape;
      const prompts = tf.broadcastTo(this.prompts.expandDims(0), [b, this.virtualTokens, h]); // [B, P, H]
      return tf.concat([prompts, words.slice([0, this.virtualTokens, 0], [b, t - this.virtualTokens, h])], 1) as tf.Tensor3D; // [B, T, H]
    },
  };

  configJson(): Record<string, unknown> {
    const c = this.bert;
    return { peft_type: "PROMPT_TUNING", num_virtual_tokens: this.virtualTokens, token_dim: c.hiddenSize, num_transformer_submodules: 1, num_attention_heads: c.numHeads, num_layers: c.numLayers, prompt_tuning_init: this.init, prompt_tuning_init_text: null, tokenizer_name_or_path: null };
  }

  stateDict(): Map<string, SafetensorsInput> {
    return new Map([["prompt_embeddings", rawEntry(this.prompts)]]);
  }

  static load(config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string): PromptTuning {
    const p = Number(config["num_virtual_tokens"]);
    const method = new PromptTuning(bert, { numVirtualTokens: p, init: config["prompt_tuning_init"] === "RANDOM" ? "RANDOM" : "SAMPLE_VOCAB" }, null);
    try {
      const data = savedTensor(tensors, "prompt_embeddings", [p, bert.hiddenSize], file);
      tf.tidy(() => method.prompts.assign(tf.tensor(data, [p, bert.hiddenSize])));
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
