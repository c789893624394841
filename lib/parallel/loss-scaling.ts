/**
 * Dynamic loss scaling (Micikevicius et al. 2018, §3.2; the rule of PyTorch's `GradScaler`): multiply the loss by
 * a scale S before the backward pass so small fp16 gradients land above fp16's underflow threshold (2⁻²⁴), divide
 * the fp32 gradients by S before the update. S is kept as large as fits: after a step whose gradients overflowed
 * (an ∞ or NaN), skip the update and halve S; after `growthInterval` clean steps in a row, double it.
 */

export interface LossScalerOptions {
  /** Starting scale (PyTorch: 2¹⁶). */
  initScale?: number;
  /** Factor after `growthInterval` steps without overflow (PyTorch: 2). */
  growthFactor?: number;
  /** Factor after an overflow (PyTorch: 0.5). */
  backoffFactor?: number;
  /** Clean steps before growing (PyTorch: 2000). */
  growthInterval?: number;
}

export class DynamicLossScaler {
  scale: number;
  /** Clean steps since the last change of scale. */
  goodSteps = 0;
  /** Steps skipped because of overflow so far. */
  skipped = 0;
  private readonly growthFactor: number;
  private readonly backoffFactor: number;
  private readonly growthInterval: number;

  constructor(options: LossScalerOptions = {}) {
    const { initScale = 2 ** 16, growthFactor = 2, backoffFactor = 0.5, growthInterval = 2000 } = options;
    if (!(initScale > 0) || !(growthFactor > 1) || !(backoffFactor > 0 && backoffFactor < 1) || !(growthInterval >= 1)) {
      throw new Error(`DynamicLossScaler: need initScale > 0, growthFactor > 1, 0 < backoffFactor < 1, growthInterval ≥ 1 (got ${initScale}, ${growthFactor}, ${backoffFactor}, ${growthInterval})`);
    }
    [this.scale, this.growthFactor, this.backoffFactor, this.growthInterval] = [initScale, growthFactor, backoffFactor, growthInterval];
  }

  /**
   * Records a step's outcome and adapts the scale. `overflowed`: some gradient was ∞ or NaN (skip that step).
   * @returns whether the optimiser should apply the step.
   */
  update(overflowed: boolean): boolean {
    if (overflowed) {
      this.scale *= this.backoffFactor;
      this.goodSteps = 0;
      this.skipped += 1;
      return false;
    }
    this.goodSteps += 1;
    if (this.goodSteps === this.growthInterval) {
      this.scale *= this.growthFactor;
      this.goodSteps = 0;
    }
    return true;
  }
}

/** Does any of `arrays` hold an ∞ or a NaN? */
export function hasOverflow(arrays: Iterable<ArrayLike<number>>): boolean {
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i] as number)) return true;
  return false;
}
