/**
 * A synthetic benchmark with known change points, to choose an alerting rule's parameters before it meets real
 * news. Each stream is `days` days of `perDay` sentences drawn from a labelled pool (Financial PhraseBank test
 * sentences, scored by the same classifier the monitor uses): on in-control days a sentence is gold-negative with
 * probability `baseRate`, during a *surge* with `surgeRate`. What the detector sees is the day's mean of the
 * classifier's per-sentence observation (predicted-negative 0/1, or P(negative)), so the classifier's errors are
 * part of the benchmark. Measured per rule:
 *   - detection delay: days from a surge's first day to the first alarm inside the surge (0 = same day);
 *   - misses: surges without an alarm inside them;
 *   - false alarms per 90 in-control days (after the reference window; days inside surges and `grace` days after
 *     them are not in-control).
 */
import { Rng } from "../core/rng";
import { baselineOf, cusum, type CusumParams } from "./change-detection";

/** Per-sentence observations of the pool, split by gold label. */
export interface LabelledPool {
  /** Observations of gold-negative sentences. */
  negative: readonly number[];
  /** Observations of the other (neutral and positive) sentences. */
  other: readonly number[];
}

/** Options of {@link syntheticStreams}. */
export interface StreamOptions {
  streams?: number;
  days?: number;
  perDay?: number;
  /** Gold-negative share on in-control days. */
  baseRate?: number;
  /** Gold-negative share during a surge. */
  surgeRate?: number;
  /** Length of each surge in days. */
  surgeDays?: number;
  /** Surges per stream (placed at random after the reference window, at least 60 days apart). */
  surgesPerStream?: number;
  /** In-control days at the start of each stream (the detector's reference window). */
  warmup?: number;
  seed?: number;
}

/** One stream: the daily observed means and its true surges `[start, end)`. */
export interface SyntheticStream {
  values: number[];
  surges: { start: number; end: number }[];
  warmup: number;
}

/**
 * Draws streams (see the file comment). Defaults: 20 streams of 720 days, 20 sentences a day (the Guardian
 * file's page size), base 15% gold-negative, surges of 14 days at 40%, 3 per stream, 60-day reference window.
 * @throws on an empty pool side, rates outside [0, 1], or surges that cannot fit
 */
export function syntheticStreams(pool: LabelledPool, options: StreamOptions = {}): SyntheticStream[] {
  const { streams = 20, days = 720, perDay = 20, baseRate = 0.15, surgeRate = 0.4, surgeDays = 14, surgesPerStream = 3, warmup = 60, seed = 0 } = options;
  if (pool.negative.length === 0 || pool.other.length === 0) throw new Error("syntheticStreams: the pool needs gold-negative and other sentences");
  for (const [name, r] of [["baseRate", baseRate], ["surgeRate", surgeRate]] as const) if (!(r >= 0 && r <= 1)) throw new Error(`syntheticStreams: ${name} must be in [0, 1], got ${r}`);
  const gap = 60;
  const room = days - warmup - surgesPerStream * (surgeDays + gap);
  if (room < 0) throw new Error(`syntheticStreams: ${surgesPerStream} surges of ${surgeDays} days (60 days apart) do not fit in ${days} days after a ${warmup}-day reference window`);
  const rng = new Rng(seed);
  const out: SyntheticStream[] = [];
  for (let s = 0; s < streams; s++) {
    // Place surges: split the spare room at random between the gaps (so they are ≥ `gap` days apart).
    const cuts = Array.from({ length: surgesPerStream }, () => rng.int(room + 1)).sort((a, b) => a - b);
    const surges = cuts.map((c, i) => {
      const start = warmup + c + i * (surgeDays + gap) + gap;
      return { start, end: start + surgeDays };
    });
    const values: number[] = [];
    let next = 0;
    for (let d = 0; d < days; d++) {
      while (next < surges.length && d >= (surges[next] as { end: number }).end) next++;
      const surge = surges[next];
      const rate = surge !== undefined && d >= surge.start ? surgeRate : baseRate;
      let sum = 0;
      for (let i = 0; i < perDay; i++) {
        const side = rng.uniform() < rate ? pool.negative : pool.other;
        sum += side[rng.int(side.length)] as number;
      }
      values.push(sum / perDay);
    }
    out.push({ values, surges, warmup });
  }
  return out;
}

/** How a rule did on a set of streams. */
export interface DetectorScore {
  /** Mean delay over detected surges (days); NaN when none was detected. */
  meanDelay: number;
  /** Mean delay with each missed surge counted as its length (a pessimistic summary). */
  meanDelayMissesAsLength: number;
  detected: number;
  missed: number;
  falseAlarms: number;
  inControlDays: number;
  falseAlarmsPer90: number;
}

/**
 * Scores alarms against the true surges of each stream.
 * @param alarms per stream, the days that alarmed
 * @param options `grace`: days after a surge's end that are neither surge nor in-control (default 7: the statistic
 *   needs a few days to fall back after a real change)
 */
export function scoreAlarms(streams: readonly SyntheticStream[], alarms: readonly (readonly number[])[], options: { grace?: number } = {}): DetectorScore {
  const { grace = 7 } = options;
  const delays: number[] = [];
  let missed = 0;
  let falseAlarms = 0;
  let inControlDays = 0;
  let missedLength = 0;
  streams.forEach((stream, s) => {
    const fired = alarms[s] ?? [];
    for (const { start, end } of stream.surges) {
      const first = fired.find((t) => t >= start && t < end);
      if (first === undefined) {
        missed++;
        missedLength += end - start;
      } else delays.push(first - start);
    }
    const excluded = (t: number) => t < stream.warmup || stream.surges.some((g) => t >= g.start && t < g.end + grace);
    for (let t = 0; t < stream.values.length; t++) if (!excluded(t)) inControlDays++;
    falseAlarms += fired.filter((t) => !excluded(t)).length;
  });
  const detected = delays.length;
  const total = delays.reduce((a, b) => a + b, 0);
  return {
    meanDelay: detected > 0 ? total / detected : NaN,
    meanDelayMissesAsLength: detected + missed > 0 ? (total + missedLength) / (detected + missed) : NaN,
    detected,
    missed,
    falseAlarms,
    inControlDays,
    falseAlarmsPer90: inControlDays > 0 ? (90 * falseAlarms) / inControlDays : NaN,
  };
}

/** The (k, h) grid the notebook and `course monitor --tune` search. */
export const TUNING_GRID: { readonly k: readonly number[]; readonly h: readonly number[] } = Object.freeze({ k: Object.freeze([0.25, 0.5, 0.75, 1, 1.5]), h: Object.freeze([1, 2, 3, 4, 5, 6, 8, 10]) });

/** One grid point of {@link tuneCusum}. */
export interface CusumTrial extends DetectorScore {
  k: number;
  h: number;
}

/**
 * Runs CUSUM with every (k, h) of the grid on every stream (baseline: each stream's reference window) and picks
 * the rule with the smallest `meanDelayMissesAsLength` among those with at most `maxFalseAlarmsPer90`.
 * @returns every trial, and the chosen one (undefined when none meets the false-alarm budget)
 */
export function tuneCusum(streams: readonly SyntheticStream[], grid: { k: readonly number[]; h: readonly number[] }, options: { maxFalseAlarmsPer90?: number; grace?: number } = {}): { trials: CusumTrial[]; best: CusumTrial | undefined } {
  const { maxFalseAlarmsPer90 = 1, grace } = options;
  const baselines = streams.map((s) => baselineOf(s.values, 0, s.warmup));
  const trials: CusumTrial[] = [];
  for (const k of grid.k) {
    for (const h of grid.h) {
      const params: CusumParams = { k, h };
      const alarms = streams.map((s, i) => cusum(s.values, baselines[i] as { mean: number; sd: number }, params).alarms);
      trials.push({ k, h, ...scoreAlarms(streams, alarms, { grace }) });
    }
  }
  let best: CusumTrial | undefined;
  for (const t of trials) {
    if (!(t.falseAlarmsPer90 <= maxFalseAlarmsPer90)) continue;
    if (best === undefined || t.meanDelayMissesAsLength < best.meanDelayMissesAsLength || (t.meanDelayMissesAsLength === best.meanDelayMissesAsLength && t.falseAlarmsPer90 < best.falseAlarmsPer90)) best = t;
  }
  return { trials, best };
}
