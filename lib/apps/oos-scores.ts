/**
 * Confidence scores for out-of-scope detection (higher = more in-scope), from one forward pass of a sequence
 * classifier:
 * - **max softmax probability** (MSP; Hendrycks & Gimpel 2017): `max_c softmax(z)_c`;
 * - **temperature-scaled MSP** (Guo et al. 2017): `max_c softmax(z / T)_c`, `T` fitted on in-scope validation by NLL
 *   (lib/eval `fitTemperature`). One `T` for every query keeps the ranking of most pairs, but not all: it reweighs
 *   the runner-up logits, so AUROC can move;
 * - **Mahalanobis distance** (Lee et al. 2018, §2): class-conditional Gaussians with one shared covariance fitted on
 *   the training set's penultimate features (the pooled [CLS] vector the classifier reads); the score is
 *   `−min_c (x − μ_c)ᵀ Σ⁻¹ (x − μ_c)`. (Lee et al. also add input perturbation and several layers; we use the plain
 *   last-layer score.) Σ gets a small ridge (`shrinkage · tr(Σ)/H · I`) so it inverts when features are collinear.
 * Shape legend: `N` queries, `B` batch, `T` sequence, `H` hidden, `C` intents.
 */
import * as tf from "@tensorflow/tfjs";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { batchTensors, lengthSortedBatches, padBatch, type EncodedExample } from "../tasks/batching";
import type { TaskModel } from "../tasks/heads";

/** Logits `[N][C]` and pooled [CLS] features `[N][H]` of each example, in order. */
export interface IntentForward {
  logits: number[][];
  features: number[][];
}

/**
 * One evaluation-mode forward pass over `examples` in length-sorted batches; plain arrays out, no tensors left.
 * @param padId the tokenizer's `[PAD]` id
 */
export function intentForward(model: TaskModel, examples: readonly EncodedExample[], padId: number, options: { batchSize?: number } = {}): IntentForward {
  const { batchSize = 64 } = options;
  if (model.kind !== "sequence") throw new Error("intentForward: needs a sequence-classification model");
  const c = model.numLabels;
  const h = model.bert.config.hiddenSize;
  const logits = new Array<number[]>(examples.length);
  const features = new Array<number[]>(examples.length);
  for (const indices of lengthSortedBatches(examples, batchSize)) {
    const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
    const [z, f] = tf.tidy(() => {
      const inputs = batchTensors(batch);
      const pooled = model.bert.pool(model.bert.encode(inputs).hidden); // [B, H]: what the classifier reads
      return [model.logits(inputs), pooled]; // [B, C], [B, H]
    });
    const zData = z.dataSync();
    const fData = f.dataSync();
    tf.dispose([z, f]);
    indices.forEach((index, row) => {
      logits[index] = Array.from(zData.subarray(row * c, (row + 1) * c));
      features[index] = Array.from(fData.subarray(row * h, (row + 1) * h));
    });
  }
  return { logits, features };
}

/** `max_c softmax(z / T)_c` per row: the (temperature-scaled) max softmax probability. */
export function maxSoftmax(logits: readonly (readonly number[])[], temperature = 1): number[] {
  if (!(temperature > 0)) throw new Error(`maxSoftmax: temperature must be > 0, got ${temperature}`);
  return logits.map((z) => {
    const max = Math.max(...z);
    let sum = 0;
    for (const v of z) sum += Math.exp((v - max) / temperature);
    return 1 / sum; // the top class's term is exp(0) = 1
  });
}

/** A fitted Mahalanobis scorer (see the file comment). */
export interface MahalanobisScorer {
  /** `−min_c d²_c` per row of `features` `[N][H]`. */
  score(features: readonly (readonly number[])[]): number[];
  /** Class means `[C][H]`. */
  means: number[][];
}

/**
 * Fits class means and the shared covariance on training features (Lee et al. 2018, eq. 1).
 * @param features `[N][H]` training features; @param labels `[N]` classes in `[0, numClasses)`
 * @param options shrinkage: ridge as a share of the mean variance (default 1e-3)
 * @throws when a class has no example or the lengths differ
 */
export function fitMahalanobis(features: readonly (readonly number[])[], labels: readonly number[], numClasses: number, options: { shrinkage?: number } = {}): MahalanobisScorer {
  const { shrinkage = 1e-3 } = options;
  if (features.length !== labels.length) throw new Error(`fitMahalanobis: ${features.length} feature rows but ${labels.length} labels`);
  const h = features[0]?.length ?? 0;
  const sums = Array.from({ length: numClasses }, () => new Float64Array(h));
  const counts = new Array<number>(numClasses).fill(0);
  features.forEach((x, i) => {
    const y = labels[i] as number;
    counts[y] = (counts[y] as number) + 1;
    const s = sums[y] as Float64Array;
    for (let k = 0; k < h; k++) s[k] = (s[k] as number) + (x[k] as number);
  });
  counts.forEach((n, y) => {
    if (n === 0) throw new Error(`fitMahalanobis: class ${y} has no training example; every class needs a mean`);
  });
  const means = sums.map((s, y) => Array.from(s, (v) => v / (counts[y] as number)));
  const centred = new Matrix(features.map((x, i) => x.map((v, k) => v - ((means[labels[i] as number] as number[])[k] as number)))); // [N, H]
  const cov = centred.transpose().mmul(centred).div(features.length); // [H, H], shared Σ
  const ridge = (shrinkage * cov.trace()) / h;
  for (let k = 0; k < h; k++) cov.set(k, k, cov.get(k, k) + ridge);
  const chol = new CholeskyDecomposition(cov);
  if (!chol.isPositiveDefinite()) throw new Error("fitMahalanobis: the covariance is not positive definite; raise options.shrinkage");
  const precision = chol.solve(Matrix.eye(h)); // Σ⁻¹ [H, H]
  const mu = new Matrix(means); // [C, H]
  const muP = mu.mmul(precision); // [C, H]
  const muPmu = means.map((m, c) => m.reduce((a, v, k) => a + v * muP.get(c, k), 0)); // μ_cᵀ Σ⁻¹ μ_c
  return {
    means,
    score(rows) {
      if (rows.length === 0) return [];
      const x = new Matrix(rows.map((r) => [...r])); // [N, H]
      const xP = x.mmul(precision); // [N, H]
      const cross = xP.mmul(mu.transpose()); // [N, C]: xᵀ Σ⁻¹ μ_c
      return rows.map((r, i) => {
        const xPx = r.reduce((a, v, k) => a + v * xP.get(i, k), 0);
        let best = Infinity;
        for (let c = 0; c < means.length; c++) best = Math.min(best, xPx - 2 * cross.get(i, c) + (muPmu[c] as number));
        return -best;
      });
    },
  };
}
