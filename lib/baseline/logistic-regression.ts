/**
 * Multinomial logistic (softmax) regression on sparse features, trained full-batch with L-BFGS — scikit-learn's
 * `LogisticRegression(solver="lbfgs")` for more than two classes. Plain TypeScript, no tensors.
 *
 *   logits[i] = x[i]·W + b                        W: [F features, K classes], b: [K]
 *   loss      = mean_i −log softmax(logits[i])[y[i]]  +  ‖W‖² / (2·C·n)     (the bias is not penalised)
 *
 * which is scikit-learn's objective (C·Σ loss + ½‖W‖²) divided by C·n. The problem is convex and starts from W = 0,
 * so training has no randomness: the same data gives the same weights, bit for bit, and no `Rng` is needed.
 */
import { minimizeLbfgs } from "./lbfgs";
import type { LbfgsOptions } from "./lbfgs";
import type { SparseMatrix } from "./sparse";

/** Options of {@link LogisticRegression}. */
export interface LogisticRegressionOptions extends LbfgsOptions {
  /** Inverse L2 strength, scikit-learn's `C`: smaller = stronger regularisation = smaller weights. Default 1. */
  C?: number;
  /** Number of classes; default the largest label in `fit` + 1. */
  numClasses?: number;
}

/** Softmax regression: `fit(X, y)`, then `predictProba(X)` / `predict(X)`. */
export class LogisticRegression {
  readonly options: LogisticRegressionOptions;
  /** Weights, row-major `[numFeatures, numClasses]`: feature j's class scores are `weights[j*K .. j*K+K)`. */
  weights = new Float64Array(0);
  /** Biases, one per class. */
  bias = new Float64Array(0);
  numFeatures = 0;
  numClasses = 0;
  /** From the last `fit`: iterations, whether L-BFGS converged, and the loss per iteration. */
  trainInfo: { iterations: number; converged: boolean; losses: number[] } | null = null;

  constructor(options: LogisticRegressionOptions = {}) {
    this.options = options;
  }

  /**
   * Fits weights and biases to `X` (one row per example) and labels `y`.
   * @returns this
   * @throws Error on a row/label count mismatch, a label outside `[0, numClasses)`, or C ≤ 0
   */
  fit(X: SparseMatrix, y: readonly number[]): this {
    const { C = 1, numClasses, ...lbfgs } = this.options;
    if (X.numRows !== y.length) throw new Error(`LogisticRegression.fit: ${X.numRows} rows but ${y.length} labels; pass one label per row.`);
    if (X.numRows === 0) throw new Error("LogisticRegression.fit: no examples.");
    if (!(C > 0)) throw new Error(`LogisticRegression.fit: C must be > 0, got ${C}.`);
    let largest = 0;
    for (const label of y) largest = Math.max(largest, label);
    const K = numClasses ?? largest + 1;
    y.forEach((label, i) => {
      if (!Number.isInteger(label) || label < 0 || label >= K) throw new Error(`LogisticRegression.fit: y[${i}] = ${label} is not a class in [0, ${K}); set numClasses.`);
    });
    const F = X.numColumns;
    const n = X.numRows;
    const lambda = 1 / (C * n);
    const z = new Float64Array(K);
    // params = [W (F·K) | b (K)]
    const objective = (params: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      const bOffset = F * K;
      for (let i = 0; i < n; i++) {
        const from = X.indptr[i]!;
        const to = X.indptr[i + 1]!;
        for (let c = 0; c < K; c++) z[c] = params[bOffset + c]!;
        for (let k = from; k < to; k++) {
          const base = X.indices[k]! * K;
          const v = X.values[k]!;
          for (let c = 0; c < K; c++) z[c]! += v * params[base + c]!;
        }
        let max = -Infinity;
        for (let c = 0; c < K; c++) max = Math.max(max, z[c]!);
        let sum = 0;
        for (let c = 0; c < K; c++) sum += Math.exp(z[c]! - max);
        const logSumExp = max + Math.log(sum);
        const label = y[i]!;
        loss += logSumExp - z[label]!;
        // d loss / d logits = softmax − one-hot, reused in z
        for (let c = 0; c < K; c++) z[c] = Math.exp(z[c]! - logSumExp) - (c === label ? 1 : 0);
        for (let k = from; k < to; k++) {
          const base = X.indices[k]! * K;
          const v = X.values[k]!;
          for (let c = 0; c < K; c++) grad[base + c]! += v * z[c]!;
        }
        for (let c = 0; c < K; c++) grad[bOffset + c]! += z[c]!;
      }
      let penalty = 0;
      for (let p = 0; p < grad.length; p++) {
        grad[p]! /= n;
        if (p < bOffset) {
          const w = params[p]!;
          penalty += w * w;
          grad[p]! += lambda * w;
        }
      }
      return loss / n + 0.5 * lambda * penalty;
    };
    const result = minimizeLbfgs(objective, new Float64Array(F * K + K), lbfgs);
    this.numFeatures = F;
    this.numClasses = K;
    this.weights = result.x.slice(0, F * K);
    this.bias = result.x.slice(F * K);
    this.trainInfo = { iterations: result.iterations, converged: result.converged, losses: result.losses };
    return this;
  }

  /**
   * Logits `x·W + b` per row.
   * @throws Error before `fit`, or when `X` has a different number of columns
   */
  decisionFunction(X: SparseMatrix): number[][] {
    const K = this.numClasses;
    if (K === 0) throw new Error("LogisticRegression: call fit(X, y) first.");
    if (X.numColumns !== this.numFeatures) throw new Error(`LogisticRegression: X has ${X.numColumns} columns, the model ${this.numFeatures}; transform with the same vectorizer.`);
    const out: number[][] = [];
    for (let i = 0; i < X.numRows; i++) {
      const z = Array.from(this.bias);
      for (let k = X.indptr[i]!; k < X.indptr[i + 1]!; k++) {
        const base = X.indices[k]! * K;
        const v = X.values[k]!;
        for (let c = 0; c < K; c++) z[c]! += v * this.weights[base + c]!;
      }
      out.push(z);
    }
    return out;
  }

  /** Class probabilities per row (softmax of the logits); each row sums to 1. */
  predictProba(X: SparseMatrix): number[][] {
    return this.decisionFunction(X).map((z) => {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      return e.map((v) => v / sum);
    });
  }

  /** The most probable class per row (ties go to the lower class index, as `argmax`). */
  predict(X: SparseMatrix): number[] {
    return this.decisionFunction(X).map((z) => z.reduce((best, v, c) => (v > z[best]! ? c : best), 0));
  }
}
