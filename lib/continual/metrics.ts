/**
 * Summaries of a continual-learning score matrix `R[i][j]` = test score on task `j` after training stage `i`
 * (tasks in training order; `null` for tasks not yet met). Lopez-Paz & Ranzato 2017 (GEM), §4; Chaudhry et al.
 * 2018 (RWalk), §4 for forgetting.
 *
 *   average accuracy   mean_j R[T−1][j]                          where everything ends up
 *   backward transfer  mean_{j<T−1} (R[T−1][j] − R[j][j])        negative = forgetting
 *   forgetting         mean_{j<T−1} max_{i<T−1} R[i][j] − R[T−1][j]   drop from each task's best
 */

function check(R: readonly (readonly (number | null)[])[], fn: string): number {
  const T = R.length;
  if (T === 0) throw new Error(`${fn}: empty score matrix.`);
  R.forEach((row, i) => {
    if (row.length !== T) throw new Error(`${fn}: row ${i} has ${row.length} scores for ${T} tasks; R must be square (stages × tasks).`);
    row.forEach((v, j) => {
      if (j <= i && typeof v !== "number") throw new Error(`${fn}: R[${i}][${j}] is missing; a task is scored after every stage from its own on.`);
    });
  });
  return T;
}

const at = (R: readonly (readonly (number | null)[])[], i: number, j: number): number => R[i]![j] as number;

/** Mean final score over all tasks. */
export function averageAccuracy(R: readonly (readonly (number | null)[])[]): number {
  const T = check(R, "averageAccuracy");
  let sum = 0;
  for (let j = 0; j < T; j++) sum += at(R, T - 1, j);
  return sum / T;
}

/** Mean change on earlier tasks from just after learning them to the end (GEM's BWT); 0 with one task. */
export function backwardTransfer(R: readonly (readonly (number | null)[])[]): number {
  const T = check(R, "backwardTransfer");
  if (T < 2) return 0;
  let sum = 0;
  for (let j = 0; j < T - 1; j++) sum += at(R, T - 1, j) - at(R, j, j);
  return sum / (T - 1);
}

/** Mean drop of earlier tasks from their best score before the last stage to the end; 0 with one task. */
export function forgetting(R: readonly (readonly (number | null)[])[]): number {
  const T = check(R, "forgetting");
  if (T < 2) return 0;
  let sum = 0;
  for (let j = 0; j < T - 1; j++) {
    let best = -Infinity;
    for (let i = j; i < T - 1; i++) best = Math.max(best, at(R, i, j));
    sum += best - at(R, T - 1, j);
  }
  return sum / (T - 1);
}
