import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { auroc } from "../../lib/metrics/roc";
import { Rng } from "../../lib/core/rng";

const PYTHON = "/usr/bin/python3";

test("auroc: hand-checked cases (perfect, reversed, all tied, one swapped pair)", () => {
  assert.equal(auroc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]), 1);
  assert.equal(auroc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]), 0);
  assert.equal(auroc([1, 1, 1, 1], [false, true, false, true]), 0.5);
  assert.equal(auroc([0.1, 0.3, 0.2, 0.9], [false, false, true, true]), 0.75); // pairs (p, n): 0.2 loses to 0.3
});

test("auroc equals scikit-learn's roc_auc_score on random scores with many ties (1e-12)", () => {
  const rng = new Rng(7);
  const n = 400;
  const scores = Array.from({ length: n }, () => Math.round(rng.uniform() * 20) / 20); // ties on purpose
  const positive = scores.map((s) => rng.uniform() < 0.3 + 0.4 * s);
  const r = spawnSync(PYTHON, ["-c", "import json,sys; from sklearn.metrics import roc_auc_score; d=json.load(sys.stdin); print(repr(roc_auc_score(d['y'], d['s'])))"], { input: JSON.stringify({ y: positive.map(Number), s: scores }), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Math.abs(auroc(scores, positive) - Number(r.stdout)) < 1e-12, `${auroc(scores, positive)} vs ${r.stdout}`);
});

test("auroc refuses one-class labels, mismatched lengths and non-finite scores", () => {
  assert.throws(() => auroc([0.1, 0.2], [true, true]), /needs both classes, got 2 positive and 0 negative/);
  assert.throws(() => auroc([0.1], [true, false]), /1 scores but 2 labels/);
  assert.throws(() => auroc([0.1, NaN], [true, false]), /score 1 is NaN/);
});
