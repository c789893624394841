/**
 * The few-shot experiment of LM-BFF (Gao et al. 2021, §3 and Table 3) on the course's models: for each k (examples
 * per class) and seed, a k-shot train set and a k-shot dev set; then
 *   zero-shot  — the cloze classifier (template + verbalizer + pretrained MLM head), no training;
 *   prompt     — the same cloze classifier fine-tuned end to end (LM-BFF's "prompt-based FT");
 *   standard   — a fresh `[CLS]` classification head fine-tuned with the same trainer, k, steps and lr.
 * Both fine-tunings keep the epoch with the best k-shot dev accuracy and are scored once on the same test set
 * (all of it, or one seeded subset shared by every run).
 */
import { ensureBackend } from "../core/backend";
import { Rng } from "../core/rng";
import type { TextExample } from "../data/examples";
import { classificationReport } from "../metrics";
import { loadTaskBase, resolveCheckpoint } from "../tasks/base-model";
import type { EncodedExample } from "../tasks/batching";
import { finetune } from "../tasks/finetune";
import { withHead, type TaskModel } from "../tasks/heads";
import { bestClass, predictSequence } from "../tasks/predict";
import { defaultFinetuneLr, taskSpec, type ClassificationSplits } from "../tasks/registry";
import { encodeTexts } from "../tasks/run";
import type { BertTokenizer } from "../text/tokenizer";
import { ClozeClassifier } from "./cloze";
import { sampleKShot, sampleKShotDev } from "./k-shot";
import { encodePrompt, parseTemplate, type PromptTemplate } from "./prompt-template";
import { buildVerbalizer, type Verbalizer, type VerbalizerWords } from "./verbalizer";

/** A template and a verbalizer. */
export interface PromptSpec {
  template: string;
  words: VerbalizerWords;
}

/**
 * Prompts for the course's sentiment tasks. SST-2's is LM-BFF's manual one (Table 1: "It was great/terrible"
 * there; "good/bad" here, both single tokens of the course vocabulary). FPB's neutral class has no natural
 * adjective in the 8k course vocabulary ("neutral" is not one token), so "usual" stands in for it.
 */
export const FEWSHOT_PROMPTS: Readonly<Record<string, Readonly<PromptSpec>>> = Object.freeze({
  sst2: Object.freeze({ template: "{text} It was [MASK].", words: Object.freeze({ negative: "bad", positive: "good" }) }),
  fpb: Object.freeze({ template: "{text} It was [MASK].", words: Object.freeze({ negative: "bad", neutral: "usual", positive: "good" }) }),
});

export type FewShotMethod = "zero-shot" | "prompt" | "standard";

export interface FewShotOptions {
  /** Checkpoint folder or `course` alias (default `course`: the MLM the course pretrained). */
  from?: string;
  /** Examples per class (default LM-BFF's 16 and its neighbours: 8, 16, 32, 64). */
  ks?: readonly number[];
  /** One k-shot draw and one fine-tuning per seed (default 0–4; LM-BFF uses 5). */
  seeds?: readonly number[];
  /** Score a seeded random subset of test of this size (default: all of it). */
  testLimit?: number;
  /** Updates per fine-tuning, whatever k (default 100), rounded up to whole epochs. */
  steps?: number;
  /** Examples per update (default 8, LM-BFF's smallest). */
  batchSize?: number;
  /** Peak learning rate (default: the course's for the model's width, `defaultFinetuneLr`). */
  lr?: number;
  /** Longest prompt, special tokens included (default 64). */
  maxLength?: number;
  /** Prompt per task (default `FEWSHOT_PROMPTS`). */
  prompts?: Readonly<Record<string, PromptSpec>>;
  /** Preloaded data per task (skips loading; fixtures). */
  data?: Readonly<Record<string, ClassificationSplits>>;
  /** After each scored run (progress). */
  onResult?(result: FewShotResult): void;
}

/** One scored run. Zero-shot has no k and no seed (−1: it trains on nothing). */
export interface FewShotResult {
  task: string;
  method: FewShotMethod;
  k: number;
  seed: number;
  accuracy: number;
  macroF1: number;
  /** Seconds of fine-tuning (0 for zero-shot). */
  trainSeconds: number;
}

/** Mean and sample standard deviation over seeds of one (task, method, k). */
export interface FewShotSummary {
  task: string;
  method: FewShotMethod;
  k: number;
  runs: number;
  /** Mean and sample standard deviation of accuracy. */
  mean: number;
  std: number;
  /** Mean macro-F1: a model that predicts one class scores 1/C × its class's F1 here, however high its accuracy. */
  macroF1: number;
}

function scoreOn(model: TaskModel, encoded: readonly EncodedExample[], golds: readonly number[], padId: number, numClasses: number): { accuracy: number; macroF1: number } {
  const predicted = predictSequence(model, encoded, padId).map(bestClass);
  const report = classificationReport(predicted, [...golds], { numClasses });
  return { accuracy: report.accuracy, macroF1: report.macro.f1 };
}

/**
 * Runs the experiment on each task of `tasks` (registry names of classification tasks, e.g. `fpb`, `sst2`).
 * @returns every run and the per-(task, method, k) mean ± std
 * @throws when a task has no prompt, its verbalizer is not single tokens, or a class has fewer than k examples
 */
export async function fewShotExperiment(tasks: readonly string[], options: FewShotOptions = {}): Promise<{ results: FewShotResult[]; summary: FewShotSummary[] }> {
  const { from = "course", ks = [8, 16, 32, 64], seeds = [0, 1, 2, 3, 4], testLimit, steps = 100, batchSize = 8, maxLength = 64, prompts = FEWSHOT_PROMPTS, onResult } = options;
  await ensureBackend();
  const source = await resolveCheckpoint(from);
  const results: FewShotResult[] = [];
  const record = (r: FewShotResult): void => {
    results.push(r);
    onResult?.(r);
  };
  for (const task of tasks) {
    const prompt = prompts[task];
    if (prompt === undefined) throw new Error(`fewShotExperiment: no prompt for task "${task}"; pass options.prompts["${task}"] = { template, words }`);
    const loaded = options.data?.[task] ?? (await taskSpec(task).load());
    if (loaded.kind !== "classification") throw new Error(`fewShotExperiment: "${task}" is not a classification task`);
    const data = loaded as ClassificationSplits;
    const numClasses = data.labels.length;
    const test = testLimit === undefined || testLimit >= data.test.length ? data.test : new Rng(12345).shuffle([...data.test]).slice(0, testLimit);
    const golds = test.map((e) => e.label);
    const probe = loadTaskBase(source, { seed: 0 });
    const tokenizer: BertTokenizer = probe.tokenizer;
    let template: PromptTemplate;
    let verbalizer: Verbalizer;
    try {
      template = parseTemplate(tokenizer, prompt.template);
      verbalizer = buildVerbalizer(tokenizer, data.labels, prompt.words);
    } catch (error) {
      probe.bert.dispose();
      throw error;
    }
    const padId = tokenizer.tokenToId(tokenizer.padToken) ?? 0;
    const lr = options.lr ?? defaultFinetuneLr(probe.bert.config.hiddenSize);
    const asPrompts = (examples: readonly TextExample[]): EncodedExample[] => examples.map((e) => ({ inputIds: encodePrompt(tokenizer, template, e.text, maxLength), target: e.label }));
    const promptTest = asPrompts(test);
    const plainTest = encodeTexts(tokenizer, test, maxLength);

    const zeroShot = new ClozeClassifier(probe.bert, verbalizer, template.maskId);
    try {
      record({ task, method: "zero-shot", k: 0, seed: -1, ...scoreOn(zeroShot, promptTest, golds, padId, numClasses), trainSeconds: 0 });
    } finally {
      zeroShot.dispose();
    }

    for (const k of ks) {
      for (const seed of seeds) {
        const train = sampleKShot(data.train, k, numClasses, seed);
        const { dev } = sampleKShotDev(data.validation, data.train, train, k, numClasses, seed + 100);
        for (const method of ["prompt", "standard"] as const) {
          const base = loadTaskBase(source, { seed });
          const model: TaskModel = method === "prompt" ? new ClozeClassifier(base.bert, verbalizer, template.maskId) : withHead("sequence", base.bert, numClasses, new Rng(seed + 2000));
          const encode = method === "prompt" ? asPrompts : (e: readonly TextExample[]) => encodeTexts(tokenizer, e, maxLength);
          try {
            const encodedDev = encode(dev);
            const devGolds = dev.map((e) => e.label);
            const epochs = Math.max(1, Math.ceil(steps / Math.ceil(train.length / batchSize)));
            const tuned = finetune(model, { train: encode(train), padId }, () => scoreOn(model, encodedDev, devGolds, padId, numClasses), { epochs, batchSize, lr, seed });
            const scored = scoreOn(model, method === "prompt" ? promptTest : plainTest, golds, padId, numClasses);
            record({ task, method, k, seed, ...scored, trainSeconds: tuned.trainSeconds });
          } finally {
            model.dispose();
          }
        }
      }
    }
  }
  return { results, summary: summarizeFewShot(results) };
}

/** Mean and sample standard deviation (n − 1; 0 for one run) of accuracy, and mean macro-F1, per (task, method, k), in first-seen order. */
export function summarizeFewShot(results: readonly FewShotResult[]): FewShotSummary[] {
  const groups = new Map<string, FewShotResult[]>();
  for (const r of results) {
    const key = `${r.task}\u0000${r.method}\u0000${r.k}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0] as FewShotResult;
    const values = runs.map((r) => r.accuracy);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    const macroF1 = runs.reduce((sum, r) => sum + r.macroF1, 0) / runs.length;
    return { task: first.task, method: first.method, k: first.k, runs: runs.length, mean, std, macroF1 };
  });
}
