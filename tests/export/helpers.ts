// Tiny inline fixtures for the export tests: a ten-odd-word vocabulary (nothing downloaded), a small BERT whose
// every parameter is random (so a swapped or untransposed tensor shows), heads on it, and a checkpoint writer.
import * as tf from "@tensorflow/tfjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../../lib/core/rng";
import { bertConfig, configToHf, type BertConfig } from "../../lib/model";
import { bertStateDict, transpose2d, writeSafetensors } from "../../lib/checkpoint";
import { withHead, type TaskModel } from "../../lib/tasks";
import { BertTokenizer, saveTokenizer } from "../../lib/text";
import { randomBert } from "../checkpoint/random-model";

export const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "film", "was", "good", "bad", "slow", "fun", "paris", "is", "in", "france", "maria", "lives", "oslo", "##s", ".", ",", "a", "great", "warm"];

export function tinyTokenizer(): BertTokenizer {
  return new BertTokenizer(VOCAB);
}

export function tinyConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return bertConfig("tiny", { vocabSize: VOCAB.length, hiddenSize: 16, numHeads: 2, intermediateSize: 32, numLayers: 2, maxPositions: 32, ...overrides });
}

/** A random BERT with a random `classifier` (bias included). Caller disposes. */
export function randomTaskModel(kind: "sequence" | "token", numLabels: number, seed: number): TaskModel {
  const rng = new Rng(seed + 1000);
  const model = withHead(kind, randomBert(tinyConfig(), seed), numLabels, rng);
  for (const v of model.head.values()) tf.tidy(() => v.assign(tf.tensor(rng.truncatedNormal(v.size, 0.5), v.shape)));
  return model;
}

/** Writes a Hugging Face `BertFor{Sequence,Token}Classification` folder (classifier `[C, H]`) with the tiny tokenizer. */
export function saveTaskCheckpoint(dir: string, model: TaskModel, labels: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  const weights = bertStateDict(model.bert);
  const w = model.head.get("classifier.weight")!;
  const [h, c] = w.shape as [number, number];
  weights.set("classifier.weight", { dtype: "F32", shape: [c, h], data: transpose2d(w.dataSync() as Float32Array, h, c) });
  weights.set("classifier.bias", { dtype: "F32", shape: [c], data: Float32Array.from(model.head.get("classifier.bias")!.dataSync()) });
  writeSafetensors(join(dir, "model.safetensors"), weights, { metadata: { format: "pt" } });
  const architectures = [model.kind === "sequence" ? "BertForSequenceClassification" : "BertForTokenClassification"];
  const id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
  writeFileSync(join(dir, "config.json"), JSON.stringify(configToHf(model.bert.config, { architectures, id2label, label2id: Object.fromEntries(labels.map((l, i) => [l, i])) })));
  saveTokenizer(tinyTokenizer(), dir);
}

export function softmax(xs: ArrayLike<number>): number[] {
  const arr = Array.from(xs);
  const m = Math.max(...arr);
  const e = arr.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
