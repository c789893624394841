import { test } from "node:test";
import assert from "node:assert/strict";
import { compareRunsPlot, smoothCurve } from "../../lib/plot";

test("smoothCurve is TensorBoard's debiased EMA: the first point is kept, later ones weighted by hand", () => {
  const w = 0.6;
  const s = smoothCurve([10, 0, 5, NaN, 5], w);
  // last₁ = 0.4·10 = 4 → 4/(1−0.6) = 10; last₂ = 2.4 → 2.4/(1−0.36) = 3.75; last₃ = 1.44 + 2 = 3.44 → 3.44/(1−0.216)
  assert.ok(Math.abs((s[0] as number) - 10) < 1e-12);
  assert.ok(Math.abs((s[1] as number) - 3.75) < 1e-12);
  assert.ok(Math.abs((s[2] as number) - 3.44 / 0.784) < 1e-12);
  assert.ok(Number.isNaN(s[3]), "non-finite values pass through");
  assert.ok(Math.abs((s[4] as number) - (3.44 * 0.6 + 2) / (1 - 0.6 ** 4)) < 1e-12, "and do not count");
  assert.deepEqual(smoothCurve([1, 2, 3], 0), [1, 2, 3]);
  assert.throws(() => smoothCurve([1], 1), /weight must be in \[0, 1\), got 1/);
});

test("compareRunsPlot: one coloured line per run; with smoothing a faint raw line of the same colour under it", () => {
  const runs = [{ name: "a", x: [1, 2, 3], y: [3, 2, 1] }, { name: "b", x: [1, 2], y: [4, 4] }];
  const plain = compareRunsPlot(runs, { title: "loss", logY: true });
  assert.deepEqual(plain.data.map((t) => t.name), ["a", "b"]);
  assert.deepEqual(plain.data[0]?.y, [3, 2, 1]);
  assert.equal((plain.layout.yaxis as { type: string }).type, "log");
  const smooth = compareRunsPlot(runs, { smoothing: 0.5 });
  assert.deepEqual(smooth.data.map((t) => t.name), ["a (raw)", "a", "b (raw)", "b"]);
  assert.equal((smooth.data[0]?.line as { color: string }).color, (smooth.data[1]?.line as { color: string }).color);
  assert.notEqual((smooth.data[1]?.line as { color: string }).color, (smooth.data[3]?.line as { color: string }).color);
  assert.deepEqual(smooth.data[1]?.y, smoothCurve([3, 2, 1], 0.5));
  assert.throws(() => compareRunsPlot([]), /no runs given/);
  assert.throws(() => compareRunsPlot([{ name: "c", x: [1], y: [1, 2] }]), /run "c" has 1 steps but 2 values/);
});
