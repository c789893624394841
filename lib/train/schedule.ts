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
