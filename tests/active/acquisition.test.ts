import { test } from "node:test";
import assert from "node:assert/strict";
import { leastConfidence, marginScore, entropyScore, acquisitionScores, topKIndices } from "../../lib/active";
import { Rng } from "../../lib/core/rng";

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b} (tol ${tol})`);

// Golden values worked by hand (Settles 2009, §3.1).
const ROWS: { probs: number[]; lc: number; margin: number; entropy: number }[] = [
  { probs: [1, 0, 0], lc: 0, margin: 0, entropy: 0 },
  { probs: [0.5, 0.5], lc: 0.5, margin: 1, entropy: Math.log(2) },
  { probs: [1 / 3, 1 / 3, 1 / 3], lc: 2 / 3, margin: 1, entropy: Math.log(3) },
  { probs: [0.7, 0.2, 0.1], lc: 0.3, margin: 0.5, entropy: -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)) },
  { probs: [0.1, 0.45, 0.45], lc: 0.55, margin: 1, entropy: -(0.1 * Math.log(0.1) + 0.9 * Math.log(0.45)) }, // tie at the top
  { probs: [0.2, 0.6, 0.2], lc: 0.4, margin: 0.6, entropy: -(0.6 * Math.log(0.6) + 0.4 * Math.log(0.2)) }, // tie for second
];

test("least confidence, margin and entropy match hand-worked golden values, ties included", () => {
  for (const { probs, lc, margin, entropy } of ROWS) {
    close(leastConfidence(probs), lc);
    close(marginScore(probs), margin);
    close(entropyScore(probs), entropy);
  }
});

test("the three can disagree: margin looks only at the top two, entropy at every class", () => {
  // a: a close race between two classes; b: spread over four classes with a clear winner.
  const a = [0.5, 0.45, 0.05, 0];
  const b = [0.55, 0.15, 0.15, 0.15];
  assert.ok(marginScore(a) > marginScore(b));
  assert.ok(entropyScore(b) > entropyScore(a));
  assert.ok(leastConfidence(a) > leastConfidence(b));
});

test("acquisitionScores ranks the pool; topKIndices takes the best, ties to the lower position", () => {
  const pool = [[0.9, 0.1], [0.5, 0.5], [0.6, 0.4], [0.5, 0.5], [0.99, 0.01]];
  for (const strategy of ["least-confidence", "margin", "entropy"] as const) {
    assert.deepEqual(topKIndices(acquisitionScores(strategy, pool), 3), [1, 3, 2], strategy);
  }
  assert.deepEqual(topKIndices([1, 1, 1], 2), [0, 1]);
  assert.deepEqual(topKIndices([0.2, 0.1], 0), []);
});

test("random scores are seeded uniform draws that ignore the probabilities", () => {
  const pool = [[1, 0], [0.5, 0.5], [0, 1]];
  const a = acquisitionScores("random", pool, new Rng(3));
  assert.deepEqual(a, acquisitionScores("random", [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], new Rng(3)));
  assert.ok(a.every((v) => v >= 0 && v < 1));
  assert.throws(() => acquisitionScores("random", pool), /needs an rng/);
});

test("bad input names the problem", () => {
  assert.throws(() => entropyScore([0.5, 0.6]), /sum to 1/);
  assert.throws(() => marginScore([1]), /at least 2 classes/);
  assert.throws(() => leastConfidence([2, -1]), /\[0, 1\]/);
  assert.throws(() => acquisitionScores("bald" as never, [[0.5, 0.5]]), /unknown strategy "bald"/);
  assert.throws(() => topKIndices([1, 2], 3), /k must be an integer in \[0, 2\]/);
});
