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
