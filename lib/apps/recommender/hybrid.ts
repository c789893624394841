/**
 * A hybrid of two recommenders by score blending: each user's scores from each part are standardised over the
 * catalogue (z-scores, so the parts' scales do not matter), then mixed, `α·z_a + (1 − α)·z_b`. α = 1 is part a
 * alone. `tuneBlend` picks α by NDCG@k on a validation split carved from the training data (`validationSplit`),
 * never on test.
 */
import type { RecommenderSplit } from "./interactions";
import { evaluateRanking } from "./evaluate";
import type { Recommender } from "./recommender";

function standardized(scores: Float32Array): Float32Array {
  const n = scores.length;
  let mean = 0;
  for (const s of scores) mean += s / n;
  let variance = 0;
  for (const s of scores) variance += (s - mean) ** 2 / n;
  const sd = Math.sqrt(variance) || 1; // a constant row (no signal) becomes all zeros
  return scores.map((s) => (s - mean) / sd);
}

/**
 * @param alpha weight of `a`, in [0, 1]
 * @throws when alpha is outside [0, 1]
 */
export function blendRecommenders(a: Recommender, b: Recommender, alpha: number, options: { name?: string } = {}): Recommender {
  const { name = `hybrid (${alpha.toFixed(2)}·${a.name} + ${(1 - alpha).toFixed(2)}·${b.name})` } = options;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`blendRecommenders: alpha must be in [0, 1], got ${alpha}`);
  return {
    name,
    scores(user: number): Float32Array {
      const za = standardized(a.scores(user));
      const zb = standardized(b.scores(user));
      return za.map((x, i) => alpha * x + (1 - alpha) * (zb[i] as number));
    },
  };
}

/**
 * Chooses α on `validation` (a and b fitted on its training part).
 * @param options `grid` (default 0, 0.1, …, 1), `k` (default 10)
 * @returns the α with the best mean NDCG@k (ties: the larger α) and every trial
 */
export function tuneBlend(a: Recommender, b: Recommender, validation: RecommenderSplit, options: { grid?: readonly number[]; k?: number } = {}): { alpha: number; trials: { alpha: number; ndcg: number; recall: number }[] } {
  const { grid = Array.from({ length: 11 }, (_, i) => i / 10), k = 10 } = options;
  const trials = grid.map((alpha) => {
    const e = evaluateRanking(blendRecommenders(a, b, alpha), validation, { k, samples: 1 });
    return { alpha, ndcg: e.ndcg.value, recall: e.recall.value };
  });
  let best = trials[0];
  for (const t of trials) if (best === undefined || t.ndcg > best.ndcg || (t.ndcg === best.ndcg && t.alpha > best.alpha)) best = t;
  if (best === undefined) throw new Error("tuneBlend: the grid is empty");
  return { alpha: best.alpha, trials };
}
