/**
 * Learning-rate schedules: linear warm-up from 0 to the peak over `warmupSteps`, then linear decay to 0 at
 * `totalSteps` (BERT's `optimization.py`, Hugging Face's `get_linear_schedule_with_warmup`).
 */

/** The learning rate at `step` (0-based: the rate used for the step-th update). */
export function linearWarmupDecay(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const remaining = totalSteps - step;
  const span = Math.max(1, totalSteps - warmupSteps);
  return Math.max(0, (peak * remaining) / span);
}
