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
  return pairedBootstrapAccuracySeeds([a], [b], labels, options);
}

/**
 * Paired bootstrap of the **seed-averaged** accuracy of two training recipes, each run with several seeds on the
 * same test set (e.g. pretrained vs scratch, fine-tuned with seeds 0, 1, 2): each resample of the test examples
 * scores every run of A and of B on the same examples, and δ = mean over B's seeds − mean over A's. Seed noise and
 * test-sample noise both enter the comparison; with one seed per side this is `pairedBootstrapAccuracy`.
 * @param a `[seeds][n]` predicted class ids of A's runs; `b` the same for B (seed counts may differ)
 * @throws when a side has no runs or a run's length differs from `labels`
 */
export function pairedBootstrapAccuracySeeds(a: readonly (readonly number[])[], b: readonly (readonly number[])[], labels: readonly number[], options: BootstrapOptions = {}): PairedBootstrapResult {
  checkRuns("pairedBootstrapAccuracySeeds", a, b, labels.length);
  const right = [a, b].map((runs) => runs.map((p) => p.map((v, i) => (v === labels[i] ? 1 : 0))));
  return pairedBootstrap(labels.length, (m, idx) => meanOverRuns(right[m] as number[][], (r) => {
    let s = 0;
    for (const i of idx) s += r[i] as number;
    return s / idx.length;
  }), options);
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
  return pairedBootstrapEntityF1Seeds(gold, [a], [b], scoring, options);
}

/**
 * `pairedBootstrapEntityF1` of the seed-averaged entity F1 of two recipes run with several seeds (see
 * `pairedBootstrapAccuracySeeds`): each resample of sentences scores every run's micro-F1 on it.
 * @param a `[seeds][sentences][tokens]` A's predicted tags; `b` the same for B
 * @throws when a side has no runs or a run's sentence count differs from `gold`
 */
export function pairedBootstrapEntityF1Seeds(gold: readonly (readonly string[])[], a: readonly (readonly (readonly string[])[])[], b: readonly (readonly (readonly string[])[])[], scoring: { scheme: TagScheme; mode?: EntityMode }, options: BootstrapOptions = {}): PairedBootstrapResult {
  checkRuns("pairedBootstrapEntityF1Seeds", a, b, gold.length);
  const counts = [a, b].map((runs) => runs.map((predicted) => gold.map((g, i) => entityScores([g], [predicted[i] as string[]], scoring).overall)));
  return pairedBootstrap(gold.length, (model, indices) => meanOverRuns(counts[model]!, (run) => {
    let [correct, guessed, support] = [0, 0, 0];
    for (const i of indices) {
      const c = run[i]!;
      correct += c.correct;
      guessed += c.predicted;
      support += c.support;
    }
    const precision = guessed === 0 ? 0 : correct / guessed;
    const recall = support === 0 ? 0 : correct / support;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }), options);
}

function checkRuns(fn: string, a: readonly { length: number }[], b: readonly { length: number }[], n: number): void {
  if (a.length === 0 || b.length === 0) throw new Error(`${fn}: needs at least one run of each model (got ${a.length} and ${b.length})`);
  for (const [side, runs] of [["A", a], ["B", b]] as const) {
    runs.forEach((run, s) => {
      if (run.length !== n) throw new Error(`${fn}: run ${s} of ${side} has ${run.length} predictions for ${n} test examples; score every run on the same test set`);
    });
  }
}

function meanOverRuns<R>(runs: readonly R[], score: (run: R) => number): number {
  let sum = 0;
  for (const run of runs) sum += score(run);
  return sum / runs.length;
}
