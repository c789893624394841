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

/** Reads a Hugging Face `config.json` object; `file` names it in errors. */
export function configFromHf(json: Record<string, unknown>, file = "config.json"): BertConfig {
  const number = (key: string, fallback?: number): number => {
    const value = json[key] ?? fallback;
    if (typeof value !== "number") throw new Error(`${file}: "${key}" must be a number${fallback === undefined ? " (required)" : ""}, got ${JSON.stringify(json[key])}`);
    return value;
  };
  if (json["model_type"] !== undefined && json["model_type"] !== "bert") throw new Error(`${file}: model_type is "${json["model_type"]}", only "bert" is supported`);
  const act = json["hidden_act"] ?? "gelu";
  if (act !== "gelu") throw new Error(`${file}: hidden_act "${act}" is not supported (this library implements exact "gelu")`);
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
