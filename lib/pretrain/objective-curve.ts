/**
 * Does pretraining pay? Downstream test score against pretraining CPU-minutes, for each pretraining objective, with
 * fine-tuning held equal (issue #20, deliverable 4). For every objective × budget the same BERT is pretrained on the
 * same corpus with the same WordPiece vocabulary (`course pretrain --minutes M --budget-clock cpu`: the learning rate
 * warms up and decays over the budget, Cramming §4.3), then every task is fine-tuned for every seed through
 * `course finetune` with identical flags (same train subset per seed, epochs, lr, max length). Budget 0 is the same
 * architecture from random init ("scratch"), fine-tuned the same way, and every pretrained variant is compared with
 * it on the same test examples and seeds: the paired bootstrap (Koehn 2004) of the seed-mean score, and McNemar's
 * exact test per seed for classification.
 *
 * Objectives (`OBJECTIVE_RECIPES`): `mlm` — BERT's masked LM (80/10/10, dropout); `babyberta` — BabyBERTa
 * (Huebner et al. 2021) / Cramming settings (always `[MASK]`, no dropout, twice the batch of half-length inputs: the
 * same tokens per step); `electra` — replaced-token detection (Clark et al. 2020; `electra.ts`, the discriminator is
 * what fine-tunes).
 *
 * Every pretraining and fine-tuning is a child process of the checkout's own `bin/course.js`, `jobs` at a time
 * (`course-jobs.ts`; a fine-tuning waits for its checkpoint); each writes `<its folder>.log`. A budget is CPU time
 * of the pretraining process (every thread), so jobs side by side or a busy neighbour do not change how much
 * compute a budget buys.
 *
 * Folder layout (resumable: a job whose marker file exists is not run again):
 *   <out>/settings.json                          what the cached runs were made with (a rerun must match)
 *   <out>/tokenizer/                             the shared WordPiece tokenizer + config.json (the scratch model)
 *   <out>/pretrain/<objective>-<M>min/           `course pretrain` run; marker `pretrain.json` (its summary line)
 *   <out>/finetune/<task>/<variant>/seed-<s>/    `course finetune` run; marker `metrics.json`; `predictions.jsonl`
 *   <out>/results.json                           settings, pretrained, runs, comparisons (written at the end)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { repoRoot } from "../core/paths";
import { mcnemar } from "../eval/mcnemar";
import { pairedBootstrapAccuracySeeds, pairedBootstrapEntityF1Seeds, type PairedBootstrapResult } from "../eval/paired-bootstrap";
import type { Interval } from "../eval/bootstrap";
import { bertConfig, configToHf, BERT_PRESETS, type BertPreset } from "../model/config";
import { taskSpec, type TaskName } from "../tasks/registry";
import { saveTokenizer } from "../text/hf-files";
import type { ChineseScript } from "../text/chinese-script";
import { trainWordPiece } from "../text/wordpiece-trainer";
import { COURSE_CORPUS_LARGE } from "./course-model";
import { runPool, type Job } from "./course-jobs";
import { loadPretrainingCorpus } from "./pretraining-corpus";

/** One pretraining recipe: its `course pretrain` flags, given the curve's batch size and sequence length. */
export type ObjectiveRecipe = (batchSize: number, seqLength: number, lr: number) => string[];

/** The objectives the curve compares; a new one is one entry. */
export const OBJECTIVE_RECIPES: Readonly<Record<string, ObjectiveRecipe>> = Object.freeze({
  mlm: (batch, seq) => ["--batch", String(batch), "--seq", String(seq)],
  // BabyBERTa / Cramming: same tokens per step as `mlm` in shorter inputs, every chosen token `[MASK]`, no dropout,
  // and half the peak rate: at the shared 2e-3 its loss spiked at step ≈ 930 of a 30-minute run (gradient norm
  // 50–94 against ≈ 0.5 before) and never recovered (held-out accuracy 0.059 → 0.003; 2026-11-30 grid).
  babyberta: (batch, seq, lr) => ["--always-mask", "--no-dropout", "--batch", String(batch * 2), "--seq", String(Math.max(8, Math.floor(seq / 2))), "--lr", String(lr / 2)],
  // ELECTRA at a quarter of the shared rate, 5e-4: ELECTRA-Small's pretraining rate (Clark et al. 2020, Appendix A).
  // At 2e-3 the discriminator never left the base rate in 30 minutes (2026-11-30 grid); trained alone on tokens
  // replaced uniformly from the vocabulary, it sat at the base rate (0.85) for 300 steps at 2e-3 but reached
  // 0.90–0.92 accuracy by step 250–300 at 5e-4 and at 1e-4.
  electra: (batch, seq, lr) => ["--objective", "electra", "--batch", String(batch), "--seq", String(seq), "--lr", String(lr / 4)],
});

/** Options of `objectiveCurve`; only `out` is required. */
export interface ObjectiveCurveOptions {
  /** The run folder (created; resumable). */
  out: string;
  /** Keys of `OBJECTIVE_RECIPES` (default mlm, babyberta, electra). */
  objectives?: readonly string[];
  /** Pretraining budgets in CPU-minutes; 0 = scratch (default 0, 5, 15, 30, 60). Deduplicated and sorted. */
  minutes?: readonly number[];
  /** Task names or aliases of `lib/tasks` (default fpb, sst2, banking77, conll2003). */
  tasks?: readonly string[];
  /** Fine-tuning seeds 0 … seeds−1 (default 3). */
  seeds?: number;
  /** Datasets of the pretraining corpus, read cleaned (`loadPretrainingCorpus`; default `COURSE_CORPUS_LARGE`). */
  corpus?: readonly string[];
  /** Chinese text of the corpus in Simplified (default; OpenCC, the course tasks' script) or as the source wrote it. */
  script?: ChineseScript;
  /** WordPiece vocabulary size (default 10000) and alphabet limit (characters, default 3000). */
  vocabSize?: number;
  limitAlphabet?: number;
  /** Model size (default "tiny"). */
  preset?: BertPreset;
  /** Pretraining tokens per sequence (default 128) and sequences per step (default 32), before the recipe. */
  seqLength?: number;
  batchSize?: number;
  /** Pretraining peak learning rate (default 2e-3) and seed (default 0). */
  pretrainLr?: number;
  pretrainSeed?: number;
  /** Child processes at once (default 1; at most the number of cores) and `COURSE_THREADS` of each (default 1). */
  jobs?: number;
  threads?: number;
  /** Flags for every `course finetune` (e.g. `["--train-limit", "2000", "--epochs", "3"]`). */
  finetuneFlags?: readonly string[];
  /** Flags appended for one task's fine-tunings (later flags win), keyed by task name or alias. */
  taskFlags?: Readonly<Record<string, readonly string[]>>;
  /**
   * Checkpoints pretrained elsewhere, fine-tuned and compared like the curve's own: e.g. the course model
   * (`course course-model`) as `{ objective: "mlm", minutes: 60, dir }`. The folder holds `config.json`, the weights
   * and the tokenizer — the curve's (same vocabulary) for the comparison to be fair — and `course-model.json` or
   * `pretrain.json` with `steps`, `trainSeconds`, `corpusTokens` and `final`.
   */
  checkpoints?: readonly { objective: string; minutes: number; dir: string }[];
  /** Progress lines (job started, done or failed, with seconds and its log file). Default: none. */
  log?: (line: string) => void;
  /** Called after each job ends (skipped jobs count as done at the start). */
  onProgress?: (finished: number, total: number) => void;
  /** The `course` script the children run (default: this checkout's `bin/course.js`). */
  course?: string;
}

/** One pretrained checkpoint (what `course pretrain` printed). */
export interface CurvePretrained {
  objective: string;
  minutes: number;
  dir: string;
  /** Optimizer steps taken within the budget, and the seconds they took. */
  steps: number;
  trainSeconds: number;
  corpusTokens: { train: number; heldOut: number };
  /** Held-out metrics of the last evaluation (objective-specific names), or null. */
  final: Record<string, number> | null;
}

/** One fine-tuning run: its test score (the task's metric) and where its predictions are. */
export interface CurveRun {
  task: TaskName;
  /** "scratch" for budget 0. */
  objective: string;
  minutes: number;
  seed: number;
  score: number;
  metric: string;
  dir: string;
  wallSeconds: number;
}

/** A pretrained variant against scratch on the same test examples and seeds. */
export interface CurveComparison {
  task: TaskName;
  objective: string;
  minutes: number;
  /** Seed-mean score of pretrained − scratch (fraction, e.g. accuracy), with its 95 % paired-bootstrap interval. */
  delta: Interval;
  /** Share of bootstrap resamples with δ ≤ 0 (small: pretrained reliably better). */
  pBootstrap: number;
  /** McNemar's p per seed pair (classification; empty for NER). */
  mcnemar: number[];
}

/** One point of the curve: a task × objective × budget over its seeds (scratch: objective "scratch", 0 min). */
export interface CurvePoint {
  task: TaskName;
  metric: string;
  objective: string;
  minutes: number;
  /** Test scores, one per finished seed, and their mean and sample standard deviation (0 for one seed). */
  scores: number[];
  mean: number;
  std: number;
  /** The pretraining run behind it (null for scratch). */
  pretrained: CurvePretrained | null;
  /** The paired comparison with scratch (null for scratch itself, or when scratch has no matching seed). */
  comparison: CurveComparison | null;
}

/** The settings a curve folder's cached runs were made with (`<out>/settings.json`; its keys are a file format). */
export interface CurveSettings {
  corpus: string[];
  /** Absent in folders written before the option: read as "simplified". */
  script: ChineseScript;
  vocab: number;
  limitAlphabet: number;
  preset: BertPreset;
  seqLength: number;
  batchSize: number;
  pretrainLr: number;
  pretrainSeed: number;
  threads: number;
  finetuneFlags: string[];
  taskFlags: Record<string, string[]>;
}

/** What `objectiveCurve` measured; also written to `<out>/results.json` (without `points` and `failed`). */
export interface ObjectiveCurveResult {
  date: string;
  settings: { objectives: string[]; minutes: number[]; tasks: TaskName[]; seeds: number[]; corpus: string[]; script: ChineseScript; vocabSize: number; limitAlphabet: number; preset: BertPreset; seqLength: number; batchSize: number; pretrainLr: number; threads: number; jobs: number; finetuneFlags: string[]; taskFlags: Record<string, string[]> };
  pretrained: CurvePretrained[];
  runs: CurveRun[];
  comparisons: CurveComparison[];
  /** Task by task: scratch, then objectives alphabetically by budget. */
  points: CurvePoint[];
  /** Names of the jobs that failed (or waited on one that failed); rerun to retry them. */
  failed: string[];
}

/**
 * Pretrains every objective for every budget, fine-tunes every task for every seed on each checkpoint and on
 * scratch, and compares each with scratch; jobs already done in `out` are skipped.
 * @returns the checkpoints, every finished run, the paired comparisons and the curve's points (scores are the
 *   task's test metric as a fraction: accuracy, or entity F1 for CoNLL-2003)
 * @throws Error before anything runs for an unknown objective or task, a negative budget, no seeds, an unknown
 *   preset, or an `out` whose `settings.json` differs (corpus, tokenizer, model, pretraining or fine-tuning
 *   settings: use another folder); a job that fails is logged and listed in `failed`, not thrown
 */
export async function objectiveCurve(options: ObjectiveCurveOptions): Promise<ObjectiveCurveResult> {
  const {
    objectives = ["mlm", "babyberta", "electra"], tasks: taskNames = ["fpb", "sst2", "banking77", "conll2003"], seeds: seedCount = 3,
    corpus = COURSE_CORPUS_LARGE, script = "simplified", vocabSize = 10000, limitAlphabet = 3000, preset = "tiny", seqLength = 128, batchSize = 32,
    pretrainLr = 2e-3, pretrainSeed = 0, threads = 1, finetuneFlags = [], checkpoints = [], log = () => undefined, onProgress,
  } = options;
  const outRoot = resolve(options.out);
  for (const o of objectives) {
    if (OBJECTIVE_RECIPES[o] === undefined) throw new Error(`objectiveCurve: objective "${o}" is not a recipe (have: ${Object.keys(OBJECTIVE_RECIPES).join(", ")}); a new recipe is one entry of OBJECTIVE_RECIPES in lib/pretrain/objective-curve.ts`);
  }
  const minutes = [...new Set(options.minutes ?? [0, 5, 15, 30, 60])].sort((a, b) => a - b);
  if (minutes.some((m) => !(m >= 0 && Number.isFinite(m)))) throw new Error(`objectiveCurve: minutes ${minutes.join(",")}: give non-negative CPU-minutes, e.g. 0,5,15`);
  const tasks = taskNames.map((t) => taskSpec(t).name);
  if (!(Number.isInteger(seedCount) && seedCount >= 1)) throw new Error(`objectiveCurve: seeds = ${seedCount}: need at least 1 fine-tuning seed`);
  const seeds = Array.from({ length: seedCount }, (_, i) => i);
  if (!(preset in BERT_PRESETS)) throw new Error(`objectiveCurve: preset "${preset}" is not one of ${Object.keys(BERT_PRESETS).join(", ")}`);
  const jobs = Math.max(1, options.jobs ?? 1);
  const taskFlags: Record<string, string[]> = Object.fromEntries(Object.entries(options.taskFlags ?? {}).map(([t, f]) => [taskSpec(t).name, [...f]]));
  const course = options.course ?? courseScript();

  mkdirSync(outRoot, { recursive: true });
  checkSettings(outRoot, { corpus: [...corpus], script, vocab: vocabSize, limitAlphabet, preset, seqLength, batchSize, pretrainLr, pretrainSeed, threads, finetuneFlags: [...finetuneFlags], taskFlags });
  const tokenizer = await tokenizerFolder(outRoot, corpus, script, vocabSize, limitAlphabet, preset, seqLength, log);
  for (const c of checkpoints) {
    const dir = resolve(c.dir);
    if (!existsSync(join(dir, "config.json"))) throw new Error(`objectiveCurve: checkpoint ${dir} has no config.json: give a model folder (\`course pretrain --out\`, \`course course-model\`)`);
    sameVocabulary(dir, tokenizer);
    pretrainedFacts(c.objective, c.minutes, dir); // refuses a folder without its pretraining facts before anything runs
  }

  // Longest pretraining first (the pool then packs the shorter ones and the fine-tunings around it).
  const budgets = objectives.flatMap((o) => minutes.filter((m) => m > 0).map((m) => [o, m] as const)).sort((a, b) => b[1] - a[1]);
  const pretrainJobs = budgets.map(([objective, m]) => {
    const dir = join(outRoot, "pretrain", `${objective}-${m}min`);
    const args = ["pretrain", "--clean", "--corpus", ...corpus, "--script", script, "--tokenizer", tokenizer, "--out", dir, "--config", preset, "--minutes", String(m), "--budget-clock", "cpu", "--steps", "10000000", "--lr", String(pretrainLr), "--seed", String(pretrainSeed), "--resume", "--eval-every", "500", "--checkpoint-every", "500", ...OBJECTIVE_RECIPES[objective]!(batchSize, seqLength, pretrainLr)];
    return { objective, minutes: m, job: { name: `pretrain ${objective} ${m} min`, args, marker: join(dir, "pretrain.json") } as Job };
  });
  const variants = [
    ...(minutes.includes(0) ? [{ objective: "scratch", minutes: 0, name: "scratch", from: ["--from", "scratch", "--tokenizer", tokenizer], after: undefined as Job | undefined }] : []),
    ...pretrainJobs.map((p) => ({ objective: p.objective, minutes: p.minutes, name: `${p.objective}-${p.minutes}min`, from: ["--from", dirname(p.job.marker)], after: p.job as Job | undefined })),
    ...checkpoints.map((c) => ({ objective: c.objective, minutes: c.minutes, name: `${c.objective}-${c.minutes}min`, from: ["--from", resolve(c.dir)], after: undefined as Job | undefined })),
  ];
  const names = variants.map((v) => v.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`objectiveCurve: two variants are named ${twice}: a checkpoint repeats an objective and budget the curve pretrains itself`);
  const finetunes = tasks.flatMap((task) => variants.flatMap((v) => seeds.map((seed) => {
    const dir = join(outRoot, "finetune", task, v.name, `seed-${seed}`);
    const args = ["finetune", "--quiet", "--task", task, ...v.from, "--out", dir, "--seed", String(seed), ...finetuneFlags, ...(taskFlags[task] ?? [])];
    return { task, variant: v, seed, job: { name: `finetune ${task} ${v.name} seed ${seed}`, args, marker: join(dir, "metrics.json"), after: v.after } as Job };
  })));
  const all = [...pretrainJobs.map((p) => p.job), ...finetunes.map((f) => f.job)];
  for (const f of finetunes) {
    // A finished fine-tuning of a checkpoint variant must be of the same checkpoint: a label reused for another folder
    // would otherwise report the old run's score beside the new checkpoint's facts.
    const from = f.variant.after === undefined && f.variant.objective !== "scratch" && existsSync(f.job.marker) ? (JSON.parse(readFileSync(f.job.marker, "utf8")) as { from?: string }).from : undefined;
    if (from !== undefined && resolve(from) !== resolve(f.variant.from[1] as string)) throw new Error(`objectiveCurve: ${dirname(f.job.marker)} was fine-tuned from ${from}, this run gives ${f.variant.from[1]} for ${f.variant.name}: use another OBJECTIVE:MINUTES label, or delete that folder`);
  }
  await runPool(all, jobs, { course, threads, log, onProgress });

  const pretrained: CurvePretrained[] = [
    ...pretrainJobs.filter((p) => existsSync(p.job.marker)).map((p) => pretrainedFacts(p.objective, p.minutes, dirname(p.job.marker))),
    ...checkpoints.map((c) => pretrainedFacts(c.objective, c.minutes, resolve(c.dir))),
  ];
  const runs: CurveRun[] = finetunes.filter((f) => existsSync(f.job.marker)).map((f) => {
    const metrics = JSON.parse(readFileSync(f.job.marker, "utf8")) as { test: Record<string, number>; wallSeconds: { total: number } };
    const metric = taskSpec(f.task).metric;
    const score = metrics.test[metric];
    if (typeof score !== "number") throw new Error(`objectiveCurve: ${f.job.marker} has no test ${metric}; delete its folder and rerun`);
    return { task: f.task, objective: f.variant.objective, minutes: f.variant.minutes, seed: f.seed, score, metric, dir: dirname(f.job.marker), wallSeconds: metrics.wallSeconds.total };
  });
  const points = curvePoints(tasks, pretrained, runs);
  const comparisons = points.flatMap((p) => (p.comparison === null ? [] : [p.comparison]));
  const result = {
    date: new Date().toISOString(),
    settings: { objectives: [...objectives], minutes, tasks, seeds, corpus: [...corpus], script, vocabSize, limitAlphabet, preset, seqLength, batchSize, pretrainLr, threads, jobs, finetuneFlags: [...finetuneFlags], taskFlags },
    pretrained,
    runs,
    comparisons,
  };
  writeFileSync(join(outRoot, "results.json"), JSON.stringify(result, null, 2) + "\n");
  return { ...result, points, failed: all.filter((j) => j.state === "failed").map((j) => j.name) };
}

/** What a checkpoint folder says of its pretraining (`pretrain.json` from `course pretrain`, or `course-model.json`). */
function pretrainedFacts(objective: string, minutes: number, dir: string): CurvePretrained {
  const file = [join(dir, "pretrain.json"), join(dir, "course-model.json")].find((f) => existsSync(f));
  if (file === undefined) throw new Error(`objectiveCurve: ${dir} has neither pretrain.json (a curve's own pretraining: \`course pretrain\`'s printed summary line, saved there) nor course-model.json (\`course course-model\`): save the summary line \`course pretrain\` prints as ${join(dir, "pretrain.json")}`);
  const facts = JSON.parse(readFileSync(file, "utf8")) as Omit<CurvePretrained, "objective" | "minutes" | "dir">;
  return { objective, minutes, dir, steps: facts.steps, trainSeconds: facts.trainSeconds, corpusTokens: facts.corpusTokens, final: facts.final };
}

/** Refuses a checkpoint whose vocabulary is not the curve's tokenizer's: its scores would not compare with scratch's. */
function sameVocabulary(dir: string, tokenizer: string): void {
  const vocab = (d: string) => (existsSync(join(d, "vocab.txt")) ? readFileSync(join(d, "vocab.txt"), "utf8") : undefined);
  if (vocab(dir) !== vocab(tokenizer)) throw new Error(`objectiveCurve: ${dir}/vocab.txt differs from the curve's tokenizer (${tokenizer}/vocab.txt): pretrain it with that tokenizer, or compare it in its own curve`);
}

/** This checkout's `bin/course.js`. */
function courseScript(): string {
  const root = repoRoot();
  if (root === null) throw new Error(`objectiveCurve: no llm-course checkout above ${__dirname} to run bin/course.js from; pass options.course`);
  return join(root, "bin", "course.js");
}

/**
 * Refuses a folder whose cached runs were made with other settings (a rerun may add objectives, budgets, tasks or
 * seeds, but the tokenizer, checkpoints and fine-tunings already there would silently belong to other settings).
 */
function checkSettings(outRoot: string, settings: CurveSettings): void {
  const file = join(outRoot, "settings.json");
  if (existsSync(file)) {
    const before: Record<string, unknown> = { script: "simplified", ...(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) }; // keys added later, at their default
    for (const [key, now] of Object.entries(settings)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(now)) throw new Error(`${file}: this folder's runs were made with ${key} = ${JSON.stringify(before[key])}, this run asks for ${JSON.stringify(now)}; use another --out (or delete the folder)`);
    }
  } else writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");
}

/** The shared tokenizer (trained once on the cleaned corpus) and, beside it, the architecture `--from scratch` builds. */
async function tokenizerFolder(outRoot: string, corpus: readonly string[], script: ChineseScript, vocabSize: number, limitAlphabet: number, preset: BertPreset, seqLength: number, log: (line: string) => void): Promise<string> {
  const dir = join(outRoot, "tokenizer");
  if (!existsSync(join(dir, "config.json"))) {
    const texts = (await loadPretrainingCorpus(corpus, { script })).documents.map((d) => d.text);
    log(`tokenizer: ${vocabSize} entries, alphabet ≤ ${limitAlphabet} characters, from ${texts.length} documents`);
    const tokenizer = trainWordPiece(texts, { vocabSize, limitAlphabet });
    saveTokenizer(tokenizer, dir, { modelMaxLength: Math.max(128, seqLength) });
    // config.json last: its presence marks the folder complete.
    writeFileSync(join(dir, "config.json"), JSON.stringify(configToHf(bertConfig(preset, { vocabSize: tokenizer.vocabSize, maxPositions: Math.max(128, seqLength + 1) })), null, 2) + "\n");
    log(`tokenizer: ${tokenizer.vocabSize} entries in ${dir}`);
  }
  return dir;
}

type Prediction = { gold: string; predicted: string } | { gold: string[]; predicted: string[] };
const readPredictions = (dir: string): Prediction[] =>
  readFileSync(join(dir, "predictions.jsonl"), "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Prediction);

/** Paired comparison of a variant's seeds with scratch's same seeds on the same test examples (null: none to pair). */
function paired(variant: CurveRun[], scratch: CurveRun[]): { bootstrap: PairedBootstrapResult; mcnemar: number[] } | null {
  const pairs = variant.map((v) => [scratch.find((s) => s.seed === v.seed), v] as const).filter((p): p is readonly [CurveRun, CurveRun] => p[0] !== undefined);
  if (pairs.length === 0) return null;
  const runs = pairs.map(([s, v]) => [readPredictions(s.dir), readPredictions(v.dir)] as const);
  const first = runs[0]![0];
  if (runs.some(([a, b]) => a.length !== first.length || b.length !== first.length)) return null;
  if (!Array.isArray(first[0]?.gold)) {
    const names = [...new Set(first.map((p) => p.gold as string))];
    const id = (label: string) => names.indexOf(label); // unseen predicted names get −1: wrong either way
    const gold = first.map((p) => id(p.gold as string));
    const predicted = (m: 0 | 1) => runs.map((r) => r[m].map((p) => id(p.predicted as string)));
    return {
      bootstrap: pairedBootstrapAccuracySeeds(predicted(0), predicted(1), gold), // A = scratch, B = pretrained
      mcnemar: runs.map((_, s) => mcnemar(predicted(0)[s]!, predicted(1)[s]!, gold).pValue),
    };
  }
  const tags = (m: 0 | 1) => runs.map((r) => r[m].map((p) => p.predicted as string[]));
  return { bootstrap: pairedBootstrapEntityF1Seeds(first.map((p) => p.gold as string[]), tags(0), tags(1), { scheme: "IOB2" }), mcnemar: [] };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** Groups the runs into the curve's points, each pretrained one paired with scratch. */
function curvePoints(tasks: readonly TaskName[], pretrained: readonly CurvePretrained[], runs: readonly CurveRun[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const task of tasks) {
    const scratch = runs.filter((r) => r.task === task && r.objective === "scratch");
    const groups = [...(scratch.length > 0 ? [["scratch", 0] as const] : []), ...[...pretrained].sort((a, b) => a.objective.localeCompare(b.objective) || a.minutes - b.minutes).map((p) => [p.objective, p.minutes] as const)];
    for (const [objective, m] of groups) {
      const group = runs.filter((r) => r.task === task && r.objective === objective && r.minutes === m);
      if (group.length === 0) continue;
      const scores = group.map((r) => r.score);
      const p = objective === "scratch" ? null : paired(group, scratch);
      points.push({
        task, metric: group[0]!.metric, objective, minutes: m, scores, mean: mean(scores), std: std(scores),
        pretrained: pretrained.find((x) => x.objective === objective && x.minutes === m) ?? null,
        comparison: p === null ? null : { task, objective, minutes: m, delta: p.bootstrap.difference, pBootstrap: p.bootstrap.pValue, mcnemar: p.mcnemar },
      });
    }
  }
  return points;
}
