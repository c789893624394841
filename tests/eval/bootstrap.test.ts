import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { bootstrapInterval, formatEstimate, quantile } from "../../lib/eval";

test("quantile interpolates linearly between order statistics, as numpy.quantile's default", () => {
  // numpy 1.x: np.quantile([0.3,0.1,0.9,0.5,0.7,0.2,0.8], [0.025, 0.5, 0.975, 0.1]) = 0.115, 0.5, 0.885, 0.16
  const x = [0.3, 0.1, 0.9, 0.5, 0.7, 0.2, 0.8];
  const expected: [number, number][] = [[0.025, 0.115], [0.5, 0.5], [0.975, 0.885], [0.1, 0.16]];
  for (const [p, q] of expected) assert.ok(Math.abs(quantile(x, p) - q) < 1e-12, `p=${p}: ${quantile(x, p)} vs ${q}`);
  assert.deepEqual(x, [0.3, 0.1, 0.9, 0.5, 0.7, 0.2, 0.8], "the input is not sorted in place");
  assert.throws(() => quantile([], 0.5), /no values/);
  assert.throws(() => quantile([1], 1.5), /outside \[0, 1\]/);
});

test("the percentile interval of a mean matches scipy.stats.bootstrap(method='percentile') within 0.01", () => {
  // scipy 1.10: bootstrap((x,), np.mean, n_resamples=20000, method='percentile', random_state=0) on 300 ones and
  // 100 zeros gives [0.7075, 0.7925] (its resamples differ from ours; the intervals agree within Monte Carlo error).
  const x = [...new Array(300).fill(1), ...new Array(100).fill(0)];
  const ci = bootstrapInterval(x.length, (idx) => idx.reduce((s, i) => s + x[i]!, 0) / idx.length, { samples: 20000 });
  assert.equal(ci.value, 0.75);
  assert.ok(Math.abs(ci.low - 0.7075) < 0.01 && Math.abs(ci.high - 0.7925) < 0.01, formatEstimate(ci, { digits: 4 }));
  assert.equal(ci.method, "percentile");
});

test("one seed gives one interval; another seed a slightly different one", () => {
  const x = Array.from({ length: 50 }, (_, i) => (i * 7) % 11);
  const mean = (idx: Int32Array) => idx.reduce((s, i) => s + x[i]!, 0) / idx.length;
  assert.deepEqual(bootstrapInterval(50, mean, { seed: 3 }), bootstrapInterval(50, mean, { seed: 3 }));
  assert.deepEqual(bootstrapInterval(50, mean, { rng: new Rng(3) }), bootstrapInterval(50, mean, { seed: 3 }));
  assert.notDeepEqual(bootstrapInterval(50, mean, { seed: 3 }), bootstrapInterval(50, mean, { seed: 4 }));
});

test("a 95% interval covers the true mean about 95% of the time (coverage over 200 simulated test sets)", () => {
  const rng = new Rng(11);
  let covered = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    const x = Array.from({ length: 300 }, () => (rng.uniform() < 0.8 ? 1 : 0)); // true accuracy 0.8
    const ci = bootstrapInterval(x.length, (idx) => idx.reduce((s, i) => s + x[i]!, 0) / idx.length, { samples: 400, seed: t });
    if (ci.low <= 0.8 && 0.8 <= ci.high) covered++;
  }
  // Binomial(200, 0.95) lies in [180, 199] with probability > 0.999.
  assert.ok(covered >= 180 && covered <= 199, `coverage ${covered}/${trials}`);
});

test("bad options name the argument", () => {
  assert.throws(() => bootstrapInterval(0, () => 0), /at least one example/);
  assert.throws(() => bootstrapInterval(3, () => 0, { confidence: 95 }), /0.95, not 95/);
  assert.throws(() => bootstrapInterval(3, () => 0, { samples: 0 }), /samples must be a positive integer/);
  assert.throws(() => bootstrapInterval(3, (idx) => (idx[0] === 0 && idx[1] === 1 ? 0 : NaN)), /returned NaN/);
});
