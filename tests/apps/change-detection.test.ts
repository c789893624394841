import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { baselineOf, cusum, scoreAlarms, syntheticStreams, tuneCusum } from "../../lib/apps";

test("CUSUM: a golden path by hand, restart after the alarm", () => {
  // z = x (mean 0, sd 1), k = 0.5: S = max(0, S + z − 0.5)
  const r = cusum([0, 1, 2, 2, 0, -3, 3], { mean: 0, sd: 1 }, { k: 0.5, h: 2.5 });
  // S: 0, 0.5, 2.0, 3.5→alarm→0, 0 (−0.5→0), 0, 2.5 (not > h)
  assert.deepEqual(r.statistic, [0, 0.5, 2, 0, 0, 0, 2.5]);
  assert.deepEqual(r.alarms, [3]);
  assert.deepEqual(cusum([10], { mean: 4, sd: 2 }, { k: 0, h: 2.9 }).alarms, [0], "standardised: (10 − 4)/2 = 3 > 2.9");
  assert.throws(() => cusum([1], { mean: 0, sd: 0 }, { k: 0.5, h: 1 }), /sd must be > 0/);
  assert.throws(() => cusum([1, NaN], { mean: 0, sd: 1 }, { k: 0.5, h: 1 }), /value 1 is NaN/);
  assert.throws(() => cusum([1], { mean: 0, sd: 1 }, { k: -1, h: 1 }), /k must be ≥ 0/);
});

test("baselineOf: mean and sample sd of the window; constant or tiny windows refused", () => {
  const b = baselineOf([1, 2, 3, 100], 0, 3);
  assert.equal(b.mean, 2);
  assert.equal(b.sd, 1);
  assert.throws(() => baselineOf([0.2, 0.2, 0.2]), /constant \(0\.2\); use a longer window/);
  assert.throws(() => baselineOf([1], 0, 1), /has 1 day\(s\); it needs at least 2/);
});

test("scoreAlarms: delay, misses, and false alarms per 90 in-control days (warm-up and grace excluded)", () => {
  const stream = { values: new Array(200).fill(0), surges: [{ start: 100, end: 110 }, { start: 150, end: 160 }], warmup: 20 };
  const s = scoreAlarms([stream], [[5, 50, 103, 104, 112, 120, 170]], { grace: 5 });
  // surge 1 found on day 103 (delay 3); surge 2 missed; day 5 is warm-up, 112 within grace; 50, 120, 170 are false
  assert.equal(s.detected, 1);
  assert.equal(s.missed, 1);
  assert.equal(s.meanDelay, 3);
  assert.equal(s.meanDelayMissesAsLength, (3 + 10) / 2);
  assert.equal(s.falseAlarms, 3);
  assert.equal(s.inControlDays, 200 - 20 - 2 * 15);
  assert.ok(Math.abs(s.falseAlarmsPer90 - (90 * 3) / 150) < 1e-12);
});

test("synthetic streams: surges where they say, at the rates asked; tuning meets the false-alarm budget", () => {
  // A perfect observer: negative sentences read 1, others 0 — the daily value is the gold negative share.
  const pool = { negative: [1], other: [0] };
  const streams = syntheticStreams(pool, { streams: 6, days: 400, perDay: 50, baseRate: 0.1, surgeRate: 0.5, surgeDays: 10, surgesPerStream: 2, seed: 3 });
  for (const s of streams) {
    assert.equal(s.values.length, 400);
    const inSurge = (t: number) => s.surges.some((g) => t >= g.start && t < g.end);
    const mean = (f: (t: number) => boolean) => {
      const v = s.values.filter((_, t) => f(t));
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    assert.ok(Math.abs(mean(inSurge) - 0.5) < 0.06 && Math.abs(mean((t) => !inSurge(t)) - 0.1) < 0.02);
    assert.ok(s.surges.every((g) => g.start >= 60 + 60), "after the reference window and a gap");
  }
  const { best, trials } = tuneCusum(streams, { k: [0.5, 1], h: [2, 4, 8] });
  assert.equal(trials.length, 6);
  assert.ok(best !== undefined && best.falseAlarmsPer90 <= 1 && best.missed === 0 && best.meanDelay <= 1, JSON.stringify(best));
  assert.deepEqual(syntheticStreams(pool, { seed: 3, streams: 1 }), syntheticStreams(pool, { seed: 3, streams: 1 }), "seeded");
  assert.throws(() => syntheticStreams({ negative: [], other: [0] }), /needs gold-negative and other/);
  assert.throws(() => syntheticStreams(pool, { days: 100 }), /do not fit in 100 days/);
});

test("a noisy observer is slower than a perfect one (the classifier's errors are part of the benchmark)", () => {
  const rng = new Rng(1);
  const noisy = { negative: Array.from({ length: 200 }, () => (rng.uniform() < 0.5 ? 1 : 0)), other: Array.from({ length: 200 }, () => (rng.uniform() < 0.15 ? 1 : 0)) };
  const grid = { k: [0.25, 0.5, 1], h: [2, 3, 4, 6, 8] };
  const options = { streams: 10, perDay: 20 };
  const perfect = tuneCusum(syntheticStreams({ negative: [1], other: [0] }, options), grid).best!;
  const blurred = tuneCusum(syntheticStreams(noisy, options), grid).best!;
  assert.ok(blurred.meanDelayMissesAsLength > perfect.meanDelayMissesAsLength, `${blurred.meanDelayMissesAsLength} vs ${perfect.meanDelayMissesAsLength}`);
});
