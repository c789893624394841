/**
 * One task end to end — what `course finetune`, the notebooks and `bench/finetune-all.ts` run: load the data,
 * encode it, put a head on the encoder (`loadTaskBase`), fine-tune with validation each epoch, score test once
 * with the best epoch's parameters, and (given `outDir`) write metrics.json / predictions.jsonl /
 * predictions.conll.
 */
import { describeBackend, ensureBackend } from "../core/backend";
import { Rng } from "../core/rng";
import type { TextExample } from "../data/examples";
import { classificationReport, entityScores } from "../metrics";
import type { Interval } from "../eval/bootstrap";
import { classificationIntervals, entityF1Interval } from "../eval/metric-intervals";
import type { StepRecord } from "../train/trainer";
import type { BertTokenizer } from "../text/tokenizer";
import { loadTaskBase, resolveCheckpoint, type TaskBase } from "./base-model";
import type { EncodedExample, Padding } from "./batching";
import { finetune, type FinetuneResult } from "./finetune";
import { withHead, type TaskModel } from "./heads";
import { alignLabels, encodeWords, firstSubTokenPositions } from "./label-alignment";
import { balancedClassWeights } from "./loss";
import { writeRunFiles, type TaggedPrediction } from "./outputs";
import { bestClass, predictSequence, predictTokens } from "./predict";
import { defaultFinetuneLr, taskSpec, type TaggedSentence, type TaskSplits } from "./registry";

export interface RunTaskOptions {
  /** Checkpoint folder, `course` / `course:quick` / `course:full`, or `scratch` (then `tokenizerDir`). */
  from: string;
  /** For `scratch`: tokenizer (and config) folder; a course alias works too. */
  tokenizerDir?: string;
  epochs?: number;
  batchSize?: number;
  /** Peak learning rate (default: `defaultFinetuneLr` of the model's hidden size). */
  lr?: number;
  /** Longest encoding, special tokens included (default: the task's, at most the model's `maxPositions`). */
  maxLength?: number;
  seed?: number;
  /** Use only this many training examples (a seeded random subset): quick runs. */
  trainLimit?: number;
  /** Also cap validation (quick runs; test is never cut). */
  validationLimit?: number;
  /** `"balanced"` (scikit-learn's rule) or one weight per class; default none. */
  classWeights?: "balanced" | number[];
  padding?: Padding;
  /** Read the dataset files from this folder instead of the registry (fixtures, own copies). */
  dataDir?: string;
  /** Already loaded splits (skips loading). */
  data?: TaskSplits;
  /** Write metrics.json, predictions.jsonl (and predictions.conll) here, and the trainer's metrics.jsonl, run.json and tb/. */
  outDir?: string;
  /** Facts recorded in the run's `run.json` and TensorBoard config text besides the task's own (e.g. the PEFT method). */
  run?: Record<string, unknown>;
  /** Keep the fine-tuned model in the result (caller disposes it); default false. */
  keepModel?: boolean;
  /**
   * Replaces the model before training, e.g. with a `lib/peft` wrapper whose `params` are only an adapter and the
   * head (the base then gets no gradients and no optimiser state). Takes over `model`.
   */
  adapt?(model: TaskModel, base: TaskBase): TaskModel;
  onStep?(record: StepRecord): void;
  onEval?(epoch: number, step: number, metrics: Record<string, number>): void;
}

/** A test prediction of a classification task (a line of predictions.jsonl). */
export interface ClassificationPrediction {
  text: string;
  gold: string;
  predicted: string;
  /** Probability of each label. */
  probabilities: Record<string, number>;
}

/** A test prediction of a tagging task (a line of predictions.jsonl). */
export interface TaggingPrediction extends TaggedPrediction {
  text: string;
  /** Per word, the probability of the predicted tag. */
  probabilities: number[];
}

/** The contents of metrics.json. */
export interface TaskMetrics {
  task: string;
  description: string;
  from: string;
  seed: number;
  config: { epochs: number; batchSize: number; lr: number; maxLength: number; trainLimit: number | null; classWeights: number[] | null; padding: string; metric: string };
  model: { hiddenSize: number; numLayers: number; numHeads: number; vocabSize: number; parameters: number; initialized: string[] };
  splits: { train: number; validation: number; test: number };
  labels: string[];
  validation: Record<string, number>;
  bestEpoch: number;
  epochs: { epoch: number; step: number; metrics: Record<string, number> }[];
  test: Record<string, number>;
  /** The test scores with 95% percentile bootstrap intervals (1000 resamples of test texts or sentences, seed 0; lib/eval). */
  testIntervals: Record<string, Interval>;
  /** Per class (classification) or per entity type (tagging), on test. */
  testDetail: Record<string, unknown>;
  steps: number;
  paddingEfficiency: number;
  /** Mean training throughput, real (non-pad) tokens per second. */
  tokensPerSecond: number;
  /** total: data loading, encoding, fine-tuning and test (not building a `course:*` checkpoint); train: `finetune()`; test: scoring test. */
  wallSeconds: { total: number; train: number; test: number };
  backend: string;
  finishedAt: string;
}

export interface TaskRunResult {
  metrics: TaskMetrics;
  predictions: ClassificationPrediction[] | TaggingPrediction[];
  finetune: FinetuneResult;
  /** When `keepModel`: the fine-tuned model (caller disposes) and its tokenizer. */
  model?: TaskModel;
  tokenizer: BertTokenizer;
  data: TaskSplits;
}

function subset<T>(items: readonly T[], limit: number | undefined, rng: Rng): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  return rng.shuffle([...items]).slice(0, limit);
}

/**
 * The training examples `runTask` uses for `trainLimit` and `seed` (a seeded random subset, or all), so a
 * notebook can fit a baseline on exactly the same data.
 */
export function trainingSubset<T>(items: readonly T[], limit: number | undefined, seed = 0): T[] {
  return subset(items, limit, new Rng(seed + 1000));
}

function padIdOf(tokenizer: BertTokenizer): number {
  const id = tokenizer.tokenToId(tokenizer.padToken);
  if (id === undefined) throw new Error(`the tokenizer has no ${tokenizer.padToken} token; fine-tuning pads batches with it`);
  return id;
}

/** Classification examples → ids (truncated to `maxLength`) and labels. */
export function encodeTexts(tokenizer: BertTokenizer, examples: readonly TextExample[], maxLength: number): EncodedExample[] {
  return examples.map((e) => ({ inputIds: tokenizer.encode(e.text, null, { maxLength, truncation: true }).inputIds, target: e.label }));
}

/** Tagged sentences → ids, sub-token labels (−100 off each word's first piece) and word ids. */
export function encodeTagged(tokenizer: BertTokenizer, sentences: readonly TaggedSentence[], labels: readonly string[], maxLength: number): (EncodedExample & { wordIds: (number | null)[] })[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return sentences.map((s, n) => {
    const enc = encodeWords(tokenizer, s.words, { maxLength });
    const wordLabels = s.tags.map((t) => {
      const id = index.get(t);
      if (id === undefined) throw new Error(`sentence ${n}: tag "${t}" is not among the labels (${labels.join(", ")})`);
      return id;
    });
    return { inputIds: enc.inputIds, target: alignLabels(enc.wordIds, wordLabels), wordIds: enc.wordIds };
  });
}

/** Per sentence, the predicted tag and its probability for each word (words without a piece: "O", 1). */
export function wordTags(probs: readonly (readonly number[])[], wordIds: readonly (number | null)[], numWords: number, labels: readonly string[]): { tags: string[]; confidence: number[] } {
  const positions = firstSubTokenPositions(wordIds, numWords);
  const tags: string[] = [];
  const confidence: number[] = [];
  for (const t of positions) {
    const row = t >= 0 ? probs[t] : undefined;
    if (row === undefined) {
      tags.push("O");
      confidence.push(1);
      continue;
    }
    const k = bestClass(row);
    tags.push(labels[k] as string);
    confidence.push(row[k] as number);
  }
  return { tags, confidence };
}

/**
 * Runs task `name` end to end (see the file comment).
 * @returns metrics, test predictions, the fine-tuning record and (with `keepModel`) the model
 */
export async function runTask(name: string, options: RunTaskOptions): Promise<TaskRunResult> {
  const spec = taskSpec(name);
  const { from, epochs = spec.defaults.epochs, batchSize = spec.defaults.batchSize, seed = 0, trainLimit, validationLimit, padding = "longest", dataDir, outDir, keepModel = false, onStep, onEval, run = {} } = options;
  // Resolved before the clock starts: building a `course:*` checkpoint is pretraining, not this run's time.
  const source = await resolveCheckpoint(from);
  const tokenizerDir = options.tokenizerDir === undefined ? undefined : await resolveCheckpoint(options.tokenizerDir);
  const backend = describeBackend(await ensureBackend());
  const began = performance.now();
  const data = options.data ?? (await spec.load(dataDir === undefined ? {} : { dir: dataDir }));
  const base = loadTaskBase(source, { tokenizerDir, seed });
  const { tokenizer } = base;
  const lr = options.lr ?? defaultFinetuneLr(base.bert.config.hiddenSize);
  const maxLength = Math.min(options.maxLength ?? spec.defaults.maxLength, base.bert.config.maxPositions);
  const padId = padIdOf(tokenizer);
  const rng = new Rng(seed + 1000); // subsets only: the trainer has its own stream
  const labels = data.labels;
  const headed = withHead(data.kind === "classification" ? "sequence" : "token", base.bert, labels.length, new Rng(seed + 2000));
  const model = options.adapt ? options.adapt(headed, base) : headed;
  const c = base.bert.config;
  // What run.json and TensorBoard's config text record about this run.
  const facts = () => ({ task: spec.name, from: base.source, seed, epochs, batchSize, lr, maxLength, trainLimit: trainLimit ?? null, validationLimit: validationLimit ?? null, padding, model: { hiddenSize: c.hiddenSize, numLayers: c.numLayers, numHeads: c.numHeads, vocabSize: c.vocabSize }, ...run });
  try {
    let result: Omit<TaskRunResult, "metrics" | "finetune" | "model" | "tokenizer" | "data"> & { test: Record<string, number>; testIntervals: Record<string, Interval>; testDetail: Record<string, unknown>; conll?: TaggedPrediction[] };
    let tuned: FinetuneResult;
    let classWeights: number[] | undefined;
    let trainSize: number;
    let validationSize: number;
    let testSeconds: number;
    if (data.kind === "classification") {
      const train = subset(data.train, trainLimit, rng);
      const validation = subset(data.validation, validationLimit, rng);
      trainSize = train.length;
      validationSize = validation.length;
      classWeights = options.classWeights === "balanced" ? balancedClassWeights(train.map((e) => e.label), labels.length) : options.classWeights;
      const encodedValidation = encodeTexts(tokenizer, validation, maxLength);
      const score = (examples: readonly EncodedExample[], golds: readonly TextExample[]) => {
        const probs = predictSequence(model, examples, padId);
        const predicted = probs.map(bestClass);
        const report = classificationReport(predicted, golds.map((e) => e.label), { labelNames: labels, numClasses: labels.length });
        return { probs, predicted, report, metrics: { accuracy: report.accuracy, macroF1: report.macro.f1 } };
      };
      tuned = finetune(model, { train: encodeTexts(tokenizer, train, maxLength), padId }, () => score(encodedValidation, validation).metrics, { epochs, batchSize, lr, seed, classWeights, padding, metric: spec.metric, outDir, run: { ...facts(), classWeights: classWeights ?? null }, onStep, onEval });
      const testStart = performance.now();
      const test = score(encodeTexts(tokenizer, data.test, maxLength), data.test);
      testSeconds = (performance.now() - testStart) / 1000;
      const predictions: ClassificationPrediction[] = data.test.map((e, i) => ({
        text: e.text,
        gold: labels[e.label] as string,
        predicted: labels[test.predicted[i] as number] as string,
        probabilities: Object.fromEntries(labels.map((l, k) => [l, Number(((test.probs[i] as number[])[k] as number).toFixed(6))])),
      }));
      const testIntervals = { ...classificationIntervals(test.predicted, data.test.map((e) => e.label), labels.length) };
      result = { predictions, test: test.metrics, testIntervals, testDetail: { perClass: test.report.perClass, macro: test.report.macro, weighted: test.report.weighted } };
    } else {
      const train = subset(data.train, trainLimit, rng);
      const validation = subset(data.validation, validationLimit, rng);
      trainSize = train.length;
      validationSize = validation.length;
      const encodedValidation = encodeTagged(tokenizer, validation, labels, maxLength);
      const score = (sentences: readonly TaggedSentence[], encoded: ReturnType<typeof encodeTagged>) => {
        const probs = predictTokens(model, encoded, padId);
        const tagged = sentences.map((s, i) => wordTags(probs[i] as number[][], (encoded[i] as { wordIds: (number | null)[] }).wordIds, s.words.length, labels));
        const report = entityScores(sentences.map((s) => s.tags), tagged.map((t) => t.tags), { scheme: "IOB2" });
        const { precision, recall, f1 } = report.overall;
        return { tagged, report, metrics: { f1, precision, recall, tokenAccuracy: report.tokenAccuracy } };
      };
      tuned = finetune(model, { train: encodeTagged(tokenizer, train, labels, maxLength), padId }, () => score(validation, encodedValidation).metrics, { epochs, batchSize, lr, seed, padding, metric: spec.metric, outDir, run: facts(), onStep, onEval });
      const testStart = performance.now();
      const test = score(data.test, encodeTagged(tokenizer, data.test, labels, maxLength));
      testSeconds = (performance.now() - testStart) / 1000;
      const predictions: TaggingPrediction[] = data.test.map((s, i) => {
        const t = test.tagged[i] as { tags: string[]; confidence: number[] };
        return { text: s.words.join(" "), words: s.words, gold: s.tags, predicted: t.tags, probabilities: t.confidence.map((p) => Number(p.toFixed(6))) };
      });
      const testIntervals = { ...entityF1Interval(data.test.map((s) => s.tags), test.tagged.map((t) => t.tags), { scheme: "IOB2" }) };
      result = { predictions, test: test.metrics, testIntervals, testDetail: { perType: test.report.perType }, conll: predictions };
    }
    const trained = tuned.history.reduce((n, r) => n + r.throughput * r.seconds, 0);
    const seconds = tuned.history.reduce((n, r) => n + r.seconds, 0);
    const metrics: TaskMetrics = {
      task: spec.name,
      description: spec.description,
      from: base.source,
      seed,
      config: { epochs, batchSize, lr, maxLength, trainLimit: trainLimit ?? null, classWeights: classWeights ?? null, padding: padding === "longest" ? "longest" : `max ${padding.maxLength}`, metric: spec.metric },
      model: { hiddenSize: c.hiddenSize, numLayers: c.numLayers, numHeads: c.numHeads, vocabSize: c.vocabSize, parameters: [...new Set([...base.bert.params.values(), ...model.params.values()])].reduce((n, v) => n + v.size, 0), initialized: base.initialized },
      splits: { train: trainSize, validation: validationSize, test: data.test.length },
      labels,
      validation: tuned.best.metrics,
      bestEpoch: tuned.best.epoch,
      epochs: tuned.evaluations,
      test: result.test,
      testIntervals: result.testIntervals,
      testDetail: result.testDetail,
      steps: tuned.steps,
      paddingEfficiency: tuned.paddingEfficiency,
      tokensPerSecond: seconds > 0 ? trained / seconds : 0,
      wallSeconds: { total: (performance.now() - began) / 1000, train: tuned.trainSeconds, test: testSeconds },
      backend,
      finishedAt: new Date().toISOString(),
    };
    if (outDir !== undefined) writeRunFiles(outDir, { metrics, predictions: result.predictions, conll: result.conll });
    return { metrics, predictions: result.predictions, finetune: tuned, model: keepModel ? model : undefined, tokenizer, data };
  } finally {
    if (!keepModel) model.dispose();
  }
}
