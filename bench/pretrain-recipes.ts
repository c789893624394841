/**
 * The `bert` settings against the `babyberta` settings at equal wall-clock, on the larger cleaned corpus, each
 * fine-tuned on FPB and SST-2 against the same model from scratch (issue #20, a first data point).
 *
 *   npx tsx bench/pretrain-recipes.ts [--minutes 5] [--seeds 0,1,2] [--tasks fpb,sst2] [--out out/pretrain-recipes]
 *
 * Both arms use the same corpus, vocabulary (budget-sized), model (BERT-Tiny), peak rate and budget-tied schedule;
 * they differ in what the recipe changes: masking (80/10/10 vs always [MASK]), dropout (on vs off) and inputs
 * (32×64 vs 64×32 tokens per step). Fine-tuning: `course finetune --epochs 2 --train-limit 2000 --lr 1e-3
 * --max-length 64`, one thread. Prints a Markdown table (mean ± sample sd over seeds) and writes results.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../lib/core";
import { courseCheckpoint, courseModelInfo, type CourseModelSpec } from "../lib/pretrain";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const minutes = Number(arg("minutes", "5"));
const seeds = arg("seeds", "0,1,2").split(",").map(Number);
const tasks = arg("tasks", "fpb,sst2").split(",");
const out = arg("out", "out/pretrain-recipes");
const course = join(__dirname, "..", "bin", "course.js");

// Pinned to the quick `babyberta` spec this was measured with (README, "First data point"): a wall-clock budget and
// no alphabet limit — the recipe has since gained `limitAlphabet: 3000` and the CPU clock, which this run leaves out
// (undefined keys drop out of the spec, and so out of its cache folder's hash).
const MEASURED: Partial<CourseModelSpec> = { budgetMinutes: minutes, limitAlphabet: undefined, budgetClock: undefined };
const ARMS: Record<string, Partial<CourseModelSpec>> = {
  bert: { ...MEASURED, replacement: "bert", dropout: true, batchSize: 32, seqLength: 64 },
  babyberta: MEASURED,
};

async function main(): Promise<void> {
  await initBackend();
  mkdirSync(out, { recursive: true });
  const dirs: Record<string, string> = {};
  const pretraining: Record<string, unknown> = {};
  for (const [arm, spec] of Object.entries(ARMS)) {
    dirs[arm] = await courseCheckpoint({ mode: "quick", recipe: "babyberta", spec });
    const info = courseModelInfo(dirs[arm] as string);
    pretraining[arm] = { dir: dirs[arm], steps: info.steps, trainSeconds: info.trainSeconds, final: info.final };
    console.error(`${arm}: ${JSON.stringify(pretraining[arm])}`);
  }
  const scores: Record<string, Record<string, number[]>> = {};
  for (const task of tasks) {
    for (const from of ["bert", "babyberta", "scratch"]) {
      for (const seed of seeds) {
        const runDir = join(out, `${task}-${from}-${seed}`);
        const source = from === "scratch" ? ["--from", "scratch", "--tokenizer", dirs["babyberta"] as string] : ["--from", dirs[from] as string];
        const run = spawnSync(process.execPath, [course, "finetune", "--task", task, ...source, "--out", runDir, "--epochs", "2", "--train-limit", "2000", "--lr", "1e-3", "--max-length", "64", "--seed", String(seed), "--quiet"], { encoding: "utf8" });
        if (run.status !== 0) throw new Error(`finetune ${task} ${from} ${seed} failed:\n${run.stderr}`);
        const metrics = JSON.parse(readFileSync(join(runDir, "metrics.json"), "utf8")) as { test: Record<string, number> };
        const score = metrics.test["accuracy"] ?? metrics.test["f1"] ?? NaN;
        ((scores[task] ??= {})[from] ??= []).push(score);
        console.error(`${task} ${from} seed ${seed}: ${score.toFixed(4)}`);
      }
    }
  }
  const stats = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
    return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
  };
  console.log(`| task | bert settings | babyberta settings | scratch |\n|---|---:|---:|---:|`);
  for (const task of tasks) console.log(`| ${task} | ${stats(scores[task]?.["bert"] ?? [])} | ${stats(scores[task]?.["babyberta"] ?? [])} | ${stats(scores[task]?.["scratch"] ?? [])} |`);
  writeFileSync(join(out, "results.json"), JSON.stringify({ minutes, seeds, pretraining, scores }, null, 2) + "\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
