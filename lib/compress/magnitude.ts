/**
 * Unstructured magnitude pruning (Han et al. 2015, "Learning both Weights and Connections"; global variant as
 * in Frankle & Carbin 2019 and Gordon et al. 2020 for BERT): rank every weight of the encoder's Linear layers by
 * |w| across ALL of them at once, and zero the smallest `sparsity` share. The masks are kept, so fine-tuning can
 * go on with the same zeros (`applyMasks()` after each optimizer step: AdamW would otherwise regrow them).
 * Embeddings, biases, LayerNorms, the pooler and the classifier are not pruned (the usual BERT setting).
 * Dense kernels multiply by zeros as fast as by anything else: this saves bytes only in a sparse format, and
 * time only with sparse kernels.
 */
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../nn/params";

/** The default set: rank-2 `*.weight`s inside `bert.encoder.layer.N.` (Q, K, V, attention output, FFN in/out). */
export function isEncoderLinearWeight(name: string, shape: readonly number[]): boolean {
  return shape.length === 2 && /^bert\.encoder\.layer\.\d+\..*\.weight$/.test(name);
}

/** What `pruneMagnitude` did; owns the masks (`dispose()`). */
export interface PruneReport {
  /** Share of the pruned set that is zero now (= the requested sparsity, up to rounding to whole weights). */
  sparsity: number;
  /** Largest |w| that was pruned (0 when nothing was). */
  threshold: number;
  /** Weights zeroed, and weights in the pruned set. */
  pruned: number;
  total: number;
  /** Per parameter: its share of zeros (layers differ: global ranking prunes small-weight layers harder). */
  perParameter: { name: string; sparsity: number }[];
  /** 0/1 masks, one per pruned parameter, shaped like it. */
  masks: Map<string, tf.Tensor>;
  /** Re-zeroes the pruned weights (call after each optimizer step when fine-tuning on). */
  applyMasks(): void;
  /** Frees the masks. */
  dispose(): void;
}

/**
 * Zeroes the `sparsity` share of smallest-magnitude weights among `model.params` that `include` selects,
 * ranked globally (one threshold for all). Ties at the threshold are broken in parameter order, so exactly
 * `round(sparsity · total)` weights are zeroed. Modifies the variables in place; reads them synchronously.
 * @param sparsity in [0, 1]
 * @returns the report, which owns the masks (caller disposes them with `report.dispose()`)
 */
export function pruneMagnitude(model: { params: Params }, sparsity: number, options: { include?: (name: string, shape: readonly number[]) => boolean } = {}): PruneReport {
  const { include = isEncoderLinearWeight } = options;
  if (!(sparsity >= 0 && sparsity <= 1)) throw new Error(`pruneMagnitude: sparsity must be in [0, 1], got ${sparsity}`);
  const selected = [...model.params].filter(([name, v]) => include(name, v.shape));
  if (selected.length === 0) throw new Error(`pruneMagnitude: no parameter matched (have: ${[...model.params.keys()].slice(0, 5).join(", ")}, …); pass options.include`);
  const values = selected.map(([, v]) => v.dataSync() as Float32Array);
  const total = values.reduce((n, d) => n + d.length, 0);
  const k = Math.round(sparsity * total);
  // The k-th smallest |w| is the threshold: everything below goes, and ties at it until k are reached.
  const magnitudes = new Float32Array(total);
  let at = 0;
  for (const d of values) for (let i = 0; i < d.length; i++) magnitudes[at++] = Math.abs(d[i] as number);
  magnitudes.sort();
  const threshold = k > 0 ? (magnitudes[k - 1] as number) : -1;
  let below = 0;
  for (let i = 0; i < k; i++) if ((magnitudes[i] as number) < threshold) below++;
  let ties = k - below;

  const masks = new Map<string, tf.Tensor>();
  const perParameter: PruneReport["perParameter"] = [];
  let pruned = 0;
  selected.forEach(([name, variable], n) => {
    const data = values[n] as Float32Array;
    const mask = new Float32Array(data.length);
    let zeros = 0;
    for (let i = 0; i < data.length; i++) {
      const m = Math.abs(data[i] as number);
      const prune = m < threshold || (m === threshold && ties > 0 && ties-- > 0);
      mask[i] = prune ? 0 : 1;
      if (prune) zeros++;
    }
    const maskTensor = tf.tensor(mask, variable.shape);
    masks.set(name, maskTensor);
    tf.tidy(() => variable.assign(tf.mul(variable, maskTensor)));
    perParameter.push({ name, sparsity: zeros / data.length });
    pruned += zeros;
  });
  return {
    sparsity: pruned / total,
    threshold: Math.max(threshold, 0),
    pruned,
    total,
    perParameter,
    masks,
    applyMasks(): void {
      for (const [name, mask] of masks) {
        const variable = model.params.get(name);
        if (variable === undefined) throw new Error(`applyMasks: parameter ${name} is gone (was the model disposed?)`);
        tf.tidy(() => variable.assign(tf.mul(variable, mask)));
      }
    },
    dispose(): void {
      tf.dispose([...masks.values()]);
      masks.clear();
    },
  };
}

/** Share of exact zeros among the parameters `include` selects (default: the encoder's Linear weights). */
export function weightSparsity(params: Params, include: (name: string, shape: readonly number[]) => boolean = isEncoderLinearWeight): number {
  let zeros = 0;
  let total = 0;
  for (const [name, v] of params) {
    if (!include(name, v.shape)) continue;
    const d = v.dataSync();
    total += d.length;
    for (let i = 0; i < d.length; i++) if (d[i] === 0) zeros++;
  }
  if (total === 0) throw new Error("weightSparsity: no parameter matched");
  return zeros / total;
}
