/**
 * Integrated Gradients (Sundararajan et al. 2017) on the input word embeddings of a sequence classifier.
 * For input embeddings `x` and a baseline `x'`, the attribution of token `t` to the logit `F_c` of class `c` is
 *   `IG_t = Σ_h (x_{t,h} − x'_{t,h}) · ∫₀¹ ∂F_c(x' + α(x − x')) / ∂x_{t,h} dα`.
 * The integral is the **trapezoid rule** on `steps` equal intervals (`steps + 1` gradient evaluations).
 * **Completeness** (the paper's Proposition 1): `Σ_t IG_t = F_c(x) − F_c(x')` exactly; the numerical integral misses
 * it by the completeness error, reported per example as a share of `|F_c(x) − F_c(x')|` — raise `steps` until it is
 * small (the paper: 20–300 steps, within 5%; the course's goal: ≤ 1%).
 * Baseline (Captum's BERT tutorial): the same `[CLS] … [SEP]` frame with every other token replaced by `[PAD]`;
 * position and segment embeddings are shared by input and baseline, so only the word embeddings are attributed.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../core/tidy-data";
import type { TaskModel } from "../tasks/heads";
import { logitsFromEmbeddings, wordEmbeddings } from "./embedding-forward";

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions {
  /** Class to explain (default: the predicted class). */
  target?: number;
  /** Trapezoid intervals (default 50). */
  steps?: number;
  /** Interpolation points per forward/backward pass (default 16; memory ∝ this · T · H). */
  internalBatchSize?: number;
  /** Baseline token ids, same length (default: `[PAD]` everywhere except special tokens, see the file header). */
  baselineIds?: readonly number[];
  /** Ids kept in the default baseline ([CLS], [SEP]). */
  keepIds?: readonly number[];
  /** The `[PAD]` id of the default baseline (default 0). */
  padId?: number;
}

/** One example's attributions. */
export interface Attribution {
  /** Per token, `IG_t` (same length as the input ids). */
  attributions: number[];
  target: number;
  /** `F_c(x)` and `F_c(x')`. */
  logit: number;
  baselineLogit: number;
  /** `|Σ_t IG_t − (F_c(x) − F_c(x'))| / |F_c(x) − F_c(x')|` (absolute when the difference is 0). */
  completenessError: number;
  steps: number;
}

/**
 * The default baseline of the file header: `[PAD]` everywhere except the first and last position and `keepIds`.
 */
export function defaultBaseline(inputIds: readonly number[], options: { padId?: number; keepIds?: readonly number[] } = {}): number[] {
  const { padId = 0, keepIds = [] } = options;
  const t = inputIds.length;
  return inputIds.map((id, i) => (i === 0 || i === t - 1 || keepIds.includes(id) ? id : padId));
}

/**
 * Integrated Gradients of one example (no tensors left behind).
 * @param inputIds one encoded text, `[CLS] … [SEP]`
 * @throws for a token-classification model, a bad target, or a baseline of another length
 */
export function integratedGradients(model: TaskModel, inputIds: readonly number[], options: IntegratedGradientsOptions = {}): Attribution {
  const { steps = 50, internalBatchSize = 16, padId = 0, keepIds = [] } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`integratedGradients: steps must be a positive integer, got ${steps}`);
  const t = inputIds.length;
  const baselineIds = options.baselineIds ?? defaultBaseline(inputIds, { padId, keepIds });
  if (baselineIds.length !== t) throw new Error(`integratedGradients: baseline has ${baselineIds.length} ids for ${t} input ids`);
  const ids = tf.tensor2d([inputIds as number[], baselineIds as number[]], [2, t], "int32");
  const [x, xb] = tf.tidy(() => tf.unstack(wordEmbeddings(model, ids)) as [tf.Tensor2D, tf.Tensor2D]); // [T, H] each
  ids.dispose();
  try {
    const ends = tidyData(() => logitsFromEmbeddings(model, tf.stack([x, xb]) as tf.Tensor3D)); // [2, C]
    const c = model.numLabels;
    const row = Array.from(ends.subarray(0, c));
    const target = options.target ?? row.indexOf(Math.max(...row));
    if (!Number.isInteger(target) || target < 0 || target >= c) throw new Error(`integratedGradients: target ${target} is not a class in [0, ${c})`);
    const logit = ends[target] as number;
    const baselineLogit = ends[c + target] as number;
    const delta = tf.sub(x, xb); // [T, H]
    let total: tf.Tensor = tf.zerosLike(x); // [T, H]: Σ_k w_k ∂F/∂x at α_k
    const targetLogit = (e: tf.Tensor) => logitsFromEmbeddings(model, e as tf.Tensor3D).slice([0, target], [-1, 1]).sum();
    const grad = tf.grad(targetLogit);
    for (let k0 = 0; k0 <= steps; k0 += internalBatchSize) {
      const ks = Array.from({ length: Math.min(internalBatchSize, steps + 1 - k0) }, (_, j) => k0 + j);
      const next = tf.tidy(() => {
        const alphas = tf.tensor1d(ks.map((k) => k / steps)).reshape([-1, 1, 1]); // [S, 1, 1]
        const weights = tf.tensor1d(ks.map((k) => (k === 0 || k === steps ? 0.5 : 1) / steps)).reshape([-1, 1, 1]); // trapezoid
        const points = tf.add(xb, tf.mul(alphas, delta)); // [S, T, H]
        return tf.add(total, tf.sum(tf.mul(grad(points), weights), 0)); // [T, H]
      });
      total.dispose();
      total = next;
    }
    const attributions = Array.from(tidyData(() => tf.sum(tf.mul(delta, total), -1))); // [T]
    delta.dispose();
    total.dispose();
    const sum = attributions.reduce((a, b) => a + b, 0);
    const diff = logit - baselineLogit;
    const completenessError = diff === 0 ? Math.abs(sum) : Math.abs(sum - diff) / Math.abs(diff);
    return { attributions, target, logit, baselineLogit, completenessError, steps };
  } finally {
    x.dispose();
    xb.dispose();
  }
}

/**
 * Integrated Gradients with enough steps: doubles `steps` (from `options.steps`, default 32) until the completeness
 * error is at most `tolerance` (default 0.01, the course's goal) or `maxSteps` (default 1024) is reached.
 * @returns the last attribution; check its `completenessError` (it may still exceed `tolerance` at `maxSteps`)
 */
export function integratedGradientsWithin(model: TaskModel, inputIds: readonly number[], options: IntegratedGradientsOptions & { tolerance?: number; maxSteps?: number } = {}): Attribution {
  const { tolerance = 0.01, maxSteps = 1024, steps = 32, ...rest } = options;
  let result = integratedGradients(model, inputIds, { ...rest, steps });
  while (result.completenessError > tolerance && result.steps * 2 <= maxSteps) result = integratedGradients(model, inputIds, { ...rest, target: result.target, steps: result.steps * 2 });
  return result;
}
