/**
 * Every fine-tuning task end to end through the CLI, in full settings: the course's pretrained BERT
 * (`--from course:full`, built and cached by `courseCheckpoint` the first time, ≈ 1 h on one core) against the
 * same architecture from random init (`--from scratch --tokenizer course:full`), and — for the
 * classification tasks — the TF-IDF + logistic-regression baseline measured in the same run. Prints a
 * markdown table: test score of each with its 95% bootstrap interval (`metrics.json`'s `testIntervals`), the paired
 * pretrained − scratch difference on the same test examples (paired bootstrap interval; McNemar's test for
 * classification, from both runs' `predictions.jsonl`), the issue's target, and wall times.
 *
 * Resumable: a run whose `<out>/<task>/<variant>/metrics.json` exists is not run again (the CLI writes
 * metrics.json last, atomically), so a killed bench restarts where it stopped.
 *
 * Run: npx tsx bench/finetune-all.ts [--out out/finetune] [--tasks fpb,conll2003] [--mode full|quick]
 *                                    [--skip-pretrained] [--skip-scratch] [--skip-baseline] [--seed 0]
 *                                    [--scratch-tokenizer DIR] [--lrs 1e-4,1e-3] [-- extra finetune flags]
 * `--scratch-tokenizer` (default `course:<mode>`) lets the from-scratch runs start before the pretrained
 * checkpoint exists: a folder with the same vocabulary and config.json gives the same random model.
 * `--lrs` fine-tunes each variant at every learning rate (into `<task>/<variant>/lr-<rate>`) and reports the one
 * with the best *validation* score — BERT's protocol (Devlin et al. 2019, §4), so test is still read once per
 * choice; without it each run uses the default rate for the model's width (`defaultFinetuneLr`; or `-- --lr`).
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { trainTfidfBaseline } from "../lib/baseline";
import { formatEstimate, mcnemar, pairedBootstrapAccuracy, pairedBootstrapEntityF1, type Interval } from "../lib/eval";
import { classificationReport } from "../lib/metrics";
import { courseModelInfo } from "../lib/pretrain";
import { resolveCheckpoint, TASK_NAMES, taskSpec, type TaskName } from "../lib/tasks";

/** The issue's full-run targets (test split; accuracy, or entity F1 for CoNLL). */
const TARGETS: Partial<Record<TaskName, number>> = { conll2003: 0.85, fpb: 0.92, banking77: 0.88, sst2: 0.84 };

const argv = process.argv.slice(2);
const dashdash = argv.indexOf("--");
const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
const extra = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
const value = (name: string, fallback: string): string => {
  const at = own.indexOf(`--${name}`);
  return at >= 0 && own[at + 1] !== undefined ? (own[at + 1] as string) : fallback;
};
const flag = (name: string) => own.includes(`--${name}`);

const outRoot = resolve(value("out", "out/finetune"));
const mode = value("mode", "full");
if (mode !== "full" && mode !== "quick") throw new Error(`--mode ${mode}: use full or quick`);
const tasks = value("tasks", TASK_NAMES.join(",")).split(",").map((t) => taskSpec(t.trim()).name);
const seed = value("seed", "0");
const checkpoint = `course:${mode}`;
const scratchTokenizer = value("scratch-tokenizer", checkpoint);
const lrs: (string | undefined)[] = own.includes("--lrs") ? value("lrs", "").split(",").map((x) => String(Number(x))) : [undefined];
if (lrs.some((x) => x === "NaN" || Number(x) <= 0)) throw new Error(`--lrs ${value("lrs", "")}: give learning rates, e.g. --lrs 1e-4,1e-3`);
if (lrs[0] !== undefined && extra.includes("--lr")) throw new Error("give either --lrs or -- --lr, not both");
const ROOT = resolve(__dirname, "..");

interface Metrics {
  test: Record<string, number>;
  validation: Record<string, number>;
  bestEpoch: number;
  splits: { train: number; validation: number; test: number };
  wallSeconds: { total: number };
  config: { metric: string; lr: number };
  testIntervals?: Record<string, Interval>;
  /** Where the run's files are (set here, not in metrics.json). */
  dir: string;
}

/** The run of `variant` with the best validation score over `lrs` (null when every run failed). */
function bestOverLrs(task: TaskName, variant: "pretrained" | "scratch"): Metrics | null {
  const metric = taskSpec(task).metric;
  const runs = lrs.map((lr) => finetune(task, variant, lr)).filter((m): m is Metrics => m !== null);
  return runs.reduce<Metrics | null>((best, m) => (best === null || (m.validation[metric] ?? -1) > (best.validation[metric] ?? -1) ? m : best), null);
}

/** Runs `course finetune` unless its metrics.json exists; returns the metrics (or null when it failed). */
function finetune(task: TaskName, variant: "pretrained" | "scratch", lr: string | undefined): Metrics | null {
  const out = lr === undefined ? join(outRoot, task, variant) : join(outRoot, task, variant, `lr-${lr}`);
  const file = join(out, "metrics.json");
  if (existsSync(file)) {
    console.error(`${task}/${variant}: done before (${file}), skipped`);
  } else {
    const from = variant === "pretrained" ? ["--from", checkpoint] : ["--from", "scratch", "--tokenizer", scratchTokenizer];
    const args = [join(ROOT, "bin", "course.js"), "finetune", "--task", task, ...from, "--out", out, "--seed", seed, ...(lr === undefined ? [] : ["--lr", lr]), ...extra];
    console.error(`${task}/${variant}: node ${args.slice(1).join(" ")}`);
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, COURSE_MODE: mode } });
    if (r.status !== 0 || !existsSync(file)) {
      console.error(`${task}/${variant}: failed (exit ${r.status}); rerun to retry`);
      return null;
    }
  }
  return { ...(JSON.parse(readFileSync(file, "utf8")) as Omit<Metrics, "dir">), dir: out };
}

/** One test example of a run's `predictions.jsonl` (classification: label names; tagging: tag sequences). */
type Prediction = { gold: string; predicted: string } | { gold: string[]; predicted: string[] };

const readPredictions = (m: Metrics): Prediction[] =>
  readFileSync(join(m.dir, "predictions.jsonl"), "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Prediction);

/**
 * Pretrained vs scratch on the same test examples: McNemar on accuracy (classification) and the paired bootstrap
 * (Koehn 2004) of the task's metric — accuracy, or entity F1 resampling sentences. A markdown cell.
 */
function pairedCell(pretrained: Metrics, scratch: Metrics): string {
  const [a, b] = [readPredictions(pretrained), readPredictions(scratch)];
  if (a.length !== b.length) return `— (${a.length} vs ${b.length} test predictions)`;
  if (!Array.isArray(a[0]?.gold)) {
    const names = [...new Set(a.map((p) => p.gold as string))];
    const id = (label: string) => names.indexOf(label); // unseen predicted names get −1: wrong either way
    const gold = a.map((p) => id(p.gold as string));
    const [pa, pb] = [a, b].map((run) => run.map((p) => id(p.predicted as string)));
    const test = mcnemar(pa as number[], pb as number[], gold);
    const boot = pairedBootstrapAccuracy(pb as number[], pa as number[], gold); // B = pretrained: δ = pretrained − scratch
    return `${signed(boot.difference)}, McNemar p = ${formatP(test.pValue)} (${test.b}/${test.c} discordant)`;
  }
  const tags = (run: Prediction[]) => run.map((p) => p.predicted as string[]);
  const boot = pairedBootstrapEntityF1(a.map((p) => p.gold as string[]), tags(b), tags(a), { scheme: "IOB2" }); // δ = pretrained − scratch
  return `${signed(boot.difference)}, paired-bootstrap p = ${formatP(boot.pValue)}`;
}

const signed = (d: Interval): string => `${d.value >= 0 ? "+" : ""}${d.value.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]`;
const formatP = (p: number): string => (p < 1e-4 ? "< 0.0001" : p < 0.01 ? p.toFixed(4) : p.toFixed(2));

/** TF-IDF + logistic regression on the same splits (test accuracy), or null for tagging tasks. */
async function baseline(task: TaskName): Promise<{ score: number; seconds: number } | null> {
  const data = await taskSpec(task).load();
  if (data.kind !== "classification") return null;
  const began = performance.now();
  const model = trainTfidfBaseline(data.train);
  const predicted = model.predict(data.test.map((e) => e.text));
  const report = classificationReport(predicted, data.test.map((e) => e.label), { numClasses: data.labels.length });
  return { score: report.accuracy, seconds: (performance.now() - began) / 1000 };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const task of tasks) {
    const pretrained = flag("skip-pretrained") ? null : bestOverLrs(task, "pretrained");
    const scratch = flag("skip-scratch") ? null : bestOverLrs(task, "scratch");
    const peer = flag("skip-baseline") ? null : await baseline(task);
    const metric = taskSpec(task).metric;
    const score = (m: Metrics | null) => (m ? m.test[metric] : undefined);
    const withInterval = (m: Metrics | null) => {
      const interval = m?.testIntervals?.[metric];
      return interval ? formatEstimate(interval) : fmt(score(m));
    };
    const fmt = (x: number | undefined) => (x === undefined ? "—" : x.toFixed(4));
    const splits = (m: Metrics | null) => (m ? `${m.splits.train}/${m.splits.validation}/${m.splits.test}` : "—");
    const lrOf = (m: Metrics | null) => (m ? String(m.config.lr) : "—");
    const p = score(pretrained);
    const target = TARGETS[task];
    rows.push(
      `| ${task} | ${metric} | ${withInterval(pretrained)} | ${withInterval(scratch)} | ${pretrained && scratch ? pairedCell(pretrained, scratch) : "—"} | ${fmt(peer?.score)} | ${target === undefined ? "—" : `${target}${p !== undefined ? (p >= target ? " ✔" : " ✘") : ""}`} | ${lrOf(pretrained)} / ${lrOf(scratch)} | ${splits(pretrained ?? scratch)} | ${pretrained ? Math.round(pretrained.wallSeconds.total) : "—"} | ${scratch ? Math.round(scratch.wallSeconds.total) : "—"} |`,
    );
  }
  console.log(`\nFine-tuning, ${mode} settings, from ${checkpoint} (test split; fine-tuning wall seconds)`);
  if (!flag("skip-pretrained")) {
    const info = courseModelInfo(await resolveCheckpoint(checkpoint)); // built by the first pretrained run
    console.log(`Pretraining ${checkpoint} (BERT-${info.spec.preset}, ${info.spec.steps} steps of ${info.spec.batchSize}×${info.spec.seqLength}): ${Math.round(info.wallSeconds)} s, once for every task; held-out MLM ${Object.entries(info.final).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(" · ")}`);
  }
  console.log("");
  console.log("| task | metric | pretrained [95% CI] | scratch [95% CI] | pretrained − scratch, paired [95% CI] | TF-IDF | target | lr (pre / scratch) | train/val/test | pretrained s | scratch s |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(`finetune-all: ${(error as Error).message}`);
  process.exit(1);
});
