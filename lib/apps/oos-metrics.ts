/**
 * How an intent bot's out-of-scope (OOS) fallback is scored (Zhang et al. 2022; Larson et al. 2019). The bot
 * answers a query when its **confidence score** (higher = more in-scope: max softmax, temperature-scaled max softmax,
 * or minus a Mahalanobis distance; see oos-scores.ts) reaches a threshold τ, and falls back otherwise.
 * - in-scope accuracy: top-intent accuracy on in-scope queries (no rejection);
 * - AUROC of detecting OOS with `−score` (threshold-free; lib/metrics `auroc`);
 * - OOS recall at 95% in-scope precision: τ is chosen on **validation** as the lowest score at which, among the
 *   queries the bot answers, at least 95% are in scope (answer as much as possible while 19 in 20 answers are to
 *   real in-scope questions); at that τ, the share of OOS test queries the bot declines. The precision reached on test
 *   is reported beside it (it depends on the OOS share, which differs between splits).
 * In-scope accuracy, AUROC and OOS recall carry 95% percentile bootstrap intervals over the test queries (lib/eval;
 * τ held fixed, as it was chosen on validation).
 */
import { bootstrapInterval, bootstrapSettings, quantile, resampleIndices, type BootstrapOptions, type Interval } from "../eval/bootstrap";
import { auroc } from "../metrics/roc";

/** Chooses τ (see the file comment). */
export interface ThresholdChoice {
  threshold: number;
  /** In-scope precision at τ on the data it was chosen on (NaN when nothing reaches the target: τ = +∞). */
  precision: number;
  /** Share of in-scope queries answered at τ. */
  coverage: number;
}

/**
 * The lowest threshold whose in-scope precision on this data reaches `target`.
 * @param inScope scores of in-scope queries; @param oos scores of OOS queries
 * @returns `threshold: Infinity` (never answer) when no threshold reaches the target
 */
export function thresholdAtPrecision(inScope: readonly number[], oos: readonly number[], target = 0.95): ThresholdChoice {
  if (inScope.length === 0 || oos.length === 0) throw new Error(`thresholdAtPrecision: needs in-scope and OOS scores, got ${inScope.length} and ${oos.length}`);
  if (!(target > 0 && target <= 1)) throw new Error(`thresholdAtPrecision: target precision must be in (0, 1], got ${target}`);
  const all = [...inScope.map((s) => ({ s, in: true })), ...oos.map((s) => ({ s, in: false }))].sort((a, b) => b.s - a.s);
  let best: ThresholdChoice = { threshold: Infinity, precision: NaN, coverage: 0 };
  let accepted = 0;
  let acceptedIn = 0;
  for (let i = 0; i < all.length; ) {
    let j = i; // accept every query tied at this score together
    while (j < all.length && (all[j] as { s: number }).s === (all[i] as { s: number }).s) {
      accepted++;
      if ((all[j] as { in: boolean }).in) acceptedIn++;
      j++;
    }
    if (acceptedIn / accepted >= target) best = { threshold: (all[i] as { s: number }).s, precision: acceptedIn / accepted, coverage: acceptedIn / inScope.length };
    i = j;
  }
  return best;
}

/**
 * AUROC of OOS detection with a **stratified** percentile bootstrap interval: in-scope and OOS queries are resampled
 * separately, so every resample keeps both kinds in their test proportions (pROC's default, Robin et al. 2011).
 */
function stratifiedAurocInterval(inScope: readonly number[], oos: readonly number[], options: BootstrapOptions): Interval {
  const { rng, samples, confidence } = bootstrapSettings("oosReport", inScope.length + oos.length, options);
  const score = (inIdx: ArrayLike<number>, oosIdx: ArrayLike<number>) =>
    auroc([...Array.from(inIdx, (i) => -(inScope[i] as number)), ...Array.from(oosIdx, (i) => -(oos[i] as number))], [...Array.from(inIdx, () => false), ...Array.from(oosIdx, () => true)]);
  const value = score(inScope.map((_, i) => i), oos.map((_, i) => i));
  const draws: number[] = [];
  for (let s = 0; s < samples; s++) draws.push(score(resampleIndices(inScope.length, rng), resampleIndices(oos.length, rng)));
  const alpha = (1 - confidence) / 2;
  return { value, low: quantile(draws, alpha), high: quantile(draws, 1 - alpha), confidence, samples, method: "percentile" };
}

/** Scores of one detector on a split's test set (see {@link oosReport}). */
export interface OosReport {
  /** Top-intent accuracy on in-scope test queries. */
  inScopeAccuracy: number;
  /** AUROC of OOS detection (all OOS: ID + OOD), and ID-OOS / OOD-OOS alone. */
  auroc: number;
  aurocIdOos: number;
  aurocOodOos: number;
  /** τ chosen on validation. */
  threshold: number;
  /** Share of OOS test queries with score < τ (declined), all OOS and by kind. */
  oosRecall: number;
  idOosRecall: number;
  oodOosRecall: number;
  /** In-scope precision and coverage on test at τ. */
  testPrecision: number;
  testCoverage: number;
  /** Correctly answered in-scope queries / in-scope queries, at τ. */
  answeredAccuracy: number;
  /** 95% percentile bootstrap intervals: in-scope queries resampled for accuracy, OOS queries for recall, all test queries for AUROC. */
  intervals: { inScopeAccuracy: Interval; auroc: Interval; oosRecall: Interval };
}

/** A detector's scores on validation and test, and its top-intent predictions on in-scope test. */
export interface OosScores {
  validation: { inScope: number[]; oos: number[] };
  test: { inScope: number[]; idOos: number[]; oodOos: number[] };
  /** Whether each in-scope test query's top intent is right. */
  testCorrect: boolean[];
}

/**
 * Every number of the file comment for one detector.
 * @param target in-scope precision the threshold aims at on validation (default 0.95)
 * @param bootstrap resampling options of the intervals (default 1000 resamples, seed 0)
 */
export function oosReport(scores: OosScores, options: { target?: number; bootstrap?: BootstrapOptions } = {}): OosReport {
  const { target = 0.95, bootstrap = {} } = options;
  const { inScope, idOos, oodOos } = scores.test;
  if (scores.testCorrect.length !== inScope.length) throw new Error(`oosReport: ${scores.testCorrect.length} correctness flags for ${inScope.length} in-scope test scores`);
  const choice = thresholdAtPrecision(scores.validation.inScope, scores.validation.oos, target);
  const tau = choice.threshold;
  const declined = (xs: readonly number[]) => xs.filter((s) => s < tau).length / xs.length;
  const detect = (oos: readonly number[]) => auroc([...inScope, ...oos].map((s) => -s), [...inScope.map(() => false), ...oos.map(() => true)]);
  const oos = [...idOos, ...oodOos];
  const answeredIn = inScope.filter((s) => s >= tau).length;
  const answeredOos = oos.filter((s) => s >= tau).length;
  const mean = (flags: readonly boolean[]) => (indices: Int32Array) => {
    let k = 0;
    for (const i of indices) if (flags[i]) k++;
    return k / indices.length;
  };
  const intervals = {
    inScopeAccuracy: bootstrapInterval(inScope.length, mean(scores.testCorrect), bootstrap),
    oosRecall: bootstrapInterval(oos.length, mean(oos.map((s) => s < tau)), bootstrap),
    auroc: stratifiedAurocInterval(inScope, oos, bootstrap),
  };
  return {
    inScopeAccuracy: scores.testCorrect.filter(Boolean).length / inScope.length,
    auroc: detect(oos),
    aurocIdOos: detect(idOos),
    aurocOodOos: detect(oodOos),
    threshold: tau,
    oosRecall: declined(oos),
    idOosRecall: declined(idOos),
    oodOosRecall: declined(oodOos),
    testPrecision: answeredIn + answeredOos === 0 ? NaN : answeredIn / (answeredIn + answeredOos),
    testCoverage: answeredIn / inScope.length,
    answeredAccuracy: inScope.filter((s, i) => s >= tau && scores.testCorrect[i]).length / inScope.length,
    intervals,
  };
}
