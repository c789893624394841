/**
 * Alerting on a daily series with the one-sided (upper) CUSUM of Page (1954): standardise each day against a
 * baseline, `z_t = (x_t − μ₀)/σ₀`, accumulate the excess over a slack `k`,
 *
 *   S_0 = 0,   S_t = max(0, S_{t−1} + z_t − k),   alarm when S_t > h, then S_t ← 0 (restart),
 *
 * so a shift of δ standard deviations is found after about `h/(δ − k)` days, while in-control days drift S back to
 * 0. `k ≈ δ/2` is the classical choice for a shift δ you care about (Montgomery, *Introduction to Statistical
 * Quality Control*, §9.1); `h` trades detection delay against false alarms — lib/apps' synthetic benchmark picks both.
 * The baseline (μ₀, σ₀) is the mean and sample standard deviation of a reference window of in-control days.
 */

/** Mean and standard deviation of the in-control series. */
export interface Baseline {
  mean: number;
  sd: number;
}

/** Parameters of {@link cusum}. */
export interface CusumParams {
  /** Slack per day, in baseline standard deviations (≥ 0). */
  k: number;
  /** Decision threshold, in baseline standard deviations (> 0). */
  h: number;
}

/** The CUSUM path and where it alarmed. */
export interface CusumResult {
  /** S_t after each day (0 on the day of an alarm, after the restart). */
  statistic: number[];
  /** Indices of the days that raised an alarm. */
  alarms: number[];
}

/**
 * Baseline of a reference window: mean and sample standard deviation of `values[start, end)`.
 * @throws when the window has fewer than 2 days or no spread (σ₀ = 0 would make every change infinite)
 */
export function baselineOf(values: readonly number[], start = 0, end = values.length): Baseline {
  const window = values.slice(start, end);
  if (window.length < 2) throw new Error(`baselineOf: the reference window [${start}, ${end}) has ${window.length} day(s); it needs at least 2`);
  const mean = window.reduce((s, x) => s + x, 0) / window.length;
  const sd = Math.sqrt(window.reduce((s, x) => s + (x - mean) ** 2, 0) / (window.length - 1));
  // Rounding leaves a constant window a spread of ~1e-17, not 0: treat that as constant too.
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) throw new Error(`baselineOf: the reference window [${start}, ${end}) is constant (${Number(mean.toPrecision(12))}); use a longer window`);
  return { mean, sd };
}

/**
 * Runs the upper CUSUM over `values` (see the file comment).
 * @throws on k < 0, h ≤ 0, σ₀ ≤ 0 or a non-finite value (naming its index)
 */
export function cusum(values: readonly number[], baseline: Baseline, params: CusumParams): CusumResult {
  const { k, h } = params;
  if (!(k >= 0)) throw new Error(`cusum: k must be ≥ 0, got ${k}`);
  if (!(h > 0)) throw new Error(`cusum: h must be > 0, got ${h}`);
  if (!(baseline.sd > 0)) throw new Error(`cusum: the baseline sd must be > 0, got ${baseline.sd}`);
  const statistic: number[] = [];
  const alarms: number[] = [];
  let s = 0;
  values.forEach((x, t) => {
    if (!Number.isFinite(x)) throw new Error(`cusum: value ${t} is ${x}`);
    s = Math.max(0, s + (x - baseline.mean) / baseline.sd - k);
    if (s > h) {
      alarms.push(t);
      s = 0;
    }
    statistic.push(s);
  });
  return { statistic, alarms };
}
