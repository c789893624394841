/**
 * The measurement that decides (issue #20, deliverable 4): downstream test score against pretraining wall-clock
 * minutes, for each pretraining objective, with fine-tuning held equal. For every objective × budget it
 * pretrains the same BERT on the same corpus and tokenizer, then fine-tunes every task for every seed through
 * `course finetune` with identical flags (same train subset per seed, epochs, lr, max length); budget 0 is the
 * same architecture from random init ("scratch"), fine-tuned the same way. Prints a markdown table — task ×
 * objective × minutes → mean ± std of the test score over seeds, and the paired comparison with scratch — then
 * one JSON line with every run, also written to `<out>/results.json`.
 *
 * Paired test (same test examples, same seeds): the paired bootstrap (Koehn 2004; `lib/eval`'s `pairedBootstrapAccuracySeeds`,
 * `pairedBootstrapEntityF1Seeds`)
 * of the seed-averaged score — accuracy, or CoNLL entity F1 resampling sentences — gives δ = pretrained − scratch
 * with its 95 % interval and p = share of resamples with δ ≤ 0; for classification also McNemar's exact test per
 * seed (`mcnemar`), as bench/finetune-all.ts reports.
 *
 * Budgets: `pretrain()` has no wall-clock budget on this branch, so the harness turns minutes into steps with a
 * short throughput probe per objective (`--probe-steps` steps, default 8; the median step after the first two), then pretrains
 * that many steps (the schedule's warm-up and decay fit the budget) and records the seconds it really took.
 * When `pretrain({ budgetMinutes })` lands (the corpus branch, `course course-model --minutes`), a recipe can
 * pass it instead.
 *
 * Objectives (`RECIPES` below): `mlm` — today's masked-LM recipe; `electra` — replaced-token detection
 * (lib/pretrain/electra.ts). New recipes (BabyBERTa / Cramming settings from the corpus branch) are one entry in
 * `RECIPES`: a name → changes to the config and the `pretrain()` options.
 *
 * Each budget is its own run from random init (its schedule fits its budget), so 5, 15, 30 and 60 minutes cost
 * 110 minutes per objective.
 *
 * Resumable: a pretraining whose `<out>/pretrain/<objective>-<m>min/harness.json` exists, and a fine-tuning whose
 * `metrics.json` exists, are not run again; `<out>/settings.json` refuses a rerun with other corpus, model,
 * pretraining or fine-tuning settings.
 *
 * Run (one thread, niced, on a shared machine):
 *   COURSE_THREADS=1 nice -n 10 npx tsx bench/pretrain-objectives.ts --objectives mlm,electra --minutes 0,5,15,30,60 \
 *     --tasks fpb,sst2,banking77,conll2003 --seeds 3 --out out/pretrain-objectives [-- extra course finetune flags]
 * Options: --corpus NAMES (datasets of `datasetTexts`; default the course model's corpus) · --vocab N (16000) ·
 *   --tokenizer DIR (reuse a tokenizer instead of training one) · --preset tiny · --seq 128 · --batch 32 ·
 *   --pretrain-lr 2e-3 · --probe-steps 8 · --pretrain-seed 0. After `--`: flags for every `course finetune`
 *   (e.g. `-- --train-limit 2000 --epochs 2 --lr 1e-3 --max-length 64`).
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureBackend } from "../lib/core/backend";
import { datasetTexts } from "../lib/data/texts";
import { mcnemar, pairedBootstrapAccuracySeeds, pairedBootstrapEntityF1Seeds, type PairedBootstrapResult } from "../lib/eval";
import { bertConfig, configToHf, type BertConfig, type BertPreset } from "../lib/model";
import { COURSE_MODELS, pretrain, type PretrainOptions } from "../lib/pretrain";
import { loadTokenizer, saveTokenizer, trainWordPiece, type BertTokenizer } from "../lib/text";
import { taskSpec, type TaskName } from "../lib/tasks";

/** One pretraining recipe: what it changes in the model config and in `pretrain()`'s options. */
type Recipe = (base: { config: BertConfig; options: PretrainOptions }) => { config: BertConfig; options: PretrainOptions };

/**
 * The objectives this harness can run. The hook for the corpus branch's BabyBERTa / Cramming recipe: add
 * e.g. `cramming: ({ config, options }) => ({ config: { ...config, hiddenDropout: 0, attentionDropout: 0 }, options: { ...options, ... } })`
 * once `lib/pretrain` has its options, and name it in `--objectives`.
 */
const RECIPES: Record<string, Recipe> = {
  mlm: ({ config, options }) => ({ config, options: { ...options, objective: "mlm" } }),
  electra: ({ config, options }) => ({ config, options: { ...options, objective: "electra" } }),
};

/** Bad input: one line naming it, exit 1. */
const fail = (message: string): never => {
  console.error(`pretrain-objectives: ${message}`);
  process.exit(1);
};

const FLAGS = ["out", "objectives", "minutes", "tasks", "seeds", "corpus", "vocab", "tokenizer", "preset", "seq", "batch", "pretrain-lr", "probe-steps", "pretrain-seed"] as const;
const argv = process.argv.slice(2);
const dashdash = argv.indexOf("--");
const extra = dashdash >= 0 ? argv.slice(dashdash + 1) : []; // for every `course finetune`
const parsed = (() => {
  try {
    return parseArgs({ args: dashdash >= 0 ? argv.slice(0, dashdash) : argv, options: Object.fromEntries(FLAGS.map((f) => [f, { type: "string" as const }])), strict: true }).values as Partial<Record<(typeof FLAGS)[number], string>>;
  } catch (error) {
    return fail(`${(error as Error).message} (flags: ${FLAGS.map((f) => `--${f}`).join(" ")}; fine-tuning flags go after --)`);
  }
})();
const value = (name: (typeof FLAGS)[number], fallback: string): string => parsed[name] ?? fallback;
const list = (name: (typeof FLAGS)[number], fallback: string) => value(name, fallback).split(",").map((s) => s.trim()).filter((s) => s !== "");
const number = (name: (typeof FLAGS)[number], fallback: string): number => {
  const x = Number(value(name, fallback));
  if (!Number.isFinite(x) || x < 0) fail(`--${name} ${value(name, fallback)}: give a non-negative number`);
  return x;
};

const outRoot = resolve(value("out", "out/pretrain-objectives"));
const objectives = list("objectives", "mlm,electra");
for (const o of objectives) {
  if (RECIPES[o] === undefined) fail(`--objectives: "${o}" is not a recipe here (have: ${Object.keys(RECIPES).join(", ")}); a new recipe is one entry in RECIPES in bench/pretrain-objectives.ts`);
}
const minutes = [...new Set(list("minutes", "0,5,15,30,60").map(Number))].sort((a, b) => a - b);
if (minutes.some((m) => !(m >= 0))) fail(`--minutes ${value("minutes", "")}: give non-negative minutes, e.g. 0,5,15`);
const tasks = list("tasks", "fpb,sst2,banking77,conll2003").map((t): TaskName => {
  try {
    return taskSpec(t).name;
  } catch (error) {
    return fail(`--tasks: ${(error as Error).message}`);
  }
});
const seeds = Array.from({ length: number("seeds", "3") }, (_, i) => i);
if (seeds.length === 0) fail("--seeds must be at least 1");
const corpus = list("corpus", COURSE_MODELS.full.corpus.join(","));
const preset = value("preset", "tiny") as BertPreset;
const seqLength = number("seq", "128");
const batchSize = number("batch", "32");
const pretrainLr = number("pretrain-lr", "2e-3");
const probeSteps = Math.max(3, number("probe-steps", "8"));
const pretrainSeed = number("pretrain-seed", "0");
const ROOT = resolve(__dirname, "..");
const log = (line: string) => process.stderr.write(`${line}\n`);

/** One pretrained checkpoint of the grid. */
interface Pretrained {
  objective: string;
  minutes: number;
  dir: string;
  steps: number;
  /** Seconds per step the probe measured, and the training seconds the run took (steps only). */
  probeSecondsPerStep: number;
  trainSeconds: number;
  final: Record<string, number>;
}

/** One fine-tuning run (test metrics and where its predictions are). */
interface Run {
  task: TaskName;
  objective: string;
  minutes: number;
  seed: number;
  score: number;
  metric: string;
  dir: string;
  wallSeconds: number;
}

/** The tokenizer (trained once on the corpus and cached, or `--tokenizer`) and the folder `--from scratch` copies. */
function tokenizerFolder(texts: readonly string[], config: (t: BertTokenizer) => BertConfig): { dir: string; tokenizer: BertTokenizer; config: BertConfig } {
  const given = parsed.tokenizer === undefined ? undefined : resolve(parsed.tokenizer);
  const dir = join(outRoot, "tokenizer");
  let tokenizer: BertTokenizer;
  if (existsSync(join(dir, "tokenizer.json"))) tokenizer = loadTokenizer(dir);
  else {
    tokenizer = given !== undefined ? loadTokenizer(given) : trainWordPiece(texts, { vocabSize: number("vocab", "16000") });
    saveTokenizer(tokenizer, dir, { modelMaxLength: Math.max(128, seqLength) });
  }
  const c = config(tokenizer);
  writeFileSync(join(dir, "config.json"), JSON.stringify(configToHf(c), null, 2) + "\n"); // the architecture `--from scratch` builds
  return { dir, tokenizer, config: c };
}

/** Pretrains `objective` for a `budget` of minutes (steps from a throughput probe), unless done before. */
function pretrainFor(objective: string, budget: number, base: { config: BertConfig; tokenizer: BertTokenizer; texts: readonly string[] }): Pretrained {
  const dir = join(outRoot, "pretrain", `${objective}-${budget}min`);
  const record = join(dir, "harness.json");
  if (existsSync(record)) {
    log(`pretrain ${objective} ${budget} min: done before (${record}), skipped`);
    return JSON.parse(readFileSync(record, "utf8")) as Pretrained;
  }
  const recipe = (RECIPES[objective] as Recipe)({ config: base.config, options: { steps: 1, batchSize, seqLength, lr: pretrainLr, seed: pretrainSeed } });
  log(`pretrain ${objective}: probing throughput (${probeSteps} steps of ${batchSize}×${seqLength})…`);
  const probe = pretrain(recipe.config, base.tokenizer, base.texts, { ...recipe.options, steps: probeSteps });
  probe.model.dispose();
  const timed = probe.history.slice(2).map((r) => r.seconds).sort((a, b) => a - b); // the first steps pay for compilation and allocation
  const secondsPerStep = timed[Math.floor(timed.length / 2)] as number; // the median: robust to a neighbour's burst on a shared machine
  const steps = Math.max(1, Math.round((budget * 60) / secondsPerStep));
  log(`pretrain ${objective} ${budget} min: ${secondsPerStep.toFixed(3)} s/step → ${steps} steps`);
  const every = Math.max(10, Math.floor(steps / 10));
  const result = pretrain(recipe.config, base.tokenizer, base.texts, { ...recipe.options, steps, outDir: dir, resume: true, checkpointEvery: every, evalEvery: every });
  result.model.dispose();
  const done: Pretrained = {
    objective,
    minutes: budget,
    dir,
    steps,
    probeSecondsPerStep: secondsPerStep,
    trainSeconds: result.history.reduce((s, r) => s + r.seconds, 0),
    final: result.evaluations.at(-1)?.metrics ?? {},
  };
  writeFileSync(record, JSON.stringify(done, null, 2) + "\n");
  return done;
}

/** `course finetune` of one task, variant and seed with the shared flags, unless its metrics.json exists. */
function finetune(task: TaskName, from: string[], out: string, seed: number): { score: number; wallSeconds: number } | null {
  const file = join(out, "metrics.json");
  if (!existsSync(file)) {
    const args = [join(ROOT, "bin", "course.js"), "finetune", "--quiet", "--task", task, ...from, "--out", out, "--seed", String(seed), ...extra];
    log(`node ${args.slice(1).join(" ")}`);
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0 || !existsSync(file)) {
      log(`${out}: failed (exit ${r.status}); rerun to retry`);
      return null;
    }
  }
  const metrics = JSON.parse(readFileSync(file, "utf8")) as { test: Record<string, number>; wallSeconds: { total: number } };
  return { score: metrics.test[taskSpec(task).metric] as number, wallSeconds: metrics.wallSeconds.total };
}

type Prediction = { gold: string; predicted: string } | { gold: string[]; predicted: string[] };
const readPredictions = (dir: string): Prediction[] =>
  readFileSync(join(dir, "predictions.jsonl"), "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Prediction);

/** Paired comparison of a variant's seeds with scratch's same seeds on the same test examples. */
interface Paired {
  bootstrap: PairedBootstrapResult;
  /** McNemar's p per seed (classification only). */
  mcnemar: number[];
}

function paired(variant: Run[], scratch: Run[]): Paired | null {
  const pairs = variant.map((v) => [scratch.find((s) => s.seed === v.seed), v] as const).filter((p): p is readonly [Run, Run] => p[0] !== undefined);
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
const formatP = (p: number): string => (p < 1e-4 ? "< 0.0001" : p < 0.01 ? p.toFixed(4) : p.toFixed(2));

/**
 * What every cached run in `outRoot` was made with: a rerun may add objectives, budgets, tasks or seeds, but must
 * not change these (the cached tokenizer, checkpoints and fine-tunings would silently belong to other settings).
 */
function checkSettings(): void {
  const settings = { corpus, vocab: parsed.tokenizer === undefined ? number("vocab", "16000") : `tokenizer ${resolve(parsed.tokenizer)}`, preset, seqLength, batchSize, pretrainLr, probeSteps, pretrainSeed, finetuneFlags: extra };
  const file = join(outRoot, "settings.json");
  if (existsSync(file)) {
    const before = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const [key, now] of Object.entries(settings)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(now)) fail(`${file}: this folder's runs were made with ${key} = ${JSON.stringify(before[key])}, this run asks for ${JSON.stringify(now)}; use another --out (or delete the folder)`);
    }
  } else writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");
}

async function main(): Promise<void> {
  mkdirSync(outRoot, { recursive: true });
  checkSettings();
  log((await ensureBackend()).backend);
  const texts: string[] = [];
  for (const name of corpus) texts.push(...(await datasetTexts(name)));
  log(`corpus: ${texts.length} texts from ${corpus.join(", ")}`);
  const base = tokenizerFolder(texts, (t) => bertConfig(preset, { vocabSize: t.vocabSize, maxPositions: Math.max(128, seqLength) }));

  const pretrained: Pretrained[] = [];
  for (const objective of objectives) for (const m of minutes.filter((x) => x > 0)) pretrained.push(pretrainFor(objective, m, { ...base, texts }));

  const runs: Run[] = [];
  for (const task of tasks) {
    const metric = taskSpec(task).metric;
    const variants = [
      ...(minutes.includes(0) ? [{ objective: "scratch", minutes: 0, from: ["--from", "scratch", "--tokenizer", base.dir] }] : []),
      ...pretrained.map((p) => ({ objective: p.objective, minutes: p.minutes, from: ["--from", p.dir] })),
    ];
    for (const v of variants) {
      for (const seed of seeds) {
        const dir = join(outRoot, "finetune", task, v.objective === "scratch" ? "scratch" : `${v.objective}-${v.minutes}min`, `seed-${seed}`);
        const r = finetune(task, v.from, dir, seed);
        if (r !== null) runs.push({ task, objective: v.objective, minutes: v.minutes, seed, score: r.score, metric, dir, wallSeconds: r.wallSeconds });
      }
    }
  }

  const rows: string[] = [];
  const comparisons: Record<string, unknown>[] = [];
  for (const task of tasks) {
    const scratch = runs.filter((r) => r.task === task && r.objective === "scratch");
    const groups = [...(scratch.length > 0 ? [["scratch", 0] as const] : []), ...pretrained.map((p) => [p.objective, p.minutes] as const)];
    for (const [objective, m] of groups) {
      const group = runs.filter((r) => r.task === task && r.objective === objective && r.minutes === m);
      if (group.length === 0) continue;
      const scores = group.map((r) => r.score);
      const p = objective === "scratch" ? null : paired(group, scratch);
      const pre = pretrained.find((x) => x.objective === objective && x.minutes === m);
      const cell = p === null ? "—" : `${p.bootstrap.difference.value >= 0 ? "+" : ""}${p.bootstrap.difference.value.toFixed(3)} [${p.bootstrap.difference.low.toFixed(3)}, ${p.bootstrap.difference.high.toFixed(3)}], p = ${formatP(p.bootstrap.pValue)}`;
      const mc = p === null || p.mcnemar.length === 0 ? "—" : p.mcnemar.map(formatP).join(" · ");
      rows.push(`| ${task} | ${group[0]!.metric} | ${objective} | ${m} | ${pre ? `${pre.steps} / ${Math.round(pre.trainSeconds)}` : "—"} | ${mean(scores).toFixed(4)} ± ${std(scores).toFixed(4)} (n=${scores.length}) | ${cell} | ${mc} |`);
      if (p !== null) comparisons.push({ task, objective, minutes: m, delta: p.bootstrap.difference, pBootstrap: p.bootstrap.pValue, mcnemar: p.mcnemar });
    }
  }
  console.log(`\nPretraining objectives × wall-clock budget → fine-tuned test score (BERT-${preset}, ${batchSize}×${seqLength}, pretraining lr ${pretrainLr}; fine-tuning flags: ${extra.join(" ") || "the tasks' defaults"}; seeds ${seeds.join(",")})\n`);
  console.log("| task | metric | objective | minutes | steps / s | test mean ± std | pretrained − scratch, paired bootstrap of the seed mean [95% CI] | McNemar p per seed |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  const results = { date: new Date().toISOString(), settings: { objectives, minutes, tasks, seeds, corpus, preset, seqLength, batchSize, pretrainLr, finetuneFlags: extra }, pretrained, runs, comparisons };
  writeFileSync(join(outRoot, "results.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(JSON.stringify(results));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
