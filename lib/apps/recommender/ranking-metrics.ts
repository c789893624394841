/**
 * Top-k ranking metrics with binary relevance (Järvelin & Kekäläinen 2002 for DCG):
 *   Recall@k = |top-k ∩ relevant| / |relevant|
 *   DCG@k    = Σ_{r=1..k} rel_r / log₂(r + 1),   NDCG@k = DCG@k / IDCG@k,  IDCG@k the DCG of min(k, |relevant|) hits
 * (scikit-learn's `ndcg_score(y_true, y_score, k=k)` for one user with 0/1 `y_true`, without ties in `y_score`;
 * tests/apps/ranking-metrics.test.ts checks both against scikit-learn and NumPy).
 */

/**
 * Indices of the `k` largest scores, best first (ties: the smaller index first); `-Infinity` scores are never returned.
 * @param allowed only these indices may be returned (default all)
 */
export function topK(scores: ArrayLike<number>, k: number, allowed?: ReadonlySet<number>): number[] {
  // A bounded insertion list: k ≤ ~100 here, so O(n·k) in the worst case and ~O(n) in practice.
  const best: number[] = [];
  const better = (a: number, b: number) => (scores[a] as number) > (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && a < b);
  const consider = (i: number) => {
    const s = scores[i] as number;
    if (s === -Infinity || Number.isNaN(s)) return;
    if (best.length === k && !better(i, best[k - 1] as number)) return;
    let at = best.length;
    while (at > 0 && better(i, best[at - 1] as number)) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  };
  if (allowed === undefined) for (let i = 0; i < scores.length; i++) consider(i);
  else for (const i of allowed) consider(i);
  return best;
}

/** Recall@k of a ranked list. @returns NaN when nothing is relevant */
export function recallAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return NaN;
  let hits = 0;
  for (const i of ranked.slice(0, k)) if (relevant.has(i)) hits++;
  return hits / relevant.size;
}

/** NDCG@k of a ranked list with binary gains. @returns NaN when nothing is relevant */
export function ndcgAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return NaN;
  let dcg = 0;
  ranked.slice(0, k).forEach((i, r) => {
    if (relevant.has(i)) dcg += 1 / Math.log2(r + 2);
  });
  let idcg = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}
