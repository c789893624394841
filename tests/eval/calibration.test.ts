import { test } from "node:test";
import assert from "node:assert/strict";
import { calibration, reliabilityTraces } from "../../lib/eval";

test("ECE by hand: equal-width bins, |accuracy − confidence| weighted by bin size", () => {
  // 5 bins. Confidences 0.95, 0.92 (bin 5: both right → acc 1, conf 0.935), 0.75 (bin 4: wrong → acc 0, conf 0.75),
  // 0.55 (bin 3: right → acc 1, conf 0.55). ECE = 2/4·0.065 + 1/4·0.75 + 1/4·0.45 = 0.3325.
  const probs = [[0.95, 0.05], [0.08, 0.92], [0.75, 0.25], [0.45, 0.55]];
  const labels = [0, 1, 1, 1];
  const r = calibration(probs, labels, { bins: 5 });
  assert.ok(Math.abs(r.ece - 0.3325) < 1e-12, String(r.ece));
  assert.ok(Math.abs(r.mce - 0.75) < 1e-12);
  assert.deepEqual(r.bins.map((b) => b.count), [0, 0, 1, 1, 2]);
  assert.equal(r.binning, "equal-width");
  assert.ok(Number.isNaN(r.bins[0]!.accuracy));
});

test("a confidence on a bin edge goes to the lower bin ((low, high]); 1.0 goes to the last", () => {
  const r = calibration([[0.6, 0.4], [1, 0]], [0, 0], { bins: 5 });
  assert.deepEqual(r.bins.map((b) => b.count), [0, 0, 1, 0, 1]); // 0.6 ∈ (0.4, 0.6]
});

test("perfectly calibrated predictions have ECE near 0; overconfident ones do not", () => {
  // 1000 examples at confidence 0.8, 800 of them right: ECE 0. The same examples claimed at 0.99: ECE 0.19.
  const labels = Array.from({ length: 1000 }, (_, i) => (i < 800 ? 0 : 1));
  assert.ok(calibration(labels.map(() => [0.8, 0.2]), labels).ece < 1e-12);
  assert.ok(Math.abs(calibration(labels.map(() => [0.99, 0.01]), labels).ece - 0.19) < 1e-12);
});

test("logits instead of probabilities are refused", () => {
  assert.throws(() => calibration([[2.3, -1]], [0]), /row 0 is not a probability vector.*not logits/);
  assert.throws(() => calibration([[0.5, 0.5]], [0, 1]), /1 probability rows but 2 labels/);
});

test("reliability traces: the diagonal plus one bar trace per report, only non-empty bins", () => {
  const r = calibration([[0.95, 0.05], [0.45, 0.55]], [0, 0], { bins: 10 });
  const { data, layout } = reliabilityTraces([{ name: "before", report: r }]);
  assert.equal(data.length, 2);
  assert.deepEqual((data[1] as { y: number[] }).y, [0, 1]);
  assert.match(String(layout["title"]), /10 equal-width bins/);
});
