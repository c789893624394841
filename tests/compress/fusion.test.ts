import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, tidyData } from "../../lib/core";
import { averageWeights, LogitEnsemble, measureScoreboard, classifierRunner, scoreboardMarkdown } from "../../lib/compress";
import { examples, logitsOf, maxAbsDiff, randomClassifier } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

test("averaging identical models is the identity (same parameters, same logits); no tensors leak", () => {
  const a = randomClassifier(1);
  const b = randomClassifier(1);
  try {
    const start = tf.memory().numTensors;
    const soup = averageWeights([a, b, a]);
    try {
      for (const [name, v] of a.params) assert.ok(maxAbsDiff(soup.params.get(name)!.dataSync(), v.dataSync()) < 1e-6, name);
      assert.ok(maxAbsDiff(logitsOf(soup, examples(5)), logitsOf(a, examples(5))) < 1e-5);
    } finally {
      soup.dispose();
    }
    assert.equal(tf.memory().numTensors, start);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("averageWeights of two different models is their weighted mean, parameter by parameter", () => {
  const a = randomClassifier(1);
  const b = randomClassifier(2);
  try {
    const soup = averageWeights([a, b], { weights: [0.25, 0.75] });
    try {
      for (const name of ["bert.encoder.layer.1.intermediate.dense.weight", "classifier.bias", "bert.embeddings.LayerNorm.weight"]) {
        const expected = tidyData(() => tf.add(tf.mul(a.params.get(name)!, 0.25), tf.mul(b.params.get(name)!, 0.75)));
        assert.ok(maxAbsDiff(soup.params.get(name)!.dataSync(), expected) < 1e-6, name);
      }
      assert.ok(maxAbsDiff(logitsOf(soup, examples(3)), logitsOf(a, examples(3))) > 1e-3);
    } finally {
      soup.dispose();
    }
    assert.throws(() => averageWeights([a, b], { weights: [0.5, 0.6] }), /sum to 1/);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("LogitEnsemble returns the mean of its members' logits", () => {
  const a = randomClassifier(1);
  const b = randomClassifier(2);
  try {
    const batch = examples(4);
    const la = logitsOf(a, batch);
    const lb = logitsOf(b, batch);
    const mean = la.map((v, i) => (v + lb[i]!) / 2);
    assert.ok(maxAbsDiff(logitsOf(new LogitEnsemble([a, b]), batch), mean) < 1e-6);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("measureScoreboard times every entry at batch 1 and 8 and keeps size and accuracy; markdown has a row each", async () => {
  const a = randomClassifier(1);
  try {
    const entries = [
      { name: "one", runtime: "tfjs", bytes: 2e6, accuracy: 0.5, runner: classifierRunner(a, "one") },
      { name: "two", runtime: "tfjs", bytes: 1e6, accuracy: 0.75, runner: classifierRunner(new LogitEnsemble([a, a]), "two") },
    ];
    const rows = await measureScoreboard(entries, { vocabSize: 30, seq: 8, iterations: 3, warmup: 1, pauseMs: 0 });
    assert.equal(rows.length, 2);
    assert.equal(rows[1]!["size MB"], 1);
    assert.equal(rows[1]!.accuracy, 0.75);
    for (const r of rows) assert.ok(r["p50 b1 ms"] > 0 && r["p95 b8 ms"] >= r["p50 b8 ms"] && r["seq/s b8"] > 0);
    const md = scoreboardMarkdown(rows).split("\n");
    assert.equal(md.length, 4);
    assert.match(md[3]!, /^\| two \| tfjs \| 1\.00 \|/);
    assert.equal(rows[1]!["accuracy 95% CI"], undefined);
    // With the test size, each accuracy carries its bootstrap interval (3 of 4 right: a wide one).
    const withSize = await measureScoreboard(entries, { vocabSize: 30, seq: 8, iterations: 1, warmup: 0, pauseMs: 0, testSize: 4 });
    assert.match(withSize[1]!["accuracy 95% CI"] ?? "", /^0\.750 \[0\.\d{3}, 1\.000\]$/);
    assert.match(scoreboardMarkdown(withSize).split("\n")[0]!, /\| accuracy 95% CI \|$/);
  } finally {
    a.dispose();
  }
});
