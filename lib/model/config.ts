/**
 * BERT configurations: typed, with frozen presets, and convertible to and from Hugging Face's `config.json`.
 * Presets follow Turc et al. 2019 ("Well-Read Students Learn Better"), the sizes Google released as BERT-Tiny,
 * -Mini, -Small, plus BERT-Base (Devlin et al. 2019).
 */

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  /** Longest sequence the position table holds. */
  maxPositions: number;
  /** Segment ids (sentence A/B). */
  typeVocabSize: number;
  hiddenDropout: number;
  attentionDropout: number;
  layerNormEps: number;
  /** Std of the truncated-normal weight initializer. */
  initializerRange: number;
  padTokenId: number;
  /** GPT-style: each position attends only to itself and earlier ones (the autoregressive-LM lesson). */
  causal: boolean;
}

const DEFAULTS = {
  vocabSize: 30522, // bert-base-uncased's; a course tokenizer passes its own
  maxPositions: 512,
  typeVocabSize: 2,
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  layerNormEps: 1e-12,
  initializerRange: 0.02,
  padTokenId: 0,
  causal: false,
} as const;

export const BERT_TINY: Readonly<BertConfig> = Object.freeze({ ...DEFAULTS, numLayers: 2, hiddenSize: 128, numHeads: 2, intermediateSize: 512 });
export const BERT_MINI: Readonly<BertConfig> = Object.freeze({ ...DEFAULTS, numLayers: 4, hiddenSize: 256, numHeads: 4, intermediateSize: 1024 });
export const BERT_SMALL: Readonly<BertConfig> = Object.freeze({ ...DEFAULTS, numLayers: 4, hiddenSize: 512, numHeads: 8, intermediateSize: 2048 });
export const BERT_BASE: Readonly<BertConfig> = Object.freeze({ ...DEFAULTS, numLayers: 12, hiddenSize: 768, numHeads: 12, intermediateSize: 3072 });

export const BERT_PRESETS = { tiny: BERT_TINY, mini: BERT_MINI, small: BERT_SMALL, base: BERT_BASE } as const;
export type BertPreset = keyof typeof BERT_PRESETS;

/** Checks sizes that must agree; throws naming the field. */
export function validateConfig(config: BertConfig, where = "config"): BertConfig {
  for (const key of ["vocabSize", "hiddenSize", "numLayers", "numHeads", "intermediateSize", "maxPositions", "typeVocabSize"] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new Error(`${where}: ${key} must be a positive integer, got ${config[key]}`);
  }
  if (config.hiddenSize % config.numHeads !== 0) throw new Error(`${where}: hiddenSize ${config.hiddenSize} is not divisible by numHeads ${config.numHeads}`);
  for (const key of ["hiddenDropout", "attentionDropout"] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) throw new Error(`${where}: ${key} must be in [0, 1), got ${config[key]}`);
  }
  return config;
}

/** A preset with overrides, e.g. `bertConfig("mini", { vocabSize: 8000 })`. */
export function bertConfig(preset: BertPreset, overrides: Partial<BertConfig> = {}): BertConfig {
  const base = BERT_PRESETS[preset];
  if (base === undefined) throw new Error(`unknown BERT preset "${preset}" (have: ${Object.keys(BERT_PRESETS).join(", ")})`);
  return validateConfig({ ...base, ...overrides }, `bertConfig("${preset}")`);
}

/** Hugging Face `BertConfig` JSON (what `BertForMaskedLM.from_pretrained` reads). */
export function configToHf(config: BertConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: [config.causal ? "BertLMHeadModel" : "BertForMaskedLM"],
    model_type: "bert",
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: "gelu", // exact erf GELU in Hugging Face's naming
    hidden_dropout_prob: config.hiddenDropout,
    attention_probs_dropout_prob: config.attentionDropout,
    max_position_embeddings: config.maxPositions,
    type_vocab_size: config.typeVocabSize,
    initializer_range: config.initializerRange,
    layer_norm_eps: config.layerNormEps,
    pad_token_id: config.padTokenId,
    position_embedding_type: "absolute",
    is_decoder: config.causal,
    ...extra,
  };
}

/**
 * Every `config.json` key we know, and what we do with it (issue #11: a key that changes what the model computes
 * is never accepted silently). `read`: mapped onto `BertConfig`; a value: accepted only when the file holds that
 * value (or omits the key), else refused; `inert`: no effect on what this library computes (with the reason).
 */
const READ = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_dropout_prob",
  "attention_probs_dropout_prob", "max_position_embeddings", "type_vocab_size", "initializer_range", "layer_norm_eps",
  "pad_token_id", "is_decoder"] as const;
/** Keys whose only supported value is the one given (anything else changes the computation and is refused). */
const FIXED: Record<string, { values: readonly unknown[]; why: string }> = {
  model_type: { values: ["bert"], why: "only BERT is implemented" },
  hidden_act: { values: ["gelu"], why: 'this library implements exact (erf) "gelu"' },
  position_embedding_type: { values: ["absolute"], why: "only learned absolute position embeddings are implemented (not relative_key / relative_key_query)" },
  add_cross_attention: { values: [false], why: "encoder–decoder cross-attention is not implemented" },
  is_encoder_decoder: { values: [false], why: "encoder–decoder models are not implemented" },
  tie_word_embeddings: { values: [true], why: "the MLM decoder is always tied to the word embeddings here" },
  pruned_heads: { values: [{}], why: "pruned attention heads are not implemented (prune after loading with lib/compress)" },
  classifier_dropout: { values: [null], why: "the classification heads use hidden_dropout_prob; set it to null or equal to hidden_dropout_prob" },
  problem_type: { values: [null, "single_label_classification"], why: "only single-label classification (softmax cross-entropy) is implemented" },
  output_attentions: { values: [false], why: "attention weights are not returned as outputs" },
  output_hidden_states: { values: [false], why: "hidden states of every layer are not returned as outputs" },
};
/** Keys with no effect on what this library computes, and why. */
const INERT: Record<string, string> = {
  architectures: "a class name; the loader decides what to build",
  transformers_version: "provenance",
  torch_dtype: "storage dtype; parameters are read as float32",
  dtype: "storage dtype; parameters are read as float32",
  _name_or_path: "provenance",
  gradient_checkpointing: "memory/time trade-off, same numbers",
  use_cache: "key/value caching for generation, same numbers",
  chunk_size_feed_forward: "chunked feed-forward, same numbers",
  torchscript: "export setting",
  return_dict: "output container",
  use_return_dict: "output container",
  id2label: "label names, read by loadTaskCheckpoint",
  label2id: "label names, read by loadTaskCheckpoint",
  num_labels: "read from classifier.weight's shape by loadTaskCheckpoint",
  finetuning_task: "provenance",
  directionality: "a tokenizer note (bert-base-chinese)",
  pooler_fc_size: "unused by BertModel (bert-base-chinese carries it)",
  pooler_num_attention_heads: "unused by BertModel",
  pooler_num_fc_layers: "unused by BertModel",
  pooler_size_per_head: "unused by BertModel",
  pooler_type: "unused by BertModel",
  bos_token_id: "generation default; our generate takes its options explicitly",
  eos_token_id: "generation default; our generate takes its options explicitly",
  sep_token_id: "tokenizer id, not a model input",
  tokenizer_class: "the tokenizer is loaded from its own files",
  course: "this course's provenance block",
};

/** Options of {@link configFromHf}. */
export interface ConfigFromHfOptions {
  /** Keys this library does not know: `"warn"` (default; one line naming them), `"error"` or `"ignore"`. */
  unknownKeys?: "warn" | "error" | "ignore";
}

/**
 * Reads a Hugging Face `config.json` object; `file` names it in errors. Every key is accounted for (see the
 * tables above): read, accepted only at its one supported value, or inert; a known key at another value is
 * refused, naming the file, the key, its value and why.
 * @throws on a missing required size, a value of the wrong type, or a key whose value we do not implement
 */
export function configFromHf(json: Record<string, unknown>, file = "config.json", options: ConfigFromHfOptions = {}): BertConfig {
  const { unknownKeys = "warn" } = options;
  const number = (key: string, fallback?: number): number => {
    const value = json[key] ?? fallback;
    if (typeof value !== "number") throw new Error(`${file}: "${key}" must be a number${fallback === undefined ? " (required)" : ""}, got ${JSON.stringify(json[key])}`);
    return value;
  };
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    const fixed = FIXED[key];
    if (fixed !== undefined) {
      if (!fixed.values.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
        throw new Error(`${file}: ${key} is ${JSON.stringify(value)}, which is not supported: ${fixed.why}`);
      }
    } else if (!(READ as readonly string[]).includes(key) && INERT[key] === undefined) {
      unknown.push(key);
    }
  }
  if (typeof json["is_decoder"] !== "boolean" && json["is_decoder"] !== undefined) throw new Error(`${file}: "is_decoder" must be true or false, got ${JSON.stringify(json["is_decoder"])}`);
  if (unknown.length > 0 && unknownKeys !== "ignore") {
    const message = `${file}: key(s) this library does not know, so cannot say whether they change the model: ${unknown.join(", ")}`;
    if (unknownKeys === "error") throw new Error(message);
    console.warn(`${message} (ignored; pass { unknownKeys: "error" } to refuse)`);
  }
  return validateConfig(
    {
      vocabSize: number("vocab_size"),
      hiddenSize: number("hidden_size"),
      numLayers: number("num_hidden_layers"),
      numHeads: number("num_attention_heads"),
      intermediateSize: number("intermediate_size"),
      maxPositions: number("max_position_embeddings", DEFAULTS.maxPositions),
      typeVocabSize: number("type_vocab_size", DEFAULTS.typeVocabSize),
      hiddenDropout: number("hidden_dropout_prob", DEFAULTS.hiddenDropout),
      attentionDropout: number("attention_probs_dropout_prob", DEFAULTS.attentionDropout),
      layerNormEps: number("layer_norm_eps", DEFAULTS.layerNormEps),
      initializerRange: number("initializer_range", DEFAULTS.initializerRange),
      padTokenId: number("pad_token_id", DEFAULTS.padTokenId),
      causal: json["is_decoder"] === true,
    },
    file,
  );
}
