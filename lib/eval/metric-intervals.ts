/**
 * Bootstrap intervals (percentile, see `bootstrap.ts`) for the scores the course reports: accuracy and macro-F1
 * of a classifier (resampling texts), entity precision/recall/F1 of a tagger (resampling **sentences**, the unit the
 * test set was drawn in). Each resample is scored by the same code as the point estimate (`lib/metrics`), so zero
 * division and averaging follow scikit-learn / conlleval exactly.
 */
import { classificationReport, entityScores, type EntityMode, type TagScheme } from "../metrics";
import { bootstrapInterval, bootstrapSettings, quantile, resampleIndices, type BootstrapOptions, type Interval } from "./bootstrap";

function pick<T>(values: readonly T[], indices: Int32Array): T[] {
  const out: T[] = new Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i] as number] as T;
  return out;
}

function checkPair(fn: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new Error(`${fn}: ${a.length} predictions but ${b.length} labels; pass one prediction per label`);
}

/** Accuracy with its percentile bootstrap interval (texts resampled). */
export function accuracyInterval(predictions: readonly number[], labels: readonly number[], options: BootstrapOptions = {}): Interval {
  checkPair("accuracyInterval", predictions, labels);
  const correct = predictions.map((p, i) => (p === labels[i] ? 1 : 0));
  return bootstrapInterval(labels.length, (idx) => {
    let s = 0;
    for (const i of idx) s += correct[i] as number;
    return s / idx.length;
  }, options);
}

/**
 * Accuracy's percentile bootstrap interval from the number of correct examples alone: resampling `n` examples of
 * which `correct` are right has the same distribution as `accuracyInterval` on any predictions with that count (only
 * the count matters; for one seed the two differ by Monte Carlo noise, a few thousandths at 1000 resamples), so a
 * table that reports an accuracy and its test size can carry the interval too.
 * @throws when `correct` is not an integer in `[0, n]` or `n` < 1
 */
export function accuracyIntervalFromCount(correct: number, n: number, options: BootstrapOptions = {}): Interval {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(correct) || correct < 0 || correct > n) throw new Error(`accuracyIntervalFromCount: ${correct} correct of ${n} examples; give integer counts with 0 ≤ correct ≤ n`);
  const labels = new Array<number>(n).fill(1);
  return accuracyInterval(labels.map((_, i) => (i < correct ? 1 : 0)), labels, options);
}

/**
 * Macro-F1 (mean of per-class F1 over all `numClasses` classes, scikit-learn's zero division) with its interval.
 * A class missing from a resample scores 0 there, as it would on such a test set.
 */
export function macroF1Interval(predictions: readonly number[], labels: readonly number[], numClasses: number, options: BootstrapOptions = {}): Interval {
  checkPair("macroF1Interval", predictions, labels);
  return bootstrapInterval(labels.length, (idx) => classificationReport(pick(predictions, idx), pick(labels, idx), { numClasses }).macro.f1, options);
}

/** Entity-level scores with intervals: `precision`, `recall`, `f1` (micro over entities, conlleval's overall line). */
export interface EntityIntervals {
  precision: Interval;
  recall: Interval;
  f1: Interval;
}

/**
 * Entity precision, recall and F1 with intervals, resampling sentences. Each sentence's counts (correct, predicted,
 * gold entities) are computed once by `entityScores`; a resample sums them (the micro average is a ratio of sums).
 * The three intervals come from the same resamples.
 * @param gold one tag array per sentence
 * @param predicted one tag array per sentence, same lengths
 */
export function entityF1Interval(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[], scoring: { scheme: TagScheme; mode?: EntityMode }, options: BootstrapOptions = {}): EntityIntervals {
  checkPair("entityF1Interval", predicted, gold);
  const n = gold.length;
  const { rng, samples, confidence } = bootstrapSettings("entityF1Interval", n, options);
  const counts = gold.map((g, i) => entityScores([g], [predicted[i] as string[]], scoring).overall);
  const score = (idx: Int32Array | null): [number, number, number] => {
    let correct = 0;
    let guessed = 0;
    let support = 0;
    for (let k = 0; k < n; k++) {
      const c = counts[idx === null ? k : (idx[k] as number)]!;
      correct += c.correct;
      guessed += c.predicted;
      support += c.support;
    }
    const p = guessed === 0 ? 0 : correct / guessed;
    const r = support === 0 ? 0 : correct / support;
    return [p, r, p + r === 0 ? 0 : (2 * p * r) / (p + r)];
  };
  const point = score(null);
  const draws: [number[], number[], number[]] = [[], [], []];
  for (let s = 0; s < samples; s++) {
    const v = score(resampleIndices(n, rng));
    for (let j = 0; j < 3; j++) draws[j]!.push(v[j]!);
  }
  const alpha = (1 - confidence) / 2;
  const interval = (j: number): Interval => ({ value: point[j]!, low: quantile(draws[j]!, alpha), high: quantile(draws[j]!, 1 - alpha), confidence, samples, method: "percentile" });
  return { precision: interval(0), recall: interval(1), f1: interval(2) };
}

/** What metrics.json stores under `testIntervals` for a classification task. */
export interface ClassificationIntervals {
  accuracy: Interval;
  macroF1: Interval;
}

/** Accuracy and macro-F1 intervals from one call (two independent resampling streams of one seed). */
export function classificationIntervals(predictions: readonly number[], labels: readonly number[], numClasses: number, options: BootstrapOptions = {}): ClassificationIntervals {
  const { seed = 0 } = options;
  return {
    accuracy: accuracyInterval(predictions, labels, { ...options, seed }),
    macroF1: macroF1Interval(predictions, labels, numClasses, { ...options, seed: seed + 1 }),
  };
}
