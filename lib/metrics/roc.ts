/**
 * Area under the ROC curve (AUROC) of a binary detector from its scores: the probability that a random positive
 * scores above a random negative, ties counting one half — the Mann–Whitney U statistic divided by `n₊·n₋`, which
 * equals the trapezoidal area under the ROC curve (scikit-learn's `roc_auc_score`; tests/metrics/roc.test.ts checks
 * it against scikit-learn). Computed from average ranks: O(n log n).
 */

/**
 * AUROC of `scores` for `positive` (higher score = more positive).
 * @param scores one finite score per example
 * @param positive `true` for the positive class, aligned with `scores`
 * @returns a value in [0, 1]; 0.5 is chance
 * @throws when the lengths differ, a score is not finite, or one class is absent (the area is then undefined)
 */
export function auroc(scores: readonly number[], positive: readonly boolean[]): number {
  if (scores.length !== positive.length) throw new Error(`auroc: ${scores.length} scores but ${positive.length} labels`);
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new Error(`auroc: score ${i} is ${s}; scores must be finite`);
  });
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error(`auroc: needs both classes, got ${nPos} positive and ${nNeg} negative examples`);
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0; // sum of the positives' 1-based ranks, tied scores sharing their average rank
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[order[k] as number]) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
