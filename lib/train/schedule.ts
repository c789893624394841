/**
 * Learning-rate schedules: linear warm-up to the peak over `warmupSteps`, then linear decay to 0 at `totalSteps`
 * (the shape of BERT's `optimization.py` and Hugging Face's `get_linear_schedule_with_warmup`).
 *
 * One deliberate difference in the warm-up: Hugging Face's multiplier is `s / W` for update `s` (0-based), so its
 * first update runs at lr 0 and only feeds Adam's moments; ours is `(s + 1) / W`, one step ahead, so every update
 * moves the weights and the peak is reached at update `W − 1`. From update `W` on the two are identical
 * (`(T − s) / (T − W)`). A test states both formulas (transformers `optimization.py`, `lr_lambda`).
 */

/** The learning rate at `step` (0-based: the rate used for the step-th update). */
export function linearWarmupDecay(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const remaining = totalSteps - step;
  const span = Math.max(1, totalSteps - warmupSteps);
  return Math.max(0, (peak * remaining) / span);
}

/**
 * The learning rate at `fraction` ∈ [0, 1] of a wall-clock budget (Cramming, Geiping & Goldstein 2022, §4.3: tie
 * the schedule to the budget, not to a step count nobody knows in advance): linear warm-up over the first
 * `warmupFraction` of the budget, then linear decay to 0 when the budget is spent.
 */
export function budgetWarmupDecay(fraction: number, peak: number, warmupFraction: number): number {
  const f = Math.min(1, Math.max(0, fraction));
  if (warmupFraction > 0 && f < warmupFraction) return (peak * f) / warmupFraction;
  return Math.max(0, (peak * (1 - f)) / Math.max(1e-12, 1 - warmupFraction));
}
