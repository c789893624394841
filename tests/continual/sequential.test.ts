import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { runContinual } from "../../lib/continual";
import type { ContinualTask } from "../../lib/continual";
import { BertModel } from "../../lib/model";
import { Rng } from "../../lib/core/rng";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

const tokenizer = tinyTokenizer();
const encode = (pairs: [string, number][]) => pairs.map(([text, target]) => ({ inputIds: tokenizer.encode(text).inputIds, target }));
// Task A: sentiment words; task B: which city. Three classes in B so the heads differ in width.
const A: ContinualTask = { name: "A", numLabels: 2, train: encode([["good film", 1], ["bad film", 0], ["great fun", 1], ["slow and empty", 0], ["funny little film", 1], ["bad slow film", 0]]), test: encode([["good fun", 1], ["empty film", 0]]) };
const B: ContinualTask = { name: "B", numLabels: 3, train: encode([["oslo", 0], ["peru", 1], ["chile", 2], ["warm oslo", 0], ["a peru", 1], ["chile .", 2]]), test: encode([["oslo .", 0], ["peru .", 1], ["a chile", 2]]) };

for (const method of ["naive", "replay", "ewc"] as const) {
  test(`${method}: a lower-triangular score matrix per stage, the encoder and every head disposed, no leaks`, () => {
    const before = tf.memory().numTensors;
    const rows: (number | null)[][] = [];
    const result = runContinual(BertModel.init(tinyConfig(), new Rng(1)), [A, B], {
      method, padId: 0, epochs: 2, batchSize: 4, lr: 1e-3, seed: 2,
      replay: { capacity: 4, batchSize: 2 }, ewc: { lambda: 100, fisherExamples: 3 },
      onStage: (_, row) => rows.push(row),
    });
    assert.deepEqual(result.tasks, ["A", "B"]);
    assert.equal(result.scores.length, 2);
    assert.equal(result.scores[0]![1], null);
    for (const v of [result.scores[0]![0], result.scores[1]![0], result.scores[1]![1]]) assert.ok(typeof v === "number" && v >= 0 && v <= 1);
    assert.deepEqual(rows, result.scores);
    assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  });
}

test("same seed, same matrix; no tasks is refused", () => {
  const run = () => runContinual(BertModel.init(tinyConfig(), new Rng(1)), [A, B], { method: "replay", padId: 0, epochs: 1, batchSize: 4, seed: 3, replay: { capacity: 4, batchSize: 2 } }).scores;
  assert.deepEqual(run(), run());
  const before = tf.memory().numTensors;
  assert.throws(() => runContinual(BertModel.init(tinyConfig(), new Rng(1)), [], { method: "naive", padId: 0 }), /no tasks/);
  assert.equal(tf.memory().numTensors, before, "the encoder it took over is disposed");
});
