/**
 * AdamW (Loshchilov & Hutter 2019): Adam with weight decay decoupled from the gradient, as in BERT and
 * Hugging Face (`torch.optim.AdamW`):
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
 *   θ ← θ − lr·(m̂/(√v̂ + ε) + λθ)          (λ = 0 for parameters `decay` excludes: LayerNorm and biases)
 */
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../nn/params";
import { nativeAdamW } from "../core/native-fused";

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
  /** Which parameters get weight decay (default: all but biases and LayerNorm weights, as BERT does). */
  decay?: (name: string) => boolean;
}

/** BERT's rule: no weight decay on biases and LayerNorm parameters. */
export function decaysByDefault(name: string): boolean {
  return !name.endsWith(".bias") && !name.includes("LayerNorm");
}

export class AdamW {
  /** Steps taken (t in the bias correction). */
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private readonly decay: (name: string) => boolean;

  constructor(options: AdamWOptions = {}) {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-6, weightDecay = 0.01, decay = decaysByDefault } = options;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.decay = decay;
  }

  /** Applies one update with learning rate `lr` to every parameter that has a gradient in `grads`. */
  apply(params: Params, grads: Record<string, tf.Tensor>, lr: number): void {
    for (const name of Object.keys(grads)) {
      if (!params.has(name)) throw new Error(`AdamW: gradient for unknown parameter "${name}" (use valueAndGrads to key gradients by parameter name)`);
    }
    this.step += 1;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    for (const [name, variable] of params) {
      const g = grads[name];
      if (g === undefined) continue;
      const m = this.slot(this.m, name, variable);
      const v = this.slot(this.v, name, variable);
      const weightDecay = this.weightDecay > 0 && this.decay(name) ? this.weightDecay : 0;
      const hyper = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay, correction1, correction2 };
      if (nativeAdamW(variable, m, v, g, lr, hyper)) continue; // one native pass, in place (wasm + native engine)
      tf.tidy(() => {
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const vNew = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(mNew);
        v.assign(vNew);
        let update = tf.div(tf.div(mNew, correction1), tf.add(tf.sqrt(tf.div(vNew, correction2)), this.epsilon));
        if (weightDecay > 0) update = tf.add(update, tf.mul(variable, weightDecay));
        variable.assign(tf.sub(variable, tf.mul(update, lr)));
      });
    }
  }

  private slot(slots: Map<string, tf.Variable>, name: string, like: tf.Variable): tf.Variable {
    let slot = slots.get(name);
    if (slot === undefined) {
      slot = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      slots.set(name, slot);
    }
    return slot;
  }

  /** The moment estimates by parameter name (for checkpoints; the tensors stay owned by the optimizer). */
  state(): { step: number; m: Map<string, tf.Variable>; v: Map<string, tf.Variable> } {
    return { step: this.step, m: this.m, v: this.v };
  }

  /**
   * Restores a saved state: the step count, and for each parameter name its `m` and `v` from `load`
   * (tensors it returns are taken over). Parameters without saved moments start from zero.
   */
  restore(step: number, load: (kind: "m" | "v", name: string) => tf.Tensor | undefined, names: string[]): void {
    this.dispose();
    this.step = step;
    for (const name of names) {
      for (const [kind, slots] of [["m", this.m], ["v", this.v]] as const) {
        const tensor = load(kind, name);
        if (tensor === undefined) continue;
        slots.set(name, tf.variable(tensor, false));
        tensor.dispose();
      }
    }
  }

  /** Frees the moment estimates. */
  dispose(): void {
    for (const slot of [...this.m.values(), ...this.v.values()]) slot.dispose();
    this.m.clear();
    this.v.clear();
  }
}
