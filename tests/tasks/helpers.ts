// Tiny inline fixtures for the task tests: a ten-odd-word vocabulary (nothing downloaded) and a small BERT.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../lib/core/rng";
import { saveBertCheckpoint } from "../../lib/checkpoint";
import { BertTokenizer, saveTokenizer } from "../../lib/text";
import { BertModel, bertConfig, type BertConfig } from "../../lib/model";

/** `[PAD] [UNK] [CLS] [SEP] [MASK]` then a few words, pieces and punctuation. */
export const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "eu", "rejects", "german", "call", "to", "boy", "##cott", "british", "lamb", ".", "u", "s", "good", "bad", "film", "fun", "slow", "acme", "hires", "dutch", "chefs", "maria", "peru", "chile", "oslo", "##s", "a", "warm", ",", "funny", "little", "and", "empty", "great"];

export function tinyTokenizer(): BertTokenizer {
  return new BertTokenizer(VOCAB);
}

export function tinyConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return bertConfig("tiny", { vocabSize: VOCAB.length, hiddenSize: 16, numHeads: 2, intermediateSize: 32, numLayers: 2, maxPositions: 32, ...overrides });
}

/**
 * A fresh temp folder holding `tokenizer/` (the tiny vocabulary) and `checkpoint/` (a tiny BERT, seed 0) that
 * `--from` and `loadTaskCheckpoint` accept; the caller removes `work`.
 */
export function saveTinyBaseCheckpoint(prefix: string): { work: string; checkpoint: string } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const tokenizerDir = join(work, "tokenizer");
  saveTokenizer(tinyTokenizer(), tokenizerDir);
  const checkpoint = join(work, "checkpoint");
  const model = BertModel.init(tinyConfig(), new Rng(0));
  saveBertCheckpoint(checkpoint, model, { tokenizerDir });
  model.dispose();
  return { work, checkpoint };
}
