/**
 * Behavioural testing (Ribeiro et al. 2020, "Beyond Accuracy: Behavioral Testing of NLP Models with CheckList"):
 * - **MFT** (minimum functionality test): templated texts with a known label; a failure is a wrong prediction.
 * - **INV** (invariance): a label-preserving perturbation (typo, name swap, casing, …); a failure is a changed
 *   prediction.
 * - **DIR** (directional expectation): an edit that should push towards a label (appending "I loved it."); a
 *   failure is the probability of that label **dropping by more than `tolerance`** (default 0.1, CheckList's
 *   `Expect.monotonic(tolerance=0.1)`), or the prediction moving away from it.
 * Each test reports its failure rate and failing examples. The runner is model-agnostic: give it a `predict` that
 * maps texts to probability rows.
 */
import { bestClass } from "../tasks/predict";

/** An MFT case: a text and the label it must get. */
export interface MftCase {
  text: string;
  label: string;
}

/** An INV or DIR case: the original and the edited text. */
export interface PairCase {
  original: string;
  edited: string;
}

/** One behavioural test. */
export type BehaviouralTest =
  | { type: "MFT"; name: string; capability: string; cases: MftCase[] }
  | { type: "INV"; name: string; capability: string; cases: PairCase[] }
  | { type: "DIR"; name: string; capability: string; cases: PairCase[]; towards: string; tolerance?: number };

/** A failing case, with what the model said. */
export interface Failure {
  text: string;
  /** For INV/DIR: the edited text (`text` is the original). */
  edited?: string;
  expected: string;
  predicted: string;
  /** For DIR: probability of `towards` before and after. */
  before?: number;
  after?: number;
}

/** The result of one test. */
export interface BehaviouralResult {
  type: BehaviouralTest["type"];
  name: string;
  capability: string;
  cases: number;
  failures: number;
  failureRate: number;
  /** Up to `maxExamples` failures. */
  examples: Failure[];
}

/** Maps texts to probability rows `[n][C]` in the order of `labels`. */
export type PredictFn = (texts: readonly string[]) => number[][];

/**
 * Runs behavioural tests against a model.
 * @param predict texts → probabilities (one batch call per test)
 * @param labels the model's label names, in its class order
 * @throws when a test names a label the model does not have, or has no cases
 */
export function runBehaviouralTests(predict: PredictFn, labels: readonly string[], tests: readonly BehaviouralTest[], options: { maxExamples?: number } = {}): BehaviouralResult[] {
  const { maxExamples = 3 } = options;
  const index = (name: string, test: string): number => {
    const k = labels.indexOf(name);
    if (k < 0) throw new Error(`behavioural test "${test}": label "${name}" is not one of the model's (${labels.join(", ")}); pick a suite for this task`);
    return k;
  };
  return tests.map((t) => {
    if (t.cases.length === 0) throw new Error(`behavioural test "${t.name}" has no cases`);
    const failures: Failure[] = [];
    if (t.type === "MFT") {
      const probs = predict(t.cases.map((c) => c.text));
      t.cases.forEach((c, i) => {
        const want = index(c.label, t.name);
        const got = bestClass(probs[i] as number[]);
        if (got !== want) failures.push({ text: c.text, expected: c.label, predicted: labels[got] as string });
      });
    } else {
      const probs = predict([...t.cases.map((c) => c.original), ...t.cases.map((c) => c.edited)]);
      const n = t.cases.length;
      const towards = t.type === "DIR" ? index(t.towards, t.name) : -1;
      const tolerance = t.type === "DIR" ? (t.tolerance ?? 0.1) : 0;
      t.cases.forEach((c, i) => {
        const a = probs[i] as number[];
        const b = probs[n + i] as number[];
        const before = bestClass(a);
        const after = bestClass(b);
        if (t.type === "INV") {
          if (before !== after) failures.push({ text: c.original, edited: c.edited, expected: labels[before] as string, predicted: labels[after] as string });
        } else {
          const dropped = (a[towards] as number) - (b[towards] as number) > tolerance;
          const awayFromTarget = before === towards && after !== towards;
          if (dropped || awayFromTarget) failures.push({ text: c.original, edited: c.edited, expected: `${t.towards} ↑`, predicted: labels[after] as string, before: a[towards], after: b[towards] });
        }
      });
    }
    return { type: t.type, name: t.name, capability: t.capability, cases: t.cases.length, failures: failures.length, failureRate: failures.length / t.cases.length, examples: failures.slice(0, maxExamples) };
  });
}

/** The results as table rows (for `showTable`): test, type, capability, cases, failure rate, one example. */
export function behaviouralTable(results: readonly BehaviouralResult[]): Record<string, string | number>[] {
  return results.map((r) => {
    const e = r.examples[0];
    const example = e === undefined ? "" : e.edited === undefined ? `${e.text} → ${e.predicted}` : `${e.text} ⇒ ${e.edited} → ${e.predicted}`;
    return { test: r.name, type: r.type, capability: r.capability, cases: r.cases, "failure rate": Number((100 * r.failureRate).toFixed(1)), "example failure": example };
  });
}
