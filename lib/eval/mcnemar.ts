/**
 * McNemar's test (McNemar 1947; Dietterich 1998 §3.5 for comparing classifiers): two models scored on the **same**
 * test examples. Only the discordant examples count: `b` = A right and B wrong, `c` = A wrong and B right. Under
 * the null hypothesis (equal error rates) each discordant example is a fair coin, `b ~ Binomial(b + c, ½)`.
 *
 * - **exact** (used when `b + c < 25`, the usual rule, e.g. mlxtend's `mcnemar` docs): two-sided binomial p-value
 *   `min(1, 2·P(X ≤ min(b, c)))`, X ~ Bin(b + c, ½) — statsmodels' `mcnemar(exact=True)` and
 *   `scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue`.
 * - **chi-squared with continuity correction** (Edwards 1948) otherwise: `χ² = (|b − c| − 1)² / (b + c)`, one
 *   degree of freedom, p = `P(χ²₁ ≥ χ²)` — statsmodels' `mcnemar(exact=False, correction=True)`.
 */
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";

/** The result of {@link mcnemar}. */
export interface McNemarResult {
  /** A right, B wrong. */
  b: number;
  /** A wrong, B right. */
  c: number;
  /** `"exact"` (binomial) or `"chi2"` (χ² with continuity correction). */
  method: "exact" | "chi2";
  /** `min(b, c)` for exact, the corrected χ² for chi2. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
}

/** Options of {@link mcnemar}. */
export interface McNemarOptions {
  /** Force a method; default exact when `b + c < exactBelow`. */
  method?: "exact" | "chi2";
  /** Discordant count below which the exact test is used (default 25). */
  exactBelow?: number;
}

/**
 * McNemar's test from the two discordant counts.
 * @throws when a count is not a non-negative integer
 */
export function mcnemarFromCounts(b: number, c: number, options: McNemarOptions = {}): McNemarResult {
  const { exactBelow = 25 } = options;
  for (const [name, v] of [["b", b], ["c", c]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`mcnemar: ${name} = ${v} must be a non-negative integer count of discordant examples`);
  }
  const n = b + c;
  const method = options.method ?? (n < exactBelow ? "exact" : "chi2");
  if (n === 0) return { b, c, method, statistic: 0, pValue: 1 }; // the models never disagree: no evidence either way
  if (method === "exact") {
    const k = Math.min(b, c);
    return { b, c, method, statistic: k, pValue: Math.min(1, 2 * binomialCdf(k, n, 0.5)) };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  // |b − c| = 0 gives (−1)²/n > 0; statsmodels computes the same number, and p stays close to 1.
  return { b, c, method, statistic, pValue: 1 - chisquareCdf(statistic, 1) };
}

/**
 * McNemar's test of two models' predictions against the same labels.
 * @param a model A's predicted class per example
 * @param b model B's predicted class per example
 * @param labels gold class per example
 * @throws when the three arrays differ in length or are empty
 */
export function mcnemar(a: readonly number[], b: readonly number[], labels: readonly number[], options: McNemarOptions = {}): McNemarResult {
  if (a.length !== labels.length || b.length !== labels.length) throw new Error(`mcnemar: ${a.length} and ${b.length} predictions for ${labels.length} labels; score both models on the same test set`);
  if (labels.length === 0) throw new Error("mcnemar: no examples");
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < labels.length; i++) {
    const ra = a[i] === labels[i];
    const rb = b[i] === labels[i];
    if (ra && !rb) onlyA++;
    else if (rb && !ra) onlyB++;
  }
  return mcnemarFromCounts(onlyA, onlyB, options);
}

/** The result of {@link mcnemarRange}: the least and the most significant McNemar test the two counts allow. */
export interface McNemarRange {
  /** Smallest p-value over every pairing (the models disagree as little as the counts allow). */
  low: McNemarResult;
  /** Largest p-value over every pairing: when even this is below α, the difference is significant whatever the pairing. */
  high: McNemarResult;
}

/**
 * McNemar's test when only each model's number of correct examples on the same `n` examples is known (e.g. a
 * published table without predictions). The discordant counts are not known, but `b − c = correctA − correctB` is,
 * and `b ≤ min(correctA, n − correctB)`, `c ≤ min(correctB, n − correctA)`: every feasible pairing is tried and the
 * extreme p-values returned. A `high.pValue` below α means significant for any pairing; a `low.pValue` above α means
 * not significant for any.
 * @throws when the counts are not integers in `[0, n]`
 */
export function mcnemarRange(n: number, correctA: number, correctB: number, options: McNemarOptions = {}): McNemarRange {
  for (const [name, v] of [["n", n], ["correctA", correctA], ["correctB", correctB]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > n) throw new Error(`mcnemarRange: ${name} = ${v} must be an integer count between 0 and n = ${n}`);
  }
  const delta = correctA - correctB; // = b − c for every pairing
  const cMax = Math.min(correctB, n - correctA);
  let low: McNemarResult | undefined;
  let high: McNemarResult | undefined;
  for (let c = Math.max(0, -delta); c <= cMax; c++) {
    const result = mcnemarFromCounts(c + delta, c, options);
    if (!low || result.pValue < low.pValue) low = result;
    if (!high || result.pValue > high.pValue) high = result;
  }
  // cMax ≥ max(0, −delta) always holds for counts in [0, n], so the loop ran at least once.
  return { low: low as McNemarResult, high: high as McNemarResult };
}
