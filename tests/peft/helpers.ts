// Tiny fixtures for the PEFT tests: a random tiny BERT classifier (no dropout unless asked, so any difference
// comes from the method), wrapped with an adapter, and a base folder on disk with a tokenizer.
import * as tf from "@tensorflow/tfjs";
import { saveBertCheckpoint } from "../../lib/checkpoint";
import { Rng } from "../../lib/core/rng";
import type { BertConfig } from "../../lib/model";
import { createPeftModel, type PeftMethod, type PeftModel } from "../../lib/peft";
import { BertTokenizer, saveTokenizer } from "../../lib/text";
import { batchTensors, padBatch, weightedCrossEntropy, type EncodedExample, type TaskModel } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";
import { randomClassifier, tinyConfig } from "../compress/helpers";

export { examples, logitsOf, maxAbsDiff, randomClassifier, tinyConfig } from "../compress/helpers";

/** The tiny config without dropout. */
export function quietConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return tinyConfig({ hiddenDropout: 0, attentionDropout: 0, ...overrides });
}

/** `randomClassifier(seed)` wrapped with `method` (caller disposes the result). */
export function randomPeft(seed: number, method: (config: BertConfig) => PeftMethod, options: { numLabels?: number; config?: BertConfig; name?: string } = {}): PeftModel {
  const { numLabels = 3, config = quietConfig(), name } = options;
  return createPeftModel(randomClassifier(seed, numLabels, config), method, { name });
}

/** Redraws every tensor of `params` N(0, std²) so a zero-initialised update is not zero (tests of merging, saving). */
export function perturb(params: Map<string, tf.Variable>, seed: number, std = 0.2): void {
  const rng = new Rng(seed);
  for (const v of params.values()) tf.tidy(() => v.assign(tf.add(v, tf.tensor(rng.truncatedNormal(v.size, std), v.shape))));
}

/** A 30-token vocabulary matching `tinyConfig`'s `vocabSize`. */
export const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...Array.from({ length: 25 }, (_, i) => `w${i}`)];

/** Saves `randomBert(config, seed)` with a tokenizer in `dir` (a base checkpoint folder). */
export function saveRandomBase(dir: string, seed: number, config = quietConfig()): void {
  const bert = randomBert(config, seed);
  const tokDir = `${dir}-tokenizer`;
  saveTokenizer(new BertTokenizer(VOCAB), tokDir);
  saveBertCheckpoint(dir, bert, { tokenizerDir: tokDir });
  bert.dispose();
}

/** Mean cross-entropy of `model` over `data` in one batch, no dropout. */
export function trainingLoss(model: TaskModel, data: EncodedExample[]): number {
  const padded = padBatch(data, data.map((_, i) => i), 0);
  return tf.tidy(() => weightedCrossEntropy(model.logits(batchTensors(padded)).reshape([-1, model.numLabels]) as tf.Tensor2D, tf.tensor1d(padded.targets.flat(), "int32")).dataSync()[0] as number);
}
