/**
 * The measurement that decides (issue #20, deliverable 4): downstream test score against pretraining CPU-minutes,
 * for each pretraining objective, with fine-tuning held equal — a command line over `lib/pretrain`'s
 * `objectiveCurve` (which documents the design: shared tokenizer, `course pretrain --minutes M --budget-clock cpu`
 * per objective × budget, `course finetune` per task × variant × seed with identical flags, budget 0 = scratch, the
 * paired bootstrap (Koehn 2004) and McNemar's test against scratch). Prints a markdown table — task × objective ×
 * minutes → mean ± std of the test score over seeds, and the paired comparison with scratch — then one JSON line
 * with every run, also written to `<out>/results.json`.
 *
 * Objectives: `mlm`, `babyberta`, `electra` (`OBJECTIVE_RECIPES`). Every job is a `course` child process with
 * `COURSE_THREADS=--threads`, `--jobs` at a time; each job's output goes to `<its folder>.log`. Run at most as many
 * jobs as cores.
 *
 * Resumable: a pretraining whose `pretrain.json` exists, and a fine-tuning whose `metrics.json` exists, are not run
 * again; `<out>/settings.json` refuses a rerun with other corpus, model, pretraining or fine-tuning settings.
 *
 * Run (two single-thread jobs on the 2-core machine):
 *   npx tsx bench/pretrain-objectives.ts --objectives mlm,babyberta,electra --minutes 0,10,30 --jobs 2 \
 *     --tasks fpb,sst2,banking77,conll2003 --seeds 3 --out out/pretrain-objectives \
 *     --task-flags "banking77=--train-limit 4000 --epochs 4" -- --train-limit 2000 --epochs 3 --lr 1e-3 --max-length 64
 * Options: --corpus NAMES (datasets; default the larger course corpus, `COURSE_CORPUS_LARGE`) · --script
 *   simplified|original (Chinese text converted to Simplified, the default, or as the source wrote it) · --vocab N (10000) ·
 *   --limit-alphabet N (3000) · --preset tiny · --seq 128 · --batch 32 · --pretrain-lr 2e-3 · --pretrain-seed 0 ·
 *   --jobs 1 · --threads 1 · --task-flags "TASK=FLAGS;TASK=FLAGS" (appended for that task; later flags win) ·
 *   --checkpoints "OBJECTIVE:MINUTES=DIR,…" (checkpoints pretrained elsewhere with the curve's tokenizer, fine-tuned
 *   and compared too: DIR may be `course:full`, the course model, built first when missing; it needs course-model.json
 *   or pretrain.json, the summary line `course pretrain` prints). After `--`: flags for every `course finetune`.
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import type { BertPreset } from "../lib/model";
import { COURSE_CORPUS_LARGE, objectiveCurve } from "../lib/pretrain";
import { resolveCheckpoint } from "../lib/tasks";

/** Bad input: one line naming it, exit 1. */
const fail = (message: string): never => {
  console.error(`pretrain-objectives: ${message}`);
  process.exit(1);
};

const FLAGS = ["out", "objectives", "minutes", "tasks", "seeds", "corpus", "vocab", "limit-alphabet", "preset", "seq", "batch", "pretrain-lr", "pretrain-seed", "jobs", "threads", "task-flags", "checkpoints", "script"] as const;
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
/** `--task-flags "banking77=--epochs 4;conll2003=--epochs 3"` → flags appended for that task. */
const taskFlags = Object.fromEntries(
  value("task-flags", "").split(";").map((s) => s.trim()).filter((s) => s !== "").map((entry) => {
    const eq = entry.indexOf("=");
    if (eq < 0) return fail(`--task-flags: "${entry}" is not TASK=FLAGS`);
    return [entry.slice(0, eq).trim(), entry.slice(eq + 1).trim().split(/\s+/)] as [string, string[]];
  }),
);
const minutes = list("minutes", "0,5,15,30,60").map(Number);
if (minutes.some((m) => !(m >= 0))) fail(`--minutes ${value("minutes", "")}: give non-negative minutes, e.g. 0,5,15`);
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const formatP = (p: number): string => (p < 1e-4 ? "< 0.0001" : p < 0.01 ? p.toFixed(4) : p.toFixed(2));

/** `--checkpoints "mlm:60=course:full"` → `{ objective, minutes, dir }`, `course:MODE` resolved to the course model. */
async function checkpoints(): Promise<{ objective: string; minutes: number; dir: string }[]> {
  return Promise.all(list("checkpoints", "").map(async (entry) => {
    const match = /^([\w-]+):(\d+(?:\.\d+)?)=(.+)$/.exec(entry);
    if (match === null) return fail(`--checkpoints: "${entry}" is not OBJECTIVE:MINUTES=DIR (e.g. mlm:60=course:full)`);
    return { objective: match[1] as string, minutes: Number(match[2]), dir: await resolveCheckpoint(match[3] as string) };
  }));
}

/** `--script simplified|original` (default simplified). */
function script(): "simplified" | "original" {
  const name = value("script", "simplified");
  return name === "simplified" || name === "original" ? name : fail(`--script ${name}: use simplified or original`);
}

async function main(): Promise<void> {
  const result = await objectiveCurve({
    checkpoints: await checkpoints(),
    out: resolve(value("out", "out/pretrain-objectives")),
    objectives: list("objectives", "mlm,babyberta,electra"),
    minutes,
    tasks: list("tasks", "fpb,sst2,banking77,conll2003"),
    seeds: number("seeds", "3"),
    corpus: list("corpus", COURSE_CORPUS_LARGE.join(",")),
    script: script(),
    vocabSize: number("vocab", "10000"),
    limitAlphabet: number("limit-alphabet", "3000"),
    preset: value("preset", "tiny") as BertPreset,
    seqLength: number("seq", "128"),
    batchSize: number("batch", "32"),
    pretrainLr: number("pretrain-lr", "2e-3"),
    pretrainSeed: number("pretrain-seed", "0"),
    jobs: number("jobs", "1"),
    threads: Math.max(1, number("threads", "1")),
    finetuneFlags: extra,
    taskFlags,
    log,
  });
  const s = result.settings;
  const flags = Object.entries(s.taskFlags);
  console.log(`\nPretraining (${s.preset}, ${s.batchSize}×${s.seqLength} tokens per step or the recipe's equal, lr ${s.pretrainLr}, ${s.threads} thread(s) per job, ${s.jobs} job(s) at once):\n`);
  console.log("| objective | minutes | steps | train s | held-out metrics |\n|---|---:|---:|---:|---|");
  for (const p of result.pretrained) console.log(`| ${p.objective} | ${p.minutes} | ${p.steps} | ${Math.round(p.trainSeconds)} | ${Object.entries(p.final ?? {}).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(" · ")} |`);
  console.log(`\nFine-tuned test score (flags: ${s.finetuneFlags.join(" ") || "the tasks' defaults"}${flags.length > 0 ? `; ${flags.map(([t, f]) => `${t}: ${f.join(" ")}`).join("; ")}` : ""}; seeds ${s.seeds.join(",")}):\n`);
  console.log("| task | metric | objective | minutes | steps / s | test mean ± std | pretrained − scratch, paired bootstrap of the seed mean [95% CI] | McNemar p per seed |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const p of result.points) {
    const c = p.comparison;
    const cell = c === null ? "—" : `${c.delta.value >= 0 ? "+" : ""}${c.delta.value.toFixed(3)} [${c.delta.low.toFixed(3)}, ${c.delta.high.toFixed(3)}], p = ${formatP(c.pBootstrap)}`;
    const mc = c === null || c.mcnemar.length === 0 ? "—" : c.mcnemar.map(formatP).join(" · ");
    console.log(`| ${p.task} | ${p.metric} | ${p.objective} | ${p.minutes} | ${p.pretrained ? `${p.pretrained.steps} / ${Math.round(p.pretrained.trainSeconds)}` : "—"} | ${p.mean.toFixed(4)} ± ${p.std.toFixed(4)} (n=${p.scores.length}) | ${cell} | ${mc} |`);
  }
  const { points: _points, failed: _failed, ...results } = result; // results.json's keys
  console.log(JSON.stringify(results));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
