/**
 * Uncertainty sampling's acquisition functions (Settles 2009, "Active Learning Literature Survey", §3.1): how
 * unsure a model is about one example, read off its predicted class probabilities. Higher = more informative =
 * asked first. Plain TypeScript on probability rows, no tensors.
 *
 *   least confidence   1 − p(ŷ₁)                    ŷ₁ the most probable class
 *   margin             1 − (p(ŷ₁) − p(ŷ₂))          ŷ₂ the runner-up (Settles ranks by the smallest margin)
 *   entropy            −Σ_c p(c) · ln p(c)          in nats; 0·ln 0 = 0
 *
 * "random" is the baseline every curve is compared against: it ignores the model.
 */
import type { Rng } from "../core/rng";

/** The acquisition strategies the loop knows. */
export type AcquisitionStrategy = "random" | "least-confidence" | "margin" | "entropy";

/** All strategies, baseline first (the order of the notebook's curves). */
export const ACQUISITION_STRATEGIES: readonly AcquisitionStrategy[] = Object.freeze(["random", "least-confidence", "margin", "entropy"]);

function checkRow(row: readonly number[], fn: string): void {
  if (row.length < 2) throw new Error(`${fn}: a probability row needs at least 2 classes, got ${row.length}.`);
  let sum = 0;
  for (const p of row) {
    if (!(p >= 0 && p <= 1)) throw new Error(`${fn}: probabilities must lie in [0, 1], got ${p}; apply softmax to logits first.`);
    sum += p;
  }
  if (Math.abs(sum - 1) > 1e-6) throw new Error(`${fn}: a probability row must sum to 1, got ${sum}; apply softmax to logits first.`);
}

/** Least confidence `1 − max_c p(c)`: 0 for a certain prediction, `1 − 1/K` for a uniform one. */
export function leastConfidence(probs: readonly number[]): number {
  checkRow(probs, "leastConfidence");
  return 1 - Math.max(...probs);
}

/** Margin score `1 − (p(ŷ₁) − p(ŷ₂))`: 1 when the two best classes tie, 0 for a certain prediction. */
export function marginScore(probs: readonly number[]): number {
  checkRow(probs, "marginScore");
  let first = -Infinity;
  let second = -Infinity;
  for (const p of probs) {
    if (p > first) [first, second] = [p, first];
    else if (p > second) second = p;
  }
  return 1 - (first - second);
}

/** Shannon entropy `−Σ p ln p` in nats: 0 for a certain prediction, `ln K` for a uniform one. */
export function entropyScore(probs: readonly number[]): number {
  checkRow(probs, "entropyScore");
  let h = 0;
  for (const p of probs) if (p > 0) h -= p * Math.log(p);
  return h;
}

/**
 * One informativeness score per pool row for `strategy` (higher = acquire first). "random" gives uniform draws
 * from `rng`, so ranking by them is a random sample.
 * @param probs `[N, K]` class probabilities of the unlabelled pool
 * @throws Error on an unknown strategy, a row that is not a distribution, or "random" without an `rng`
 */
export function acquisitionScores(strategy: AcquisitionStrategy, probs: readonly (readonly number[])[], rng?: Rng): number[] {
  switch (strategy) {
    case "random":
      if (!rng) throw new Error('acquisitionScores: "random" needs an rng; pass the loop\'s seeded Rng.');
      return probs.map(() => rng.uniform());
    case "least-confidence":
      return probs.map(leastConfidence);
    case "margin":
      return probs.map(marginScore);
    case "entropy":
      return probs.map(entropyScore);
    default:
      throw new Error(`acquisitionScores: unknown strategy "${String(strategy)}"; use one of ${ACQUISITION_STRATEGIES.join(", ")}.`);
  }
}

/**
 * Positions of the `k` highest scores, best first. Ties go to the lower position (a stable sort), so the
 * choice is deterministic; the loop shuffles the pool once per seed, so that is not a bias towards the file's order.
 * @throws Error when `k` is not an integer in `[0, scores.length]`
 */
export function topKIndices(scores: readonly number[], k: number): number[] {
  if (!Number.isInteger(k) || k < 0 || k > scores.length) throw new Error(`topKIndices: k must be an integer in [0, ${scores.length}], got ${k}.`);
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k)
    .map((e) => e.index);
}
