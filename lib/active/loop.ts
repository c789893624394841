/**
 * The pool-based active-learning loop (Settles 2009, §2.3; Lewis & Gale 1994): start from a small random labelled
 * set, then repeatedly train, score every unlabelled pool example with an acquisition function, ask the oracle for
 * the labels of the `batchSize` best, and retrain — recording the test score against the number of labels used.
 *
 * The oracle is a function, not an array of labels, so the loop cannot peek: it reads a label only for an example
 * it acquired, and each at most once (the tests hold it to that). The learner is any `train → predictProba`
 * function — the notebook uses TF-IDF + logistic regression (`trainTfidfBaseline`) so several seeds fit on 2 cores.
 */
import { Rng } from "../core/rng";
import { accuracy } from "../metrics/classification";
import { acquisitionScores, topKIndices } from "./acquisition";
import type { AcquisitionStrategy } from "./acquisition";

/** The unlabelled pool: texts anyone may read, and an oracle (the annotator) that reveals one label on request. */
export interface LabelPool {
  texts: readonly string[];
  /** The label of `texts[index]` — the loop calls it once per acquired example, never otherwise. */
  label(index: number): number;
}

/** A trained model: class probabilities `[N, K]` for texts. */
export interface ProbabilisticClassifier {
  predictProba(texts: readonly string[]): number[][];
}

/** Trains a fresh model on the labelled set (called once per round, from scratch). */
export type Learner = (train: readonly { text: string; label: number }[]) => ProbabilisticClassifier;

/** Options of {@link runActiveLearning}. */
export interface ActiveLearningOptions {
  strategy: AcquisitionStrategy;
  /** Held-out examples the score is measured on after each round. */
  test: readonly { text: string; label: number }[];
  /** Random labelled examples before the first acquisition. Default 20. */
  initialSize?: number;
  /** Labels acquired per round. Default 20. */
  batchSize?: number;
  /** Acquisition rounds; the curve has `rounds + 1` points. Default 10. */
  rounds?: number;
  /** Seeds the pool's shuffle (the initial set) and "random" acquisition. Default 0. */
  seed?: number;
  /** Test score of predictions; default accuracy. */
  score?: (predictions: readonly number[], labels: readonly number[]) => number;
}

/** One run: the learning curve and which pool examples were labelled, in order. */
export interface ActiveLearningRun {
  strategy: AcquisitionStrategy;
  seed: number;
  /** Labelled-set size at each point, e.g. [20, 40, …]. */
  labelsUsed: number[];
  /** Test score at each point. */
  scores: number[];
  /** Pool indices labelled: `acquired[0]` the initial set, `acquired[r]` round r's batch. */
  acquired: number[][];
}

const argmax = (row: readonly number[]): number => row.reduce((best, p, c) => (p > row[best]! ? c : best), 0);

/**
 * Runs pool-based active learning with one strategy and seed.
 * @param pool the unlabelled texts and their oracle
 * @param learner trains a model from the labelled set
 * @throws Error when the pool is smaller than `initialSize + rounds·batchSize`, or sizes are not positive integers
 */
export function runActiveLearning(pool: LabelPool, learner: Learner, options: ActiveLearningOptions): ActiveLearningRun {
  const { strategy, test, initialSize = 20, batchSize = 20, rounds = 10, seed = 0, score = accuracy } = options;
  for (const [name, v] of [["initialSize", initialSize], ["batchSize", batchSize]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`runActiveLearning: ${name} must be a positive integer, got ${v}.`);
  }
  if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`runActiveLearning: rounds must be an integer ≥ 0, got ${rounds}.`);
  const needed = initialSize + rounds * batchSize;
  if (pool.texts.length < needed) throw new Error(`runActiveLearning: the pool has ${pool.texts.length} texts but ${initialSize} + ${rounds}×${batchSize} = ${needed} labels are asked for; lower rounds or batchSize.`);
  if (test.length === 0) throw new Error("runActiveLearning: the test set is empty.");

  const rng = new Rng(seed);
  // One shuffle per seed: its head is the random initial set, and its order breaks acquisition-score ties.
  let unlabelled = rng.shuffle(Array.from(pool.texts, (_, i) => i));
  const labelled: { text: string; label: number }[] = [];
  const acquired: number[][] = [];
  const acquire = (indices: number[]): void => {
    for (const i of indices) labelled.push({ text: pool.texts[i]!, label: pool.label(i) });
    const taken = new Set(indices);
    unlabelled = unlabelled.filter((i) => !taken.has(i));
    acquired.push(indices);
  };
  acquire(unlabelled.slice(0, initialSize));

  const testTexts = test.map((e) => e.text);
  const testLabels = test.map((e) => e.label);
  const labelsUsed: number[] = [];
  const scores: number[] = [];
  for (let round = 0; ; round++) {
    const model = learner(labelled);
    labelsUsed.push(labelled.length);
    scores.push(score(model.predictProba(testTexts).map(argmax), testLabels));
    if (round === rounds) break;
    // "random" never needs the model's probabilities: skip scoring the pool.
    const probs = strategy === "random" ? unlabelled.map(() => [0.5, 0.5]) : model.predictProba(unlabelled.map((i) => pool.texts[i]!));
    const best = topKIndices(acquisitionScores(strategy, probs, rng), batchSize);
    acquire(best.map((position) => unlabelled[position]!));
  }
  return { strategy, seed, labelsUsed, scores, acquired };
}

/** Mean and spread over seeds of several runs of one strategy, point by point. */
export interface LearningCurveSummary {
  strategy: AcquisitionStrategy;
  labelsUsed: number[];
  mean: number[];
  /** Sample standard deviation over seeds (0 with one seed). */
  std: number[];
  min: number[];
  max: number[];
  seeds: number;
}

/**
 * Summarises runs of one strategy (same sizes, different seeds) into mean ± std and min–max per point.
 * @throws Error on no runs, mixed strategies, or runs with different `labelsUsed`
 */
export function summarizeLearningCurves(runs: readonly ActiveLearningRun[]): LearningCurveSummary {
  const first = runs[0];
  if (!first) throw new Error("summarizeLearningCurves: no runs.");
  for (const run of runs) {
    if (run.strategy !== first.strategy) throw new Error(`summarizeLearningCurves: mixed strategies ${first.strategy} and ${run.strategy}; summarise each strategy alone.`);
    if (run.labelsUsed.join() !== first.labelsUsed.join()) throw new Error("summarizeLearningCurves: runs have different labelsUsed; use the same initialSize, batchSize and rounds.");
  }
  const n = runs.length;
  const column = (p: number): number[] => runs.map((r) => r.scores[p]!);
  const mean = first.labelsUsed.map((_, p) => column(p).reduce((s, v) => s + v, 0) / n);
  const std = mean.map((m, p) => (n < 2 ? 0 : Math.sqrt(column(p).reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1))));
  return {
    strategy: first.strategy,
    labelsUsed: [...first.labelsUsed],
    mean,
    std,
    min: first.labelsUsed.map((_, p) => Math.min(...column(p))),
    max: first.labelsUsed.map((_, p) => Math.max(...column(p))),
    seeds: n,
  };
}
