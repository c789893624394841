// Tiny fixtures for the PEFT tests: a random tiny BERT classifier (no dropout unless asked, so any difference
// comes from the method), wrapped with an adapter, and a base folder on disk with a tokenizer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { saveBertCheckpoint } from "../../lib/checkpoint";
import { Rng } from "../../lib/core/rng";
import type { BertConfig } from "../../lib/model";
import type { Params } from "../../lib/nn/params";
import { PeftModel, createPeftModel, loadAdapterInto, saveAdapter, type PeftMethod } from "../../lib/peft";
import { BertTokenizer, saveTokenizer } from "../../lib/text";
import { batchTensors, finetune, padBatch, weightedCrossEntropy, type EncodedExample, type TaskModel } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";
import { examples, logitsOf, maxAbsDiff, randomClassifier, tinyConfig } from "../compress/helpers";

export { examples, logitsOf, maxAbsDiff, randomClassifier, tinyConfig } from "../compress/helpers";

/** The tiny config without dropout. */
export function quietConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return tinyConfig({ hiddenDropout: 0, attentionDropout: 0, ...overrides });
}

/** `randomClassifier(seed)` wrapped with `method` (caller disposes the result). */
export function randomPeft(seed: number, method: (config: BertConfig, base: Params) => PeftMethod, options: { numLabels?: number; config?: BertConfig; name?: string } = {}): PeftModel {
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

/**
 * The checks every method gets (registered as tests): identity at init (or, for prompt methods, NOT — said so),
 * frozen base (gradients for the adapter and head only, base bit-identical after training), fine-tuning lowers
 * the training loss, save → load gives the same logits, no tensor leaks.
 */
export function methodContract(label: string, make: (config: BertConfig, base: Params) => PeftMethod, options: { identityAtInit: boolean; lr?: number }): void {
  const { identityAtInit, lr = 1e-2 } = options;
  const data = examples(24);
  test(`${label}: ${identityAtInit ? "equals the base model at init" : "is not the base model at init (it adds tokens the model attends to)"}`, () => {
    const task = randomClassifier(1, 3, quietConfig());
    const base = logitsOf(task, data.slice(0, 6));
    const model = createPeftModel(task, make);
    try {
      const diff = maxAbsDiff(logitsOf(model, data.slice(0, 6)), base);
      if (identityAtInit) assert.equal(diff, 0);
      else assert.ok(diff > 1e-4, `differs from the base: ${diff}`);
      perturb(model.adapter().method.params, 3);
      assert.ok(maxAbsDiff(logitsOf(model, data.slice(0, 6)), base) > 1e-3, "a changed adapter changes the logits");
    } finally {
      model.dispose();
    }
  });

  test(`${label}: the base is frozen and fine-tuning lowers the loss`, () => {
    const model = randomPeft(5, make);
    try {
      const names = [...model.params.keys()];
      assert.ok(names.every((n) => !model.bert.params.has(n)), "no base parameter is trainable");
      const baseValues = new Map([...model.bert.params].map(([n, v]) => [n, Array.from(v.dataSync())]));
      const before = trainingLoss(model, data);
      finetune(model, { train: data, padId: 0 }, () => ({ accuracy: 0 }), { epochs: 6, batchSize: 8, lr, warmupFraction: 0, keepBest: false });
      const after = trainingLoss(model, data);
      assert.ok(after < before - 0.02, `loss ${before} → ${after}`);
      for (const [n, v] of model.bert.params) assert.deepEqual(Array.from(v.dataSync()), baseValues.get(n), n);
    } finally {
      model.dispose();
    }
  });

  test(`${label}: save → load gives the same logits (head restored), and nothing leaks`, () => {
    const work = mkdtempSync(join(tmpdir(), "peft-method-"));
    const before = tf.memory().numTensors;
    const model = randomPeft(7, make);
    try {
      perturb(model.params, 8, 0.1);
      const want = logitsOf(model, data.slice(0, 6));
      saveAdapter(join(work, "a"), model);
      const fresh = new PeftModel(randomBert(quietConfig(), 7), "sequence");
      loadAdapterInto(fresh, join(work, "a"), "a");
      assert.ok(maxAbsDiff(logitsOf(fresh, data.slice(0, 6)), want) < 1e-5);
      fresh.dispose();
    } finally {
      model.dispose();
      rmSync(work, { recursive: true, force: true });
    }
    assert.equal(tf.memory().numTensors, before);
  });
}
