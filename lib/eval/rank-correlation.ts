/**
 * Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank (as
 * `scipy.stats.spearmanr`). Used to compare two attribution maps (Adebayo et al. 2018 compare ranks, not values) and
 * to score sentence embeddings on STS (`lib/embeddings`).
 */

/** Average ranks (1-based), ties sharing the mean of their positions. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/**
 * Spearman's ρ of two equally long arrays.
 * @returns ρ in [−1, 1], NaN when either array is constant (as scipy)
 * @throws when lengths differ or fewer than 2 values
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`spearman: ${a.length} and ${b.length} values; pass two equally long arrays`);
  if (a.length < 2) throw new Error("spearman: needs at least 2 values");
  return pearson(averageRanks(a), averageRanks(b));
}

/**
 * Pearson's r of two equally long arrays (as `scipy.stats.pearsonr`), in float64 with the means subtracted first.
 * @returns r in [−1, 1], NaN when either array is constant
 * @throws when lengths differ or fewer than 2 values
 */
export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`pearson: ${a.length} and ${b.length} values; pass two equally long arrays`);
  if (a.length < 2) throw new Error("pearson: needs at least 2 values");
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}
