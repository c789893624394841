/**
 * Offline ranking evaluation: for every user with held-out items, rank the candidate items (all items, or the
 * split's cold items) by the recommender's scores with the user's training items removed, and score the top k with
 * Recall@k and NDCG@k. The mean over users gets a 95% percentile bootstrap interval, users resampled (lib/eval).
 */
import { bootstrapInterval, type Interval } from "../../eval/bootstrap";
import { itemsByUser, type RecommenderSplit } from "./interactions";
import { ndcgAtK, recallAtK, topK } from "./ranking-metrics";
import type { Recommender } from "./recommender";

/** The mean of `values` over a bootstrap resample's indices. */
const meanOf = (values: readonly number[]) => (idx: Int32Array): number => {
  let s = 0;
  for (const i of idx) s += values[i] as number;
  return s / idx.length;
};

/** Scores of one recommender on one split. */
export interface RankingEvaluation {
  name: string;
  k: number;
  /** Users evaluated (those with at least one held-out item). */
  users: number;
  recall: Interval;
  ndcg: Interval;
  /** Per evaluated user (same order as `userIndices`). */
  perUser: { recall: number[]; ndcg: number[] };
  userIndices: number[];
}

/**
 * The shared loop: for each user with held-out items, `score` gives (Recall@k, NDCG@k) from the user's training items
 * and relevant items; the means get bootstrap intervals over users.
 */
function overUsers(name: string, split: RecommenderSplit, options: { k?: number; samples?: number; seed?: number }, score: (user: number, seen: Set<number>, relevant: Set<number>, k: number) => [number, number]): RankingEvaluation {
  const { k = 10, samples = 1000, seed = 0 } = options;
  const numUsers = split.userIds.length;
  const seen = itemsByUser(split.train, numUsers).map((rows) => new Set(rows.map((r) => r.item)));
  const held = itemsByUser(split.test, numUsers).map((rows) => new Set(rows.map((r) => r.item)));
  const recall: number[] = [];
  const ndcg: number[] = [];
  const userIndices: number[] = [];
  held.forEach((relevant, u) => {
    if (relevant.size === 0) return;
    const [r, n] = score(u, seen[u] as Set<number>, relevant, k);
    recall.push(r);
    ndcg.push(n);
    userIndices.push(u);
  });
  if (userIndices.length === 0) throw new Error(`${name}: no user has a held-out item in this split`);
  return {
    name,
    k,
    users: userIndices.length,
    recall: bootstrapInterval(userIndices.length, meanOf(recall), { samples, seed }),
    ndcg: bootstrapInterval(userIndices.length, meanOf(ndcg), { samples, seed }),
    perUser: { recall, ndcg },
    userIndices,
  };
}

/**
 * Evaluates `recommender` on `split`'s test part.
 * @param options `k` (default 10), `samples` (bootstrap resamples, default 1000), `seed` (default 0)
 * @throws when no user has a test item
 */
export function evaluateRanking(recommender: Recommender, split: RecommenderSplit, options: { k?: number; samples?: number; seed?: number } = {}): RankingEvaluation {
  const evaluation = overUsers("evaluateRanking", split, options, (u, seen, relevant, k) => {
    const scores = Float32Array.from(recommender.scores(u));
    for (const i of seen) scores[i] = -Infinity;
    const ranked = topK(scores, k, split.candidates);
    return [recallAtK(ranked, relevant, k), ndcgAtK(ranked, relevant, k)];
  });
  return { ...evaluation, name: recommender.name };
}

/**
 * What a random ranking scores in expectation, per user, exactly (no sampling): with `n` candidates (the user's
 * training items removed) of which `r` are relevant, each of the top `m = min(k, n)` positions holds a relevant item
 * with probability `r/n`, so E[Recall@k] = m/n and E[DCG@k] = (r/n)·Σ_{p=1..m} 1/log₂(p + 1). The bar text must
 * clear on cold-start items.
 */
export function randomRankingExpectation(split: RecommenderSplit, options: { k?: number; samples?: number; seed?: number } = {}): RankingEvaluation {
  const numItems = split.itemIds.length;
  const evaluation = overUsers("randomRankingExpectation", split, options, (_u, seen, relevant, k) => {
    let n = 0;
    if (split.candidates === undefined) n = numItems - seen.size;
    else for (const i of split.candidates) if (!seen.has(i)) n++;
    const m = Math.min(k, n);
    let discount = 0;
    for (let p = 1; p <= m; p++) discount += 1 / Math.log2(p + 1);
    let ideal = 0;
    for (let p = 1; p <= Math.min(k, relevant.size); p++) ideal += 1 / Math.log2(p + 1);
    return [m / n, ((relevant.size / n) * discount) / ideal];
  });
  return { ...evaluation, name: "random (expected)" };
}
