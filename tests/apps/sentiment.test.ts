import { test } from "node:test";
import assert from "node:assert/strict";
import { dailySentimentIndex, sentimentScores } from "../../lib/apps";

const LABELS = ["negative", "neutral", "positive"];
const fixed = (rows: number[][]) => () => rows;

test("score = P(positive) − P(negative), label = argmax, labels matched by name in any order", () => {
  const s = sentimentScores(fixed([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), LABELS, ["a", "b"]);
  assert.ok(Math.abs(s[0]!.score - -0.6) < 1e-12 && Math.abs(s[1]!.score - 0.5) < 1e-12);
  assert.deepEqual(s.map((x) => x.label), ["negative", "positive"]);
  const reordered = sentimentScores(fixed([[0.6, 0.1, 0.3]]), ["Positive", "Negative", "Neutral"], ["c"]);
  assert.ok(Math.abs(reordered[0]!.score - 0.5) < 1e-12 && Math.abs(reordered[0]!.negative - 0.1) < 1e-12);
  assert.deepEqual(sentimentScores(() => assert.fail("not called on no texts"), LABELS, []), []);
  assert.throws(() => sentimentScores(fixed([[1]]), ["joy", "anger"], ["x"]), /need "negative" and "positive"; use a model fine-tuned on Financial PhraseBank/);
  assert.throws(() => sentimentScores(fixed([[0.5, 0.5]]), LABELS, ["x"]), /text 0 has 2 probabilities for 3 labels/);
});

test("daily index: mean, normal-approximation interval, hard and soft negative shares, days sorted", () => {
  const score = (v: number, label: string, negative = 0) => ({ score: v, label, negative });
  const days = dailySentimentIndex(["2020-03-02", "2020-03-01", "2020-03-02", "2020-03-02"], [score(-1, "negative", 0.9), score(0.5, "positive"), score(0, "neutral", 0.3), score(0.5, "positive")]);
  assert.deepEqual(days.map((d) => [d.date, d.n]), [["2020-03-01", 1], ["2020-03-02", 3]]);
  const d = days[1]!;
  // x = (−1, 0, 0.5): mean −1/6, sample sd √(7/12), half-width 1.959964·√(7/12)/√3
  const half = 1.959963984540054 * Math.sqrt(7 / 12 / 3);
  assert.ok(Math.abs(d.mean - -1 / 6) < 1e-12 && Math.abs(d.high - d.mean - half) < 1e-9 && Math.abs(d.mean - d.low - half) < 1e-9);
  assert.ok(Math.abs(d.negativeShare - 1 / 3) < 1e-12 && Math.abs(d.softNegativeShare - 0.4) < 1e-12);
  assert.equal(days[0]!.low, days[0]!.high, "one headline: no spread, a point");
  assert.throws(() => dailySentimentIndex(["2020-01-01"], []), /1 dates for 0 scores/);
});
