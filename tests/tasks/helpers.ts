// Tiny inline fixtures for the task tests: a ten-odd-word vocabulary (nothing downloaded) and a small BERT.
import { BertTokenizer } from "../../lib/text";
import { bertConfig, type BertConfig } from "../../lib/model";

/** `[PAD] [UNK] [CLS] [SEP] [MASK]` then a few words, pieces and punctuation. */
export const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "eu", "rejects", "german", "call", "to", "boy", "##cott", "british", "lamb", ".", "u", "s", "good", "bad", "film", "fun", "slow", "acme", "hires", "dutch", "chefs", "maria", "peru", "chile", "oslo", "##s", "a", "warm", ",", "funny", "little", "and", "empty", "great"];

export function tinyTokenizer(): BertTokenizer {
  return new BertTokenizer(VOCAB);
}

export function tinyConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return bertConfig("tiny", { vocabSize: VOCAB.length, hiddenSize: 16, numHeads: 2, intermediateSize: 32, numLayers: 2, maxPositions: 32, ...overrides });
}
