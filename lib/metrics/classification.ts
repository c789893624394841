/**
 * Single-label classification metrics on plain arrays: accuracy, per-class precision/recall/F1 with macro, micro and
 * weighted averages, and the confusion matrix. Definitions follow scikit-learn (`precision_recall_fscore_support`,
 * `classification_report`, `confusion_matrix`).
 *
 * Zero division (scikit-learn's default `zero_division="warn"`, which returns 0): a class never predicted has
 * precision 0, a class with no true examples has recall 0, and F1 is 0 when precision + recall is 0. No warning is
 * raised or returned; `support` and `predicted` counts tell you when it happened.
 */
import { printfFixed } from "./format";

/** Throws unless the two arrays are non-empty and of one length; `fn` names the caller in the message. */
function checkPair(fn: string, predictions: readonly number[], labels: readonly number[]): void {
  if (predictions.length !== labels.length) {
    throw new Error(`${fn}: ${predictions.length} predictions but ${labels.length} labels; pass one prediction per label.`);
  }
  if (labels.length === 0) throw new Error(`${fn}: no examples (empty arrays); accuracy of nothing is undefined.`);
}

/** Throws unless every value is an integer class index in `[0, numClasses)`. */
function checkClasses(fn: string, values: readonly number[], what: string, numClasses: number): void {
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new Error(`${fn}: ${what}[${i}] = ${v} is not a class index in [0, ${numClasses}); pass numClasses (or labelNames) covering it.`);
    }
  });
}

/**
 * Fraction of positions where the prediction equals the label: `#(predictions[i] === labels[i]) / labels.length`.
 * @throws Error when the lengths differ or the arrays are empty
 */
export function accuracy(predictions: readonly number[], labels: readonly number[]): number {
  checkPair("accuracy", predictions, labels);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/**
 * The confusion matrix `m[t][p]`: how many examples of true class `t` were predicted as `p` (rows = true label,
 * columns = predicted, as scikit-learn's `confusion_matrix`).
 * @throws Error on a length mismatch, empty arrays, or a value outside `[0, numClasses)`
 */
export function confusionMatrix(predictions: readonly number[], labels: readonly number[], numClasses: number): number[][] {
  checkPair("confusionMatrix", predictions, labels);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}.`);
  checkClasses("confusionMatrix", labels, "labels", numClasses);
  checkClasses("confusionMatrix", predictions, "predictions", numClasses);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) (m[labels[i]!] as number[])[predictions[i]!]!++;
  return m;
}

/** Precision, recall and F1 of one class, with its support (number of true examples). */
export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Precision, recall and F1 averaged over classes. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Everything `classification_report` prints, as numbers. `macro` is the unweighted mean of the per-class scores
 * (macro-F1 is the mean of per-class F1, not the F1 of macro precision and recall); `micro` pools the counts (for
 * single-label data over all classes it equals accuracy); `weighted` weights each class by its support.
 */
export interface ClassificationReport {
  perClass: ClassScores[];
  macro: AveragedScores;
  micro: AveragedScores;
  weighted: AveragedScores;
  accuracy: number;
  /** Number of examples. */
  support: number;
  /** Classes in neither the labels nor the predictions (scikit-learn then prints a "micro avg" row, not "accuracy"). */
  absent: string[];
}

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** Class names, `labelNames[c]` for class `c`; its length sets the number of classes. Default "0", "1", ... */
  labelNames?: readonly string[];
  /** Number of classes; default `labelNames.length`, else the largest index seen + 1. */
  numClasses?: number;
}

/** `a / b`, or 0 when `b` is 0 (scikit-learn's default zero-division value). */
const safeDivide = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Per-class and averaged precision, recall and F1. Every class `0 .. numClasses-1` is reported and averaged,
 * including a class absent from both arrays (its scores are 0) — scikit-learn with `labels=range(numClasses)`.
 * (scikit-learn without `labels` averages only over classes that occur; that differs only when one never occurs.)
 * @throws Error on a length mismatch, empty arrays, a value outside `[0, numClasses)`, or labelNames shorter than numClasses
 */
export function classificationReport(
  predictions: readonly number[],
  labels: readonly number[],
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const { labelNames } = options;
  checkPair("classificationReport", predictions, labels);
  let largest = 0; // a loop, not Math.max(...labels): spreading 100k+ values overflows the call stack
  for (const v of labels) largest = Math.max(largest, v);
  for (const v of predictions) largest = Math.max(largest, v);
  const numClasses = options.numClasses ?? labelNames?.length ?? largest + 1;
  if (labelNames !== undefined && labelNames.length < numClasses) {
    throw new Error(`classificationReport: ${labelNames.length} labelNames for ${numClasses} classes; give one name per class.`);
  }
  const m = confusionMatrix(predictions, labels, numClasses);
  const n = labels.length;
  const perClass: ClassScores[] = [];
  let tpSum = 0;
  const absent: string[] = [];
  for (let c = 0; c < numClasses; c++) {
    const tp = m[c]![c]!;
    const support = m[c]!.reduce((s, v) => s + v, 0); // tp + fn
    const predicted = m.reduce((s, row) => s + row[c]!, 0); // tp + fp
    const precision = safeDivide(tp, predicted);
    const recall = safeDivide(tp, support);
    tpSum += tp;
    if (support === 0 && predicted === 0) absent.push(labelNames?.[c] ?? String(c));
    perClass.push({ label: labelNames?.[c] ?? String(c), precision, recall, f1: safeDivide(2 * precision * recall, precision + recall), support });
  }
  const mean = (key: keyof AveragedScores, weight: (s: ClassScores) => number): number =>
    perClass.reduce((s, c) => s + weight(c) * c[key], 0) / perClass.reduce((s, c) => s + weight(c), 0);
  const average = (weight: (s: ClassScores) => number): AveragedScores => ({
    precision: mean("precision", weight),
    recall: mean("recall", weight),
    f1: mean("f1", weight),
  });
  // Pooled over all classes: every example is one prediction and one label, so tp/(tp+fp) = tp/(tp+fn) = tp/n.
  const micro = tpSum / n;
  return {
    perClass,
    macro: average(() => 1),
    micro: { precision: micro, recall: micro, f1: micro },
    weighted: average((c) => c.support),
    accuracy: micro,
    support: n,
    absent,
  };
}

/**
 * The report as text in scikit-learn's `classification_report` layout (`digits` decimals, default 2), character for
 * character: sklearn's `"{:>{width}s} " + " {:>9}" * 4` rows, so each column is TWO spaces after the name column
 * (checked against sklearn's own text in tests/metrics/sklearn-parity.test.ts).
 */
export function formatClassificationReport(report: ClassificationReport, options: { digits?: number } = {}): string {
  const { digits = 2 } = options;
  const width = Math.max(12, digits, ...report.perClass.map((c) => c.label.length)); // 12 = "weighted avg"
  const column = (text: string): string => ` ${text.padStart(9)}`;
  const f = (x: number): string => column(printfFixed(x, digits)); // Python rounds exact ties to even, so do we
  const line = (name: string, ...columns: string[]): string => `${name.padStart(width)} ${columns.join("")}`;
  const row = (name: string, s: AveragedScores, support: number): string => line(name, f(s.precision), f(s.recall), f(s.f1), column(String(support)));
  const lines = [line("", ...["precision", "recall", "f1-score", "support"].map(column)), ""];
  lines.push(...report.perClass.map((c) => row(c.label, c, c.support)), "");
  // sklearn prints "accuracy" only when the reported classes are exactly those that occur (`micro_is_accuracy`).
  if (report.absent.length === 0) lines.push(line("accuracy", column(""), column(""), f(report.accuracy), column(String(report.support))));
  else lines.push(row("micro avg", report.micro, report.support));
  lines.push(row("macro avg", report.macro, report.support), row("weighted avg", report.weighted, report.support));
  return lines.join("\n") + "\n";
}
