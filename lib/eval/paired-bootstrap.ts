/**
 * The paired bootstrap test (Koehn 2004; Berg-Kirkpatrick et al. 2012): resample the test set, score **both**
 * models on the same resample, and look at the difference `δ = score(B) − score(A)`. The percentile interval of δ
 * says how large the improvement plausibly is; `pValue` is the share of resamples where B is not better than A
 * (δ ≤ 0) — Koehn's one-sided test of "B beats A", valid when the observed δ > 0.
 */
import { entityScores, type EntityMode, type TagScheme } from "../metrics";
import { bootstrapSettings, quantile, resampleIndices, type BootstrapOptions, type Interval } from "./bootstrap";

/** The result of {@link pairedBootstrap}. */
export interface PairedBootstrapResult {
  /** Score of A and of B on the whole test set. */
  scoreA: number;
  scoreB: number;
  /** `B − A` on the whole set, with its percentile interval. */
  difference: Interval;
  /** Share of resamples with `δ ≤ 0` (small = B is reliably better). */
  pValue: number;
}

/**
 * Paired bootstrap of any score.
 * @param n number of test examples (or sentences)
 * @param score the score of one model on a resample: `score(model, indices)`, `model` 0 for A and 1 for B
 */
export function pairedBootstrap(n: number, score: (model: 0 | 1, indices: Int32Array) => number, options: BootstrapOptions = {}): PairedBootstrapResult {
  const { rng, samples, confidence } = bootstrapSettings("pairedBootstrap", n, options);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const scoreA = score(0, all);
  const scoreB = score(1, all);
  const deltas: number[] = [];
  let notBetter = 0;
  for (let s = 0; s < samples; s++) {
    const idx = resampleIndices(n, rng);
    const d = score(1, idx) - score(0, idx);
    deltas.push(d);
    if (d <= 0) notBetter++;
  }
  const alpha = (1 - confidence) / 2;
  return {
    scoreA,
    scoreB,
    difference: { value: scoreB - scoreA, low: quantile(deltas, alpha), high: quantile(deltas, 1 - alpha), confidence, samples, method: "percentile" },
    pValue: notBetter / samples,
  };
}

/** Paired bootstrap of accuracy for two models' predictions on the same labels. */
export function pairedBootstrapAccuracy(a: readonly number[], b: readonly number[], labels: readonly number[], options: BootstrapOptions = {}): PairedBootstrapResult {
  if (a.length !== labels.length || b.length !== labels.length) throw new Error(`pairedBootstrapAccuracy: ${a.length} and ${b.length} predictions for ${labels.length} labels; score both models on the same test set`);
  const right = [a, b].map((p) => p.map((v, i) => (v === labels[i] ? 1 : 0)));
  return pairedBootstrap(labels.length, (m, idx) => {
    const r = right[m] as number[];
    let s = 0;
    for (const i of idx) s += r[i] as number;
    return s / idx.length;
  }, options);
}

/**
 * Paired bootstrap of entity F1 for two taggers on the same sentences: **sentences** are resampled (the unit the
 * test set was drawn in), and each resample's F1 is micro-averaged from per-sentence counts scored by
 * `entityScores` (conlleval's rules), as in `entityF1Interval`.
 * @param gold gold tags per sentence; `a`, `b` each model's predicted tags per sentence
 * @throws when the three lists differ in length or are empty
 */
export function pairedBootstrapEntityF1(gold: readonly (readonly string[])[], a: readonly (readonly string[])[], b: readonly (readonly string[])[], scoring: { scheme: TagScheme; mode?: EntityMode }, options: BootstrapOptions = {}): PairedBootstrapResult {
  if (a.length !== gold.length || b.length !== gold.length) throw new Error(`pairedBootstrapEntityF1: ${a.length} and ${b.length} predicted sentences for ${gold.length} gold ones; tag the same test set with both models`);
  const counts = [a, b].map((predicted) => gold.map((g, i) => entityScores([g], [predicted[i] as string[]], scoring).overall));
  return pairedBootstrap(gold.length, (model, indices) => {
    let [correct, guessed, support] = [0, 0, 0];
    for (const i of indices) {
      const c = counts[model]![i]!;
      correct += c.correct;
      guessed += c.predicted;
      support += c.support;
    }
    const precision = guessed === 0 ? 0 : correct / guessed;
    const recall = support === 0 ? 0 : correct / support;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }, options);
}
