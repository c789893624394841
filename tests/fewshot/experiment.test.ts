import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { fewShotExperiment, sampleKShot, summarizeFewShot, type FewShotResult } from "../../lib/fewshot";
import type { ClassificationSplits } from "../../lib/tasks";
import { saveTinyBaseCheckpoint } from "../tasks/helpers";

let work: string;
let checkpoint: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  ({ work, checkpoint } = saveTinyBaseCheckpoint("llm-course-fewshot-"));
});

after(() => rmSync(work, { recursive: true, force: true }));

const pool = (n: number) => Array.from({ length: n }, (_, i) => ({ text: i % 2 === 0 ? `good fun film ${"a ".repeat(i % 3)}` : `slow and empty film ${"a ".repeat(i % 3)}`, label: i % 2 }));

test("sampleKShot draws exactly k per class, the same for the same seed, and names a class that is too small", () => {
  const examples = pool(20);
  const a = sampleKShot(examples, 4, 2, 7);
  assert.equal(a.length, 8);
  assert.deepEqual([0, 1].map((c) => a.filter((e) => e.label === c).length), [4, 4]);
  assert.deepEqual(sampleKShot(examples, 4, 2, 7), a);
  assert.notDeepEqual(sampleKShot(examples, 4, 2, 8), a);
  assert.throws(() => sampleKShot(examples, 11, 2, 0), /class 0 has 10 examples, fewer than k = 11/);
});

test("summarizeFewShot: mean and sample standard deviation per task, method and k", () => {
  const r = (method: FewShotResult["method"], k: number, accuracy: number): FewShotResult => ({ task: "t", method, k, seed: 0, accuracy, macroF1: accuracy / 2, trainSeconds: 0 });
  const summary = summarizeFewShot([r("prompt", 8, 0.5), r("prompt", 8, 0.7), r("standard", 8, 0.6), r("prompt", 16, 0.9)]);
  assert.deepEqual(summary.map((s) => [s.method, s.k, s.runs]), [["prompt", 8, 2], ["standard", 8, 1], ["prompt", 16, 1]]);
  assert.ok(Math.abs(summary[0]!.mean - 0.6) < 1e-12 && Math.abs(summary[0]!.std - Math.sqrt(0.02)) < 1e-12);
  assert.equal(summary[1]!.std, 0);
  assert.ok(Math.abs(summary[0]!.macroF1 - 0.3) < 1e-12);
});

test("the experiment runs zero-shot once and both methods per (k, seed) on the same test set, leaking nothing", async () => {
  const data: ClassificationSplits = { kind: "classification", train: pool(24), validation: pool(12), test: pool(10), labels: ["negative", "positive"] };
  const prompts = { toy: { template: "{text} a [MASK] film .", words: { negative: "bad", positive: "good" } } };
  const before = tf.memory().numTensors;
  const seen: string[] = [];
  const { results, summary } = await fewShotExperiment(["toy"], { from: checkpoint, ks: [2, 4], seeds: [0, 1], steps: 3, batchSize: 2, maxLength: 16, prompts, data: { toy: data }, onResult: (r) => seen.push(r.method) });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(results.length, 1 + 2 * 2 * 2);
  assert.deepEqual(seen, results.map((r) => r.method));
  assert.deepEqual(results.slice(0, 3).map((r) => [r.method, r.k, r.seed]), [["zero-shot", 0, -1], ["prompt", 2, 0], ["standard", 2, 0]]);
  for (const r of results) assert.ok(r.accuracy >= 0 && r.accuracy <= 1 && (r.accuracy * 10) % 1 < 1e-9, `accuracy over the 10 test examples: ${r.accuracy}`);
  assert.deepEqual(summary.map((s) => `${s.method}@${s.k}×${s.runs}`), ["zero-shot@0×1", "prompt@2×2", "standard@2×2", "prompt@4×2", "standard@4×2"]);
  await assert.rejects(fewShotExperiment(["other"], { from: checkpoint, prompts, data: { toy: data } }), /no prompt for task "other"/);
  await assert.rejects(fewShotExperiment(["toy"], { from: checkpoint, prompts: { toy: { template: "{text} a [MASK] .", words: ["bad", "boycott"] } }, data: { toy: data } }), /"boycott" of label "positive" is 2 tokens/);
  assert.equal(tf.memory().numTensors, before, "a refused verbalizer leaves the loaded model disposed");
});
