// Tiny inline fixtures for the compression tests: a random tiny BERT classifier and a few encoded examples.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/core/rng";
import { tidyData } from "../../lib/core";
import { bertConfig, type BertConfig } from "../../lib/model";
import { withHead, type EncodedExample, type TaskModel } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";

export function tinyConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return bertConfig("tiny", { vocabSize: 30, hiddenSize: 16, numHeads: 4, intermediateSize: 32, numLayers: 2, maxPositions: 32, ...overrides });
}

/** A random sequence classifier (every parameter random, the head too). Caller disposes. */
export function randomClassifier(seed: number, numLabels = 3, config = tinyConfig()): TaskModel {
  const rng = new Rng(seed + 1000);
  const model = withHead("sequence", randomBert(config, seed), numLabels, rng);
  for (const v of model.head.values()) tf.tidy(() => v.assign(tf.tensor(rng.truncatedNormal(v.size, 0.5), v.shape)));
  return model;
}

/** Encoded examples of varied lengths (ids 5…29, [CLS]=2 … [SEP]=3), labels cycling through 0…C−1. */
export function examples(n: number, numLabels = 3, seed = 7): EncodedExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({ inputIds: [2, ...Array.from({ length: 3 + (i % 6) }, () => 5 + rng.int(25)), 3], target: i % numLabels }));
}

/** Logits of `model` on padded `examples` (one batch), as a flat array; no tensors left. */
export function logitsOf(model: { logits: TaskModel["logits"] }, batch: EncodedExample[]): Float32Array {
  const t = Math.max(...batch.map((e) => e.inputIds.length));
  const ids = batch.map((e) => [...e.inputIds, ...new Array<number>(t - e.inputIds.length).fill(0)]);
  const mask = batch.map((e) => [...e.inputIds.map(() => 1), ...new Array<number>(t - e.inputIds.length).fill(0)]);
  return tidyData(() => model.logits({ inputIds: tf.tensor2d(ids, undefined, "int32"), attentionMask: tf.tensor2d(mask, undefined, "int32") })) as Float32Array;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
