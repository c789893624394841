/**
 * AdaLoRA (Zhang et al. 2023, "Adaptive Budget Allocation for Parameter-Efficient Fine-Tuning"): LoRA whose rank
 * moves to where it matters. Each adapted Linear gets an update in SVD form (§3.1, eq. 3)
 *   ΔW = P·Λ·Q · α/r          P `[in, r]` (peft's `lora_A`ᵀ), Λ = diag(E) `[r]` (`lora_E`), Q `[r, out]` (`lora_B`ᵀ)
 * with `E` starting at zero (so ΔW = 0 at step 0) and P, Q ~ N(0, 0.02²). Training adds the orthogonality
 * regulariser R = mean over matrices of ‖PᵀP − I‖_F and ‖QQᵀ − I‖_F (eq. 4; `peft`: Frobenius norm, weight 0.5)
 * and, after each update, scores every triplet (P column, λ, Q row) by its importance (§3.2, eq. 8–11):
 *   I = |θ·∇θ|,  Ī ← β₁Ī + (1−β₁)I,  U ← β₂U + (1−β₂)|I − Ī|,  s(θ) = Ī·U
 *   S_i = s(λ_i) + mean_j s(P_ji) + mean_j s(Q_ij)
 * and keeps the top-b(t) triplets, zeroing the other λ. The budget follows the cubic schedule (§3.3, eq. 12):
 *   b(t) = b⁰ for t ≤ tᵢ;  b⁽ᵀ⁾ + (b⁰ − b⁽ᵀ⁾)(1 − (t − tᵢ)/(T − t_f − tᵢ))³ until T − t_f;  then b⁽ᵀ⁾, mask fixed.
 * The schedule runs inside the trainer (`training.afterStep`, which `finetune` calls after every update with the
 * total step count): users of `peft` must call `update_and_allocate` themselves, and when they forget, ranks
 * silently never change. Top-b is exact (ties broken by order), so the final total rank equals b⁽ᵀ⁾ exactly;
 * `peft`'s `kthvalue` threshold can keep more on ties. The mask also multiplies `E` in the forward pass, so a
 * best-epoch snapshot restored after training still has the final ranks.
 * Files, as `peft`'s `AdaLoraModel._get_adapter_state_dict` / `resize_state_dict_by_rank_pattern` write them (read
 * in `peft`'s source, src/peft/tuners/adalora/model.py; `peft` itself cannot be installed here):
 * `adapter_config.json` holds `rank_pattern` {`<module>.lora_E`: one boolean per initial triplet, true = kept} and
 * `total_step`, `tinit`, `tfinal` as numbers (`AdaLoraConfig.__post_init__` rejects a missing `total_step`);
 * `adapter_model.safetensors` holds only the kept triplets: `base_model.model.<module>.lora_A` `[r_m, in]`,
 * `.lora_E` `[r_m, 1]`, `.lora_B` `[out, r_m]` (parameters, no `.weight`; `r_m` = kept count, full `init_r` rows when
 * nothing was pruned; `ranknum` is not saved). `peft`'s loader (`resize_modules_by_rank_pattern`) shrinks each module
 * to `r_m` but keeps `ranknum = init_r`, so the update is scaled by `α/(init_r + 1e-5)` — as here, up to the 1e-5.
 * Loading also reads our older files (module-name keys, full-size tensors with pruned λ zero).
 */
import * as tf from "@tensorflow/tfjs";
import { transpose2d } from "../checkpoint/hf-bert";
import type { SafetensorsInput } from "../checkpoint/safetensors";
import type { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { EncoderHooks } from "../nn/encoder-layer";
import { dropout, linear } from "../nn/layers";
import { disposeParams, type Params } from "../nn/params";
import { savedTensor, TUNER_PREFIX, variableOf, type PeftMethod, type TrainingHooks } from "./method";
import { matchTargets } from "./targets";

export interface AdaLoraConfig {
  /** Starting rank per module `r` (default 12, `peft`'s `init_r`). */
  initR?: number;
  /** Average final rank per module (default 8, `target_r`): the final budget is `targetR × modules`. */
  targetR?: number;
  /** `α` (default 32); the update is scaled by `α/r`. */
  alpha?: number;
  /** Dropout on the input of the update (default 0.1). */
  dropout?: number;
  /** Module names (default `query`, `value`). */
  targetModules?: readonly string[];
  /** Steps at the full budget before pruning starts, `tᵢ` (default 10% of training). */
  tinit?: number;
  /** Final steps at the target budget with the mask fixed, `t_f` (default 20% of training). */
  tfinal?: number;
  /** Re-allocate every `deltaT` steps (default 1). */
  deltaT?: number;
  /** EMA factors of sensitivity and uncertainty (default 0.85 each, `peft`'s). */
  beta1?: number;
  beta2?: number;
  /** Weight of the orthogonality regulariser (default 0.5, `peft`'s `orth_reg_weight`). */
  orthRegWeight?: number;
}

export const ADALORA_DEFAULTS = Object.freeze({ initR: 12, targetR: 8, alpha: 32, dropout: 0.1, targetModules: Object.freeze(["query", "value"]) as readonly string[], deltaT: 1, beta1: 0.85, beta2: 0.85, orthRegWeight: 0.5 });

/**
 * The budget at 1-based `step` of `total` (§3.3, eq. 12) and whether to re-mask then.
 * @param steps tinit, tfinal and deltaT in steps
 */
export function adaloraBudget(step: number, total: number, initBudget: number, targetBudget: number, steps: { tinit: number; tfinal: number; deltaT: number }): { budget: number; mask: boolean } {
  const { tinit, tfinal, deltaT } = steps;
  if (step <= tinit) return { budget: initBudget, mask: false };
  if (step > total - tfinal) return { budget: targetBudget, mask: true };
  const progress = 1 - (step - tinit) / Math.max(1, total - tfinal - tinit);
  return { budget: Math.floor((initBudget - targetBudget) * progress ** 3 + targetBudget), mask: step % deltaT === 0 };
}

interface AdaLoraLayer {
  inSize: number;
  outSize: number;
  p: tf.Variable; // [in, r]
  e: tf.Variable; // [r]
  q: tf.Variable; // [r, out]
  /** 1 = triplet kept, 0 = pruned `[r]` (not trained). */
  mask: tf.Variable;
}

/** AdaLoRA (see the file comment). Caller disposes. */
export class AdaLora implements PeftMethod {
  readonly peftType = "ADALORA" as const;
  readonly params: Params = new Map();
  readonly virtualTokens = 0;
  readonly modulesPrefix = TUNER_PREFIX;
  readonly r: number;
  readonly targetR: number;
  readonly alpha: number;
  readonly dropout: number;
  readonly targetModules: readonly string[];
  readonly options: Required<Pick<AdaLoraConfig, "deltaT" | "beta1" | "beta2" | "orthRegWeight">> & Pick<AdaLoraConfig, "tinit" | "tfinal">;
  private readonly layers = new Map<string, AdaLoraLayer>();
  /** Smoothed sensitivity Ī and uncertainty U per parameter name. */
  private readonly sensitivity = new Map<string, tf.Tensor>();
  private readonly uncertainty = new Map<string, tf.Tensor>();
  /** Whether the mask is final (after `T − t_f`). */
  private frozenMask = false;
  /** Budget after the last allocation (total kept triplets). */
  budget: number;
  /** The schedule the trainer ran, in updates (`peft`'s `total_step`, `tinit`, `tfinal`); undefined before training. */
  schedule: { totalStep: number; tinit: number; tfinal: number } | undefined;

  constructor(bert: BertConfig, config: AdaLoraConfig, rng: Rng | null) {
    const d = ADALORA_DEFAULTS;
    const { initR = d.initR, targetR = d.targetR, alpha = d.alpha, dropout: p = d.dropout, targetModules = d.targetModules, tinit, tfinal, deltaT = d.deltaT, beta1 = d.beta1, beta2 = d.beta2, orthRegWeight = d.orthRegWeight } = config;
    if (!(Number.isInteger(initR) && initR >= 1)) throw new Error(`AdaLoRA initR must be a positive integer, got ${initR}`);
    if (!(Number.isInteger(targetR) && targetR >= 0 && targetR <= initR)) throw new Error(`AdaLoRA targetR must be an integer in [0, initR = ${initR}], got ${targetR}`);
    this.r = initR;
    this.targetR = targetR;
    this.alpha = alpha;
    this.dropout = p;
    this.targetModules = [...targetModules];
    this.options = { tinit, tfinal, deltaT, beta1, beta2, orthRegWeight };
    const draw = (n: number) => (rng === null ? new Float32Array(n) : rng.truncatedNormal(n, 0.02));
    for (const { name, inSize, outSize } of matchTargets(bert, this.targetModules)) {
      const layer = { inSize, outSize, p: variableOf(draw(inSize * initR), [inSize, initR]), e: variableOf(new Float32Array(initR), [initR]), q: variableOf(draw(initR * outSize), [initR, outSize]), mask: tf.tidy(() => tf.variable(tf.ones([initR]), false)) };
      this.layers.set(name, layer);
      this.params.set(`${name}.lora_A`, layer.p);
      this.params.set(`${name}.lora_E`, layer.e);
      this.params.set(`${name}.lora_B`, layer.q);
    }
    this.budget = initR * this.layers.size;
  }

  /** Adapted module names in model order. */
  get modules(): string[] {
    return [...this.layers.keys()];
  }

  /** Kept triplets per module (the current ranks). */
  ranks(): Map<string, number> {
    return new Map([...this.layers].map(([name, l]) => [name, (l.mask.dataSync() as Float32Array).reduce((a, b) => a + b, 0)]));
  }

  readonly hooks: EncoderHooks = {
    linear: (name: string, x: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor1D, rng?: Rng): tf.Tensor => {
      const base = linear(x, weight, bias); // [..., out]
      const l = this.layers.get(name);
      if (l === undefined) return base;
      const down = tf.mul(linear(dropout(x, this.dropout, rng), l.p as tf.Tensor2D), tf.mul(l.e, l.mask)); // [..., r]: x·P·Λ
      return tf.add(base, tf.mul(linear(down, l.q as tf.Tensor2D), this.alpha / this.r)); // [..., out]
    },
  };

  /** R = mean over P and Q of ‖PᵀP − I‖_F, ‖QQᵀ − I‖_F (inside the caller's tidy). */
  orthogonalityPenalty(): tf.Scalar {
    const eye = tf.eye(this.r);
    const terms: tf.Scalar[] = [];
    for (const l of this.layers.values()) {
      terms.push(tf.norm(tf.sub(tf.matMul(l.p, l.p, true, false), eye)) as tf.Scalar); // PᵀP [r, r]
      terms.push(tf.norm(tf.sub(tf.matMul(l.q, l.q, false, true), eye)) as tf.Scalar); // QQᵀ [r, r]
    }
    return tf.div(tf.addN(terms), terms.length) as tf.Scalar;
  }

  /** Updates Ī and U from this step's gradients (eq. 8–10). */
  private updateImportance(grads: Readonly<Record<string, tf.Tensor>>): void {
    const { beta1, beta2 } = this.options;
    for (const [name, value] of this.params) {
      const g = grads[name];
      if (g === undefined) continue;
      const [s, u] = tf.tidy(() => {
        const ipt = tf.abs(tf.mul(value, g)); // I = |θ·∇θ|
        const old = this.sensitivity.get(name) ?? tf.zerosLike(ipt);
        const s = tf.add(tf.mul(old, beta1), tf.mul(ipt, 1 - beta1)); // Ī
        const u = tf.add(tf.mul(this.uncertainty.get(name) ?? tf.zerosLike(ipt), beta2), tf.mul(tf.abs(tf.sub(ipt, s)), 1 - beta2)); // U
        return [s, u];
      });
      this.sensitivity.get(name)?.dispose();
      this.uncertainty.get(name)?.dispose();
      this.sensitivity.set(name, s);
      this.uncertainty.set(name, u);
    }
  }

  /** Triplet scores S_i per module `[r]` (eq. 11); zeros before any importance was measured. */
  tripletScores(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const name of this.layers.keys()) {
      const score = (param: string) => {
        const s = this.sensitivity.get(`${name}.${param}`);
        const u = this.uncertainty.get(`${name}.${param}`);
        return s && u ? tf.mul(s, u) : undefined;
      };
      const values = tf.tidy(() => {
        const e = score("lora_E") ?? tf.zeros([this.r]); // [r]
        const p = score("lora_A"); // [in, r]: mean over the input
        const q = score("lora_B"); // [r, out]: mean over the output
        return tf.addN([e, p ? tf.mean(p, 0) : tf.zeros([this.r]), q ? tf.mean(q, 1) : tf.zeros([this.r])]).dataSync() as Float32Array;
      });
      out.set(name, Float32Array.from(values));
    }
    return out;
  }

  /** Keeps exactly the `budget` best triplets over all modules (ties by module order, then index); zeroes the rest's λ. */
  maskToBudget(budget: number): void {
    const scores = this.tripletScores();
    const all: { module: string; i: number; s: number; order: number }[] = [];
    let order = 0;
    for (const [module, values] of scores) for (let i = 0; i < values.length; i++) all.push({ module, i, s: values[i] as number, order: order++ });
    all.sort((a, b) => b.s - a.s || a.order - b.order);
    const keep = new Set(all.slice(0, budget).map((t) => `${t.module}#${t.i}`));
    for (const [name, l] of this.layers) {
      const mask = Float32Array.from({ length: this.r }, (_, i) => (keep.has(`${name}#${i}`) ? 1 : 0));
      tf.tidy(() => {
        const m = tf.tensor1d(mask);
        l.mask.assign(m);
        l.e.assign(tf.mul(l.e, m));
      });
    }
    this.budget = budget;
  }

  readonly training: TrainingHooks = {
    regularizer: () => tf.mul(this.orthogonalityPenalty(), this.options.orthRegWeight) as tf.Scalar,
    afterStep: (step: number, steps: number, grads: Readonly<Record<string, tf.Tensor>>) => {
      const tinit = this.options.tinit ?? Math.floor(0.1 * steps);
      const tfinal = this.options.tfinal ?? Math.floor(0.2 * steps);
      this.schedule = { totalStep: steps, tinit, tfinal };
      if (step <= steps - tfinal) this.updateImportance(grads);
      const { budget, mask } = adaloraBudget(step, steps, this.r * this.layers.size, this.targetR * this.layers.size, { tinit, tfinal, deltaT: this.options.deltaT });
      if (this.frozenMask) {
        for (const l of this.layers.values()) tf.tidy(() => l.e.assign(tf.mul(l.e, l.mask))); // keep pruned λ at zero
      } else if (mask) {
        this.maskToBudget(budget);
        if (step >= steps - tfinal) this.frozenMask = true;
      }
    },
  };

  /** Per module, whether each of its `r` triplets is kept. */
  private kept(): Map<string, boolean[]> {
    return new Map([...this.layers].map(([name, l]) => [name, Array.from(l.mask.dataSync(), (v) => v === 1)]));
  }

  configJson(): Record<string, unknown> {
    const rankPattern = Object.fromEntries([...this.kept()].map(([name, kept]) => [`${name}.lora_E`, kept]));
    // Before training: the schedule of the given steps, with total_step the smallest `peft` accepts (> tinit + tfinal).
    const tinit = this.schedule?.tinit ?? this.options.tinit ?? 0;
    const tfinal = this.schedule?.tfinal ?? this.options.tfinal ?? 0;
    const totalStep = this.schedule?.totalStep ?? tinit + tfinal + 1;
    // `r` is LoraConfig's default, which AdaLoRA ignores (peft warns when it is not 8); the rank is `init_r`.
    return { peft_type: "ADALORA", r: 8, init_r: this.r, target_r: this.targetR, lora_alpha: this.alpha, lora_dropout: this.dropout, target_modules: [...this.targetModules], tinit, tfinal, deltaT: this.options.deltaT, beta1: this.options.beta1, beta2: this.options.beta2, orth_reg_weight: this.options.orthRegWeight, total_step: totalStep, rank_pattern: rankPattern, bias: "none", fan_in_fan_out: false, init_lora_weights: true };
  }

  stateDict(): Map<string, SafetensorsInput> {
    const out = new Map<string, SafetensorsInput>();
    const kept = this.kept();
    for (const [name, l] of this.layers) {
      // Only the kept triplets, in order (peft's resize_state_dict_by_rank_pattern: A[idx], E[idx], B[:, idx]).
      const rows = (kept.get(name) as boolean[]).flatMap((k, i) => (k ? [i] : []));
      const idx = tf.tensor1d(rows, "int32");
      const [a, e, b] = tf.tidy(() => [tf.transpose(tf.gather(l.p, idx, 1)), tf.gather(tf.mul(l.e, l.mask), idx), tf.transpose(tf.gather(l.q, idx, 0))].map((t) => Float32Array.from(t.dataSync())));
      idx.dispose();
      const r = rows.length;
      out.set(`${TUNER_PREFIX}${name}.lora_A`, { dtype: "F32", shape: [r, l.inSize], data: a as Float32Array });
      out.set(`${TUNER_PREFIX}${name}.lora_B`, { dtype: "F32", shape: [l.outSize, r], data: b as Float32Array });
      out.set(`${TUNER_PREFIX}${name}.lora_E`, { dtype: "F32", shape: [r, 1], data: e as Float32Array });
    }
    return out;
  }

  /**
   * Rebuilds the adapter from `peft`'s files (kept triplets only, `rank_pattern` keyed `<module>.lora_E`) or our
   * older ones (full size, keyed by module); pruned triplets come back as zeros with their mask off.
   * @throws naming the file when a tensor is missing or its rows match neither the kept count nor `init_r`
   */
  static load(config: Record<string, unknown>, bert: BertConfig, tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, file: string): AdaLora {
    const r = Number(config["init_r"] ?? config["r"]);
    const method = new AdaLora(bert, { initR: r, targetR: Math.min(r, Number(config["target_r"] ?? r)), alpha: Number(config["lora_alpha"]), dropout: Number(config["lora_dropout"] ?? 0), targetModules: config["target_modules"] as string[] }, null);
    const pattern = (config["rank_pattern"] ?? {}) as Record<string, boolean[]>;
    try {
      tf.tidy(() => {
        for (const [name, l] of method.layers) {
          const kept = pattern[`${name}.lora_E`] ?? pattern[name] ?? new Array<boolean>(r).fill(true);
          if (kept.length !== r) throw new Error(`${file}: rank_pattern of ${name} has ${kept.length} entries but init_r is ${r}`);
          const rows = kept.flatMap((k, i) => (k ? [i] : []));
          // Saved rows: the kept ones (peft), or all r (our older files).
          const saved = tensors.get(`${TUNER_PREFIX}${name}.lora_E`)?.shape[0];
          const n = saved === r ? r : rows.length;
          const a = tf.tensor(transpose2d(savedTensor(tensors, `${TUNER_PREFIX}${name}.lora_A`, [n, l.inSize], file), n, l.inSize), [l.inSize, n]); // [in, n]
          const b = tf.tensor(transpose2d(savedTensor(tensors, `${TUNER_PREFIX}${name}.lora_B`, [l.outSize, n], file), l.outSize, n), [n, l.outSize]); // [n, out]
          const e = tf.tensor1d(savedTensor(tensors, `${TUNER_PREFIX}${name}.lora_E`, [n, 1], file)); // [n]
          const mask = tf.tensor1d(kept.map((k) => (k ? 1 : 0)));
          if (n === 0) {
            // Every triplet pruned: no update at all.
            for (const v of [l.p, l.q, l.e]) v.assign(tf.zerosLike(v));
          } else if (n === r) {
            l.p.assign(a);
            l.q.assign(b);
            l.e.assign(tf.mul(e, mask));
          } else {
            // Row i of the saved tensors is triplet rows[i]: scatter back to r (pruned: zero).
            const where = tf.tensor2d(rows, [rows.length, 1], "int32");
            l.p.assign(tf.transpose(tf.scatterND(where, tf.transpose(a), [r, l.inSize])));
            l.q.assign(tf.scatterND(where, b, [r, l.outSize]));
            l.e.assign(tf.scatterND(where, e, [r]));
          }
          l.mask.assign(mask);
        }
      });
    } catch (error) {
      method.dispose();
      throw error;
    }
    method.frozenMask = true;
    return method;
  }

  dispose(): void {
    tf.dispose([...this.sensitivity.values(), ...this.uncertainty.values(), ...[...this.layers.values()].map((l) => l.mask)]);
    this.sensitivity.clear();
    this.uncertainty.clear();
    disposeParams(this.params);
    this.layers.clear();
  }
}
