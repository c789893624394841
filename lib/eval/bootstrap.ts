/**
 * The nonparametric bootstrap (Efron & Tibshirani 1993, ch. 13): resample the test set's `n` examples with
 * replacement `samples` times, recompute the score on each resample, and read the interval off the resampled
 * scores. The interval here is the **percentile** interval: the `(1 − c)/2` and `(1 + c)/2` quantiles of the
 * resampled scores, quantiles interpolated linearly between order statistics (NumPy's default `linear`, Hyndman &
 * Fan's type 7 — what `scipy.stats.bootstrap(method="percentile")` reads off too). It assumes the test examples are
 * independent draws; for tagging the unit is the sentence, not the token (tokens of one sentence are not independent).
 * Every resample draws from the seeded `Rng`, so one seed gives one interval.
 */
import { Rng } from "../core/rng";

/** A point estimate with its bootstrap interval. */
export interface Interval {
  /** The score on the whole test set (not the mean of the resamples). */
  value: number;
  /** Lower end of the percentile interval. */
  low: number;
  /** Upper end of the percentile interval. */
  high: number;
  /** Confidence level, e.g. 0.95. */
  confidence: number;
  /** Number of bootstrap resamples. */
  samples: number;
  /** Always `"percentile"` (see the file header). */
  method: "percentile";
}

/** Options of {@link bootstrapInterval} and the metric intervals built on it. */
export interface BootstrapOptions {
  /** Number of resamples (default 1000: the interval's ends move by < 0.005 between seeds for n ≈ 1000 examples). */
  samples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  confidence?: number;
  /** Seed of the `Rng` that draws the resamples (default 0); ignored when `rng` is given. */
  seed?: number;
  rng?: Rng;
}

/**
 * The `p`-quantile of `values`, interpolated linearly between order statistics (NumPy's default, type 7):
 * `h = (n − 1)·p`, `q = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)`.
 * @param values any order (copied, not sorted in place)
 * @throws when `values` is empty or `p` is outside [0, 1]
 */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("quantile: no values");
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: p = ${p} is outside [0, 1]`);
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Checks the options and returns the generator and settings (shared by every bootstrap in lib/eval). */
export function bootstrapSettings(fn: string, n: number, options: BootstrapOptions): { rng: Rng; samples: number; confidence: number } {
  const { samples = 1000, confidence = 0.95, seed = 0 } = options;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: needs at least one example, got ${n}`);
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`${fn}: samples must be a positive integer, got ${samples}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`${fn}: confidence must be in (0, 1), got ${confidence} (0.95, not 95)`);
  return { rng: options.rng ?? new Rng(seed), samples, confidence };
}

/** One resample: `n` indices drawn uniformly with replacement from `[0, n)`. */
export function resampleIndices(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(n);
  return out;
}

/**
 * Percentile bootstrap interval of any statistic of `n` examples.
 * @param n number of examples (the resampling unit: texts, or sentences for entity F1)
 * @param statistic the score of a resample, given its `n` indices (repeats allowed); called `samples + 1` times,
 *   first with the identity (the point estimate)
 * @returns the point estimate and its interval
 * @throws on n < 1, a bad `samples` or `confidence`, or a statistic that returns a non-finite number
 */
export function bootstrapInterval(n: number, statistic: (indices: Int32Array) => number, options: BootstrapOptions = {}): Interval {
  const { rng, samples, confidence } = bootstrapSettings("bootstrapInterval", n, options);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const value = statistic(identity);
  const scores: number[] = [];
  for (let s = 0; s < samples; s++) {
    const score = statistic(resampleIndices(n, rng));
    if (!Number.isFinite(score)) throw new Error(`bootstrapInterval: the statistic returned ${score} on resample ${s}; it must return a finite number for any multiset of examples`);
    scores.push(score);
  }
  const alpha = (1 - confidence) / 2;
  return { value, low: quantile(scores, alpha), high: quantile(scores, 1 - alpha), confidence, samples, method: "percentile" };
}

/** `0.912 [0.894, 0.929]`: an estimate with its interval, as the course prints it (a bare `[low, high]` pair: lib/plot's `formatInterval`; (`digits` decimals, default 3). */
export function formatEstimate(interval: Interval, options: { digits?: number } = {}): string {
  const { digits = 3 } = options;
  return `${interval.value.toFixed(digits)} [${interval.low.toFixed(digits)}, ${interval.high.toFixed(digits)}]`;
}
