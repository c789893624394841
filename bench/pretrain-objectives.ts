/**
 * The measurement that decides (issue #20, deliverable 4): downstream test score against pretraining wall-clock
 * minutes, for each pretraining objective, with fine-tuning held equal. For every objective × budget it
 * pretrains the same BERT on the same corpus and tokenizer (`course pretrain --minutes M`: the learning rate warms
 * up and decays over the budget, Cramming §4.3), then fine-tunes every task for every seed through `course
 * finetune` with identical flags (same train subset per seed, epochs, lr, max length); budget 0 is the same
 * architecture from random init ("scratch"), fine-tuned the same way. Prints a markdown table — task × objective ×
 * minutes → mean ± std of the test score over seeds, and the paired comparison with scratch — then one JSON line
 * with every run, also written to `<out>/results.json`.
 *
 * Paired test (same test examples, same seeds): the paired bootstrap (Koehn 2004; `lib/eval`'s
 * `pairedBootstrapAccuracySeeds`, `pairedBootstrapEntityF1Seeds`) of the seed-averaged score — accuracy, or CoNLL
 * entity F1 resampling sentences — gives δ = pretrained − scratch with its 95 % interval and p = share of resamples
 * with δ ≤ 0; for classification also McNemar's exact test per seed (`mcnemar`), as bench/finetune-all.ts reports.
 *
 * Objectives (`RECIPES`): `mlm` — BERT's masked LM (80/10/10, dropout, `--batch`×`--seq`); `babyberta` —
 * BabyBERTa / Cramming settings (always `[MASK]`, no dropout, twice the batch of half-length inputs: the same
 * tokens per step); `electra` — replaced-token detection (lib/pretrain/electra.ts; the discriminator fine-tunes).
 * All read the cleaned corpus (`course pretrain --clean`: `loadPretrainingCorpus`, no task validation/test text)
 * and share one WordPiece vocabulary (`--vocab` entries, alphabet limited to `--limit-alphabet` characters).
 *
 * Every pretraining and fine-tuning is a `course` child process with `COURSE_THREADS=--threads`, `--jobs` at a time
 * (fine-tunings wait for their checkpoint); each job's output goes to `<its folder>.log`. A budget is CPU-minutes
 * of the pretraining process (`--budget-clock cpu`: every thread's CPU time), so jobs side by side, or a
 * neighbour on the machine, do not change how much compute a budget buys; run at most as many jobs as cores.
 *
 * Resumable: a pretraining whose `pretrain.json` exists, and a fine-tuning whose `metrics.json` exists, are not run
 * again; `<out>/settings.json` refuses a rerun with other corpus, model, pretraining or fine-tuning settings.
 *
 * Run (two single-thread jobs on the 2-core machine):
 *   npx tsx bench/pretrain-objectives.ts --objectives mlm,babyberta,electra --minutes 0,10,30 --jobs 2 \
 *     --tasks fpb,sst2,banking77,conll2003 --seeds 3 --out out/pretrain-objectives \
 *     --task-flags "banking77=--train-limit 4000 --epochs 4" -- --train-limit 2000 --epochs 3 --lr 1e-3 --max-length 64
 * Options: --corpus NAMES (datasets; default the larger course corpus, `COURSE_CORPUS_LARGE`) · --vocab N (10000) ·
 *   --limit-alphabet N (3000) · --preset tiny · --seq 128 · --batch 32 · --pretrain-lr 2e-3 · --pretrain-seed 0 ·
 *   --jobs 1 · --threads 1 · --task-flags "TASK=FLAGS;TASK=FLAGS" (appended for that task; later flags win). After
 *   `--`: flags for every `course finetune`.
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { mcnemar, pairedBootstrapAccuracySeeds, pairedBootstrapEntityF1Seeds, type PairedBootstrapResult } from "../lib/eval";
import { bertConfig, configToHf, type BertPreset } from "../lib/model";
import { COURSE_CORPUS_LARGE, loadPretrainingCorpus } from "../lib/pretrain";
import { loadTokenizer, saveTokenizer, trainWordPiece } from "../lib/text";
import { taskSpec, type TaskName } from "../lib/tasks";

/** One pretraining recipe: its `course pretrain` flags, given the harness's batch size and sequence length. */
type Recipe = (batch: number, seq: number) => string[];

/** The objectives this harness compares; a new one is one entry. */
const RECIPES: Record<string, Recipe> = {
  mlm: (batch, seq) => ["--batch", String(batch), "--seq", String(seq)],
  babyberta: (batch, seq) => ["--always-mask", "--no-dropout", "--batch", String(batch * 2), "--seq", String(Math.max(8, Math.floor(seq / 2)))],
  electra: (batch, seq) => ["--objective", "electra", "--batch", String(batch), "--seq", String(seq)],
};

/** Bad input: one line naming it, exit 1. */
const fail = (message: string): never => {
  console.error(`pretrain-objectives: ${message}`);
  process.exit(1);
};

const FLAGS = ["out", "objectives", "minutes", "tasks", "seeds", "corpus", "vocab", "limit-alphabet", "preset", "seq", "batch", "pretrain-lr", "pretrain-seed", "jobs", "threads", "task-flags"] as const;
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
const objectives = list("objectives", "mlm,babyberta,electra");
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
const corpus = list("corpus", COURSE_CORPUS_LARGE.join(","));
const preset = value("preset", "tiny") as BertPreset;
const seqLength = number("seq", "128");
const batchSize = number("batch", "32");
const pretrainLr = number("pretrain-lr", "2e-3");
const pretrainSeed = number("pretrain-seed", "0");
const vocabSize = number("vocab", "10000");
const limitAlphabet = number("limit-alphabet", "3000");
const jobs = Math.max(1, number("jobs", "1"));
const threads = Math.max(1, number("threads", "1"));
/** `--task-flags "banking77=--epochs 4;conll2003=--epochs 3"` → flags appended for that task. */
const taskFlags = new Map<string, string[]>(
  value("task-flags", "").split(";").map((s) => s.trim()).filter((s) => s !== "").map((entry) => {
    const eq = entry.indexOf("=");
    if (eq < 0) return fail(`--task-flags: "${entry}" is not TASK=FLAGS`);
    const task = taskSpec(entry.slice(0, eq).trim()).name;
    return [task, entry.slice(eq + 1).trim().split(/\s+/)] as [string, string[]];
  }),
);
const ROOT = resolve(__dirname, "..");
const COURSE = join(ROOT, "bin", "course.js");
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** One pretrained checkpoint of the grid (what `course pretrain` printed). */
interface Pretrained {
  objective: string;
  minutes: number;
  dir: string;
  steps: number;
  trainSeconds: number;
  corpusTokens: { train: number; heldOut: number };
  final: Record<string, number> | null;
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

/** A `course` child process: done when `marker` exists; runs after `after` (if any) succeeded. */
interface Job {
  name: string;
  args: string[];
  marker: string;
  after?: Job;
  state?: "running" | "ok" | "failed";
}

/** Runs one job, its output into `<marker's folder>.log`. */
function runJob(job: Job): Promise<boolean> {
  const dir = dirname(job.marker);
  mkdirSync(dirname(dir), { recursive: true });
  const logFile = `${dir}.log`;
  log(`start ${job.name} (log: ${logFile})`);
  const began = Date.now();
  return new Promise((done) => {
    const out = createWriteStream(logFile);
    const child = spawn(process.execPath, [COURSE, ...job.args], { env: { ...process.env, COURSE_THREADS: String(threads) }, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => {
      stdout.push(b);
      out.write(b);
    });
    child.stderr.pipe(out);
    child.on("close", (code) => {
      out.end();
      if (code === 0 && job.marker.endsWith("pretrain.json")) writeFileSync(job.marker, Buffer.concat(stdout).toString("utf8").trim().split("\n").at(-1) + "\n");
      const ok = code === 0 && existsSync(job.marker);
      log(`${ok ? "done" : `FAILED (exit ${code}; see ${logFile}; rerun to retry)`} ${job.name} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
      done(ok);
    });
  });
}

/** Runs the jobs `width` at a time, each after its dependency; jobs whose marker exists are skipped. */
async function runPool(all: Job[], width: number): Promise<void> {
  for (const job of all) if (existsSync(job.marker)) job.state = "ok";
  const running = new Set<Promise<void>>();
  for (;;) {
    const ready = all.find((j) => j.state === undefined && (j.after === undefined || j.after.state === "ok"));
    for (const j of all) if (j.state === undefined && j.after?.state === "failed") j.state = "failed";
    if (ready !== undefined && running.size < width) {
      ready.state = "running";
      const p: Promise<void> = runJob(ready).then((ok) => {
        ready.state = ok ? "ok" : "failed";
        running.delete(p);
      });
      running.add(p);
      continue;
    }
    if (running.size === 0) return;
    await Promise.race(running);
  }
}

/** The shared tokenizer (trained once on the cleaned corpus) and the architecture `--from scratch` builds. */
async function tokenizerFolder(): Promise<string> {
  const dir = join(outRoot, "tokenizer");
  if (!existsSync(join(dir, "config.json"))) {
    const texts = (await loadPretrainingCorpus(corpus)).documents.map((d) => d.text);
    log(`tokenizer: ${vocabSize} entries, alphabet ≤ ${limitAlphabet} characters, from ${texts.length} documents`);
    const tokenizer = trainWordPiece(texts, { vocabSize, limitAlphabet });
    saveTokenizer(tokenizer, dir, { modelMaxLength: Math.max(128, seqLength) });
    writeFileSync(join(dir, "config.json"), JSON.stringify(configToHf(bertConfig(preset, { vocabSize: tokenizer.vocabSize, maxPositions: Math.max(128, seqLength + 1) })), null, 2) + "\n");
  }
  return dir;
}

/** The `course pretrain` job of one objective and budget. */
function pretrainJob(objective: string, budget: number, tokenizer: string): Job {
  const dir = join(outRoot, "pretrain", `${objective}-${budget}min`);
  const args = ["pretrain", "--clean", "--corpus", ...corpus, "--tokenizer", tokenizer, "--out", dir, "--config", preset, "--minutes", String(budget), "--budget-clock", "cpu", "--steps", "10000000", "--lr", String(pretrainLr), "--seed", String(pretrainSeed), "--resume", "--eval-every", "500", "--checkpoint-every", "500", ...(RECIPES[objective] as Recipe)(batchSize, seqLength)];
  return { name: `pretrain ${objective} ${budget} min`, args, marker: join(dir, "pretrain.json") };
}

/** The `course finetune` job of one task, variant and seed with the shared flags. */
function finetuneJob(task: TaskName, variant: string, from: string[], seed: number, after?: Job): Job {
  const dir = join(outRoot, "finetune", task, variant, `seed-${seed}`);
  const args = ["finetune", "--quiet", "--task", task, ...from, "--out", dir, "--seed", String(seed), ...extra, ...(taskFlags.get(task) ?? [])];
  return { name: `finetune ${task} ${variant} seed ${seed}`, args, marker: join(dir, "metrics.json"), after };
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
  const settings = { corpus, vocab: vocabSize, limitAlphabet, preset, seqLength, batchSize, pretrainLr, pretrainSeed, threads, finetuneFlags: extra, taskFlags: Object.fromEntries(taskFlags) };
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
  const tokenizer = await tokenizerFolder();
  log(`tokenizer: ${loadTokenizer(tokenizer).vocabSize} entries in ${tokenizer}`);

  // Longest pretraining first (the pool then packs the shorter ones and the fine-tunings around it).
  const budgets = objectives.flatMap((o) => minutes.filter((m) => m > 0).map((m) => [o, m] as const)).sort((a, b) => b[1] - a[1]);
  const pretrainJobs = budgets.map(([o, m]) => ({ objective: o, minutes: m, job: pretrainJob(o, m, tokenizer) }));
  const variants = [
    ...(minutes.includes(0) ? [{ objective: "scratch", minutes: 0, name: "scratch", from: ["--from", "scratch", "--tokenizer", tokenizer], after: undefined as Job | undefined }] : []),
    ...pretrainJobs.map((p) => ({ objective: p.objective, minutes: p.minutes, name: `${p.objective}-${p.minutes}min`, from: ["--from", dirname(p.job.marker)], after: p.job })),
  ];
  const finetunes = tasks.flatMap((task) => variants.flatMap((v) => seeds.map((seed) => ({ task, variant: v, seed, job: finetuneJob(task, v.name, v.from, seed, v.after) }))));
  await runPool([...pretrainJobs.map((p) => p.job), ...finetunes.map((f) => f.job)], jobs);

  const pretrained: Pretrained[] = pretrainJobs.filter((p) => existsSync(p.job.marker)).map((p) => {
    const printed = JSON.parse(readFileSync(p.job.marker, "utf8")) as Omit<Pretrained, "objective" | "minutes" | "dir">;
    return { objective: p.objective, minutes: p.minutes, dir: dirname(p.job.marker), steps: printed.steps, trainSeconds: printed.trainSeconds, corpusTokens: printed.corpusTokens, final: printed.final };
  });
  const runs: Run[] = finetunes.filter((f) => existsSync(f.job.marker)).map((f) => {
    const metrics = JSON.parse(readFileSync(f.job.marker, "utf8")) as { test: Record<string, number>; wallSeconds: { total: number } };
    const metric = taskSpec(f.task).metric;
    return { task: f.task, objective: f.variant.objective, minutes: f.variant.minutes, seed: f.seed, score: metrics.test[metric] as number, metric, dir: dirname(f.job.marker), wallSeconds: metrics.wallSeconds.total };
  });

  const rows: string[] = [];
  const comparisons: Record<string, unknown>[] = [];
  for (const task of tasks) {
    const scratch = runs.filter((r) => r.task === task && r.objective === "scratch");
    const groups = [...(scratch.length > 0 ? [["scratch", 0] as const] : []), ...[...pretrained].sort((a, b) => a.objective.localeCompare(b.objective) || a.minutes - b.minutes).map((p) => [p.objective, p.minutes] as const)];
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
  console.log(`\nPretraining (${preset}, ${batchSize}×${seqLength} tokens per step or the recipe's equal, lr ${pretrainLr}, ${threads} thread(s) per job, ${jobs} job(s) at once):\n`);
  console.log("| objective | minutes | steps | train s | held-out metrics |\n|---|---:|---:|---:|---|");
  for (const p of pretrained) console.log(`| ${p.objective} | ${p.minutes} | ${p.steps} | ${Math.round(p.trainSeconds)} | ${Object.entries(p.final ?? {}).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(" · ")} |`);
  console.log(`\nFine-tuned test score (flags: ${extra.join(" ") || "the tasks' defaults"}${taskFlags.size > 0 ? `; ${[...taskFlags].map(([t, f]) => `${t}: ${f.join(" ")}`).join("; ")}` : ""}; seeds ${seeds.join(",")}):\n`);
  console.log("| task | metric | objective | minutes | steps / s | test mean ± std | pretrained − scratch, paired bootstrap of the seed mean [95% CI] | McNemar p per seed |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  const results = { date: new Date().toISOString(), settings: { objectives, minutes, tasks, seeds, corpus, vocabSize, limitAlphabet, preset, seqLength, batchSize, pretrainLr, threads, jobs, finetuneFlags: extra, taskFlags: Object.fromEntries(taskFlags) }, pretrained, runs, comparisons };
  writeFileSync(join(outRoot, "results.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(JSON.stringify(results));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
