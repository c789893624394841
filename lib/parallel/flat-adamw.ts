/**
 * AdamW on a flat slice of the parameters, as plain arrays: the optimiser a ZeRO rank runs on the 1/N of the
 * parameters it owns. Same rule and defaults as `AdamW` (lib/train):
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr·(m̂/(√v̂ + ε) + λθ)   (λ only where `decays[i]`)
 * computed in float64 and stored in float32 (tfjs rounds after every operation; the two agree to ~1e-7).
 */

export interface FlatAdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export class FlatAdamW {
  /** Steps taken (t in the bias correction). */
  step = 0;
  /** First and second moments of the slice: the optimiser state, `2·size` floats. */
  readonly m: Float32Array;
  readonly v: Float32Array;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  /** @param decays one flag per element of the slice: does it get weight decay? */
  constructor(
    readonly decays: Uint8Array,
    options: FlatAdamWOptions = {},
  ) {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-6, weightDecay = 0.01 } = options;
    [this.beta1, this.beta2, this.epsilon, this.weightDecay] = [beta1, beta2, epsilon, weightDecay];
    this.m = new Float32Array(decays.length);
    this.v = new Float32Array(decays.length);
  }

  /** Bytes of optimiser state this instance holds. */
  get stateBytes(): number {
    return this.m.byteLength + this.v.byteLength;
  }

  /** Updates `params` in place from `grads` (both the slice's length). */
  apply(params: Float32Array, grads: Float32Array, lr: number): void {
    const n = this.decays.length;
    if (params.length !== n || grads.length !== n) throw new Error(`FlatAdamW: slice of ${n} elements, got ${params.length} parameters and ${grads.length} gradients`);
    this.step += 1;
    const c1 = 1 - this.beta1 ** this.step, c2 = 1 - this.beta2 ** this.step;
    const { beta1, beta2, epsilon, weightDecay, m, v, decays } = this;
    for (let i = 0; i < n; i++) {
      const g = grads[i] as number;
      const mi = (m[i] = beta1 * (m[i] as number) + (1 - beta1) * g);
      const vi = (v[i] = beta2 * (v[i] as number) + (1 - beta2) * g * g);
      let update = mi / c1 / (Math.sqrt(vi / c2) + epsilon);
      if (weightDecay > 0 && decays[i]) update += weightDecay * (params[i] as number);
      params[i] = (params[i] as number) - lr * update;
    }
  }
}
