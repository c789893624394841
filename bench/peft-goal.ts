/**
 * Issue #13's accuracy goal, measured: "LoRA r = 8 within 1.0 point of full fine-tuning with ≤ 2 % trainable
 * parameters (head excluded)" on one classification task.
 *
 * Protocol (BERT's, Devlin et al. 2019 §4, as in `bench/finetune-all.ts`):
 * 1. sweep — seed 0, every learning rate × epoch count of each method; each run keeps its best epoch by the
 *    **validation** score (`runTask`), and the method's setting is the one with the best validation score;
 * 2. seeds — the chosen setting again with seeds 1 … S−1 (the seed draws the head, the adapter, the training-subset
 *    and the batch order);
 * 3. report — per-seed test scores (each run reads test once, with its best-validation epoch), mean ± sample std,
 *    and per seed the paired comparison LoRA − full on the same test sentences: McNemar's exact/χ² test and the
 *    paired-bootstrap 95 % interval of the accuracy difference (lib/eval), and the paired bootstrap of the
 *    seed-mean difference (each resample of test sentences scores each method by its mean accuracy over the seeds).
 * Two optional arms bound what a frozen base allows (`--methods full,lora,head,scratch`): `head` trains only the
 * adapter's `modules_to_save` (the classifier, and the pooler when the base lacked one) on the frozen base — the
 * linear-probe floor, what the base's features already carry; `scratch` is full fine-tuning of the same
 * architecture and tokenizer from random init — what fine-tuning learns without pretraining. Same protocol, same seeds.
 *
 * Resumable: each run's result is `<out>/<task>[-train<N>]/<method>-lr<lr>-ep<epochs>-seed<seed>.json`; a run whose
 * file exists is not run again (so a killed bench restarts where it stopped, and a grid can be narrowed or widened
 * without redoing runs). Other settings (`--from`, `--max-length`, `--batch-size`, `--validation-limit`) need their own `--out`:
 * each run records them, and a cached run made with others is refused (records written before 2026-12-01 lack them).
 *
 * Run: COURSE_THREADS=1 nice -n 10 npx tsx bench/peft-goal.ts --task fpb [--from course:quick] [--out out/peft-goal]
 *        [--lora-lrs 5e-3,1e-2,2e-2] [--lora-epochs 4,8] [--full-lrs 3e-4,1e-3,3e-3] [--full-epochs 4]
 *        [--lora-points 1e-2@4,2e-2@6] [--full-points …] (a sweep of these lr@epochs points instead of the product)
 *        [--seeds 3] [--train-limit N] [--validation-limit N] [--max-length 64] [--batch-size 32]
 *        [--methods full,lora[,head,scratch]] [--head-points 1e-3@10] [--scratch-points 1e-3@3] [--first-seed K] [--report-only]
 *        [--target query,value] [--lora-alpha 16] (LoRA's target modules and α; r stays 8, the goal's rank)
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mcnemar, pairedBootstrap, pairedBootstrapAccuracy } from "../lib/eval";
import { createPeftModel, peftAdapter, trainableCounts, TUNER_PREFIX, type PeftMethod } from "../lib/peft";
import { runTask, taskSpec, type ClassificationPrediction, type RunTaskOptions, type TaskModel, type TaskSplits } from "../lib/tasks";

const argv = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? (argv[at + 1] as string) : fallback;
};
const numbers = (name: string, fallback: string): number[] =>
  value(name, fallback).split(",").map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: "${s}" is not a positive number`);
    return n;
  });
const optional = (name: string): number | undefined => (argv.includes(`--${name}`) ? Number(value(name, "")) : undefined);

const task = value("task", "fpb");
const from = value("from", "course:quick");
const trainLimit = optional("train-limit");
// Runs of different training subsets do not mix; other settings (--from, --max-length, …) need their own --out.
const out = join(value("out", "out/peft-goal"), trainLimit === undefined ? task : `${task}-train${trainLimit}`);
const seeds = Number(value("seeds", "3"));
// Start the seed runs at this seed (a second process can take the later seeds; it prints no table).
const firstSeed = Number(value("first-seed", "0"));
if (!(Number.isInteger(seeds) && seeds >= 1)) throw new Error(`--seeds: a positive integer, got "${value("seeds", "")}"`);
if (!(Number.isInteger(firstSeed) && firstSeed >= 0 && firstSeed < seeds)) throw new Error(`--first-seed: an integer in [0, --seeds), got "${value("first-seed", "")}"`);
const validationLimit = optional("validation-limit");
const maxLength = Number(value("max-length", "64"));
const batchSize = Number(value("batch-size", "32"));
// Run only these methods' runs (two processes can split a table: `--methods full` and `--methods lora`); the
// table is printed when both methods' runs exist (`--report-only` prints it without running anything).
const METHODS = ["full", "lora", "head", "scratch"] as const;
type Method = (typeof METHODS)[number];
const only = value("methods", "full,lora").split(",");
for (const m of only) if (!(METHODS as readonly string[]).includes(m)) throw new Error(`--methods: "${m}" is not one of ${METHODS.join(", ")}`);
/** A method's sweep: `--<m>-points lr@epochs,…` when given, else every `--<m>-lrs` × `--<m>-epochs` pair. */
const points = (m: Method, lrs: string, epochs: string): { lr: number; epochs: number }[] => {
  if (argv.includes(`--${m}-points`)) {
    return value(`${m}-points`, "").split(",").map((p) => {
      const [lr, ep] = p.split("@").map(Number);
      if (!(lr! > 0 && Number.isInteger(ep) && ep! > 0)) throw new Error(`--${m}-points: "${p}" is not lr@epochs`);
      return { lr: lr!, epochs: ep! };
    });
  }
  return numbers(`${m}-epochs`, epochs).flatMap((e) => numbers(`${m}-lrs`, lrs).map((lr) => ({ lr, epochs: e })));
};
// LoRA's modules and α (the goal fixes r = 8); a non-default choice is part of the run's file name.
const target = value("target", "query,value").split(",");
const alpha = Number(value("lora-alpha", "16"));
const loraTag = `${target.join("+") === "query+value" ? "" : `-${target.join("+")}`}${alpha === 16 ? "" : `-alpha${alpha}`}`;
const grids: Record<Method, { lr: number; epochs: number }[]> = {
  full: points("full", "3e-4,1e-3,3e-3", "4"),
  lora: points("lora", "5e-3,1e-2,2e-2", "4,8"),
  head: points("head", "1e-3", "10"),
  scratch: points("scratch", "1e-3", "3"),
};

/** The `head` arm's method: nothing of its own, so only `modules_to_save` (the head, a fresh pooler) train. */
const headOnly = (): PeftMethod => ({ peftType: "LORA", params: new Map(), hooks: {}, virtualTokens: 0, modulesPrefix: TUNER_PREFIX, configJson: () => ({}), stateDict: () => new Map(), dispose: () => {} });
/** How each arm changes the fine-tuning run. */
const arms: Record<Method, (seed: number) => Partial<RunTaskOptions>> = {
  full: () => ({}),
  lora: (seed) => ({ adapt: peftAdapter("lora", { seed, lora: { r: 8, alpha, targetModules: target } }) }),
  head: () => ({ adapt: (model, base) => createPeftModel(model, headOnly, { initialized: base.initialized }) }),
  scratch: () => ({ from: "scratch", tokenizerDir: from }),
};

/** One run's record (the JSON file). */
interface RunRecord {
  method: Method;
  lr: number;
  epochs: number;
  seed: number;
  validation: number;
  bestEpoch: number;
  test: number;
  macroF1: number;
  /** Test predictions and gold labels, as label indices. */
  predicted: number[];
  gold: number[];
  trainablePercent: number;
  secondsPerEpoch: number;
  splits: { train: number; validation: number; test: number };
  /** What else shaped the run (absent in records written before it was kept). */
  settings?: RunSettings;
}

/** The flags a cached run must share with this invocation to be reused. */
interface RunSettings { from: string; maxLength: number; batchSize: number; validationLimit: number | null }
const settings: RunSettings = { from, maxLength, batchSize, validationLimit: validationLimit ?? null };

const fileOf = (method: string, lr: number, epochs: number, seed: number) => join(out, `${method}${method === "lora" ? loraTag : ""}-lr${lr}-ep${epochs}-seed${seed}.json`);

let data: TaskSplits | undefined;
async function run(method: Method, lr: number, epochs: number, seed: number): Promise<RunRecord> {
  const file = fileOf(method, lr, epochs, seed);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, "utf8")) as RunRecord;
    if (cached.settings !== undefined && JSON.stringify(cached.settings) !== JSON.stringify(settings)) {
      throw new Error(`${file} was run with ${JSON.stringify(cached.settings)}, not ${JSON.stringify(settings)}: give these settings their own --out`);
    }
    return cached;
  }
  if (argv.includes("--report-only")) throw new Error(`${file} is missing (--report-only runs nothing)`);
  data ??= await taskSpec(task).load();
  const began = performance.now();
  const result = await runTask(task, {
    from, data, epochs, batchSize, lr, seed, maxLength, trainLimit, validationLimit, keepModel: true, ...arms[method](seed),
  });
  const model = result.model as TaskModel;
  const percent = trainableCounts(model).percent;
  model.dispose();
  const metric = taskSpec(task).metric;
  const labels = result.metrics.labels;
  const preds = result.predictions as ClassificationPrediction[];
  const record: RunRecord = {
    method, lr, epochs, seed,
    validation: result.metrics.validation[metric] as number,
    bestEpoch: result.metrics.bestEpoch,
    test: result.metrics.test[metric] as number,
    macroF1: result.metrics.test["macroF1"] as number,
    predicted: preds.map((p) => labels.indexOf(p.predicted)),
    gold: preds.map((p) => labels.indexOf(p.gold)),
    trainablePercent: percent,
    secondsPerEpoch: result.metrics.wallSeconds.train / epochs,
    splits: result.metrics.splits,
    settings,
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  renameSync(`${file}.tmp`, file);
  console.error(`${task} ${method} lr ${lr} epochs ${epochs} seed ${seed}: validation ${record.validation.toFixed(4)} (epoch ${record.bestEpoch}), test ${record.test.toFixed(4)}, ${((performance.now() - began) / 1000).toFixed(0)} s`);
  return record;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const pct = (x: number) => (100 * x).toFixed(1);
/** `mean ± sample std` in percent (no std from one seed). */
const meanStd = (xs: number[]) => `${pct(mean(xs))} ± ${xs.length < 2 ? "— (one seed)" : pct(std(xs))}`;

async function main(): Promise<void> {
  // 1. The sweep on seed 0, full fine-tuning's default setting first (does it learn at all?).
  const chosen: Record<string, RunRecord> = {};
  const sweepRows: string[] = [];
  const methods = METHODS.filter((m) => only.includes(m));
  for (const method of methods) {
    for (const { lr, epochs } of grids[method]) {
      const r = await run(method, lr, epochs, 0);
      sweepRows.push(`| ${method} | ${lr} | ${epochs} | ${pct(r.validation)} (epoch ${r.bestEpoch}) | ${pct(r.test)} |`);
      if (chosen[method] === undefined || r.validation > (chosen[method] as RunRecord).validation) chosen[method] = r;
    }
  }
  // 2. The chosen settings on the other seeds.
  const bySeed: Record<string, RunRecord[]> = Object.fromEntries(methods.map((m) => [m, []]));
  for (let seed = firstSeed; seed < seeds; seed++) {
    for (const method of methods) {
      const c = chosen[method] as RunRecord;
      (bySeed[method] as RunRecord[]).push(await run(method, c.lr, c.epochs, seed));
    }
  }
  if (!(only.includes("full") && only.includes("lora")) || firstSeed > 0) return;
  // 3. The report.
  const full = bySeed["full"] as RunRecord[];
  const lora = bySeed["lora"] as RunRecord[];
  const n = (full[0] as RunRecord).gold.length;
  console.log(`\n## ${task}: LoRA r = 8 (α ${alpha}, ${target.join("+")}) vs full fine-tuning — from ${from}, max length ${maxLength}, batch ${batchSize}, splits ${JSON.stringify((full[0] as RunRecord).splits)}\n`);
  console.log("Sweep (seed 0; setting chosen by validation accuracy; test shown only for the record):\n");
  console.log("| method | lr | epochs | validation % (best epoch) | test % |\n|---|---|---|---|---|");
  console.log(sweepRows.join("\n"));
  console.log(`\nChosen: ${methods.map((m) => `${m} lr ${chosen[m]?.lr} × ${chosen[m]?.epochs} epochs`).join("; ")}.\n`);
  console.log(`| seed | full test % | LoRA test % | LoRA − full (points) | McNemar b / c, p | paired bootstrap 95 % of LoRA − full |\n|---|---|---|---|---|---|`);
  for (let s = 0; s < seeds; s++) {
    const f = full[s] as RunRecord;
    const l = lora[s] as RunRecord;
    const m = mcnemar(f.predicted, l.predicted, f.gold);
    const pb = pairedBootstrapAccuracy(f.predicted, l.predicted, f.gold, { seed: s });
    console.log(`| ${s} | ${pct(f.test)} | ${pct(l.test)} | ${pct(l.test - f.test)} | ${m.b} / ${m.c}, p = ${m.pValue.toFixed(3)} | [${pct(pb.difference.low)}, ${pct(pb.difference.high)}] |`);
  }
  // Over seeds: resample the test sentences once, score each model by its mean accuracy over the seeds on them.
  const gold = (full[0] as RunRecord).gold;
  const right = (runs: RunRecord[]) => runs.map((r) => r.predicted.map((p, i) => (p === gold[i] ? 1 : 0)));
  const correct = [right(full), right(lora)];
  const pooled = pairedBootstrap(n, (m, idx) => mean((correct[m] as number[][]).map((row) => idx.reduce((a, i) => a + (row[i] as number), 0) / idx.length)), { seed: 0 });
  const diffs = lora.map((l, s) => l.test - (full[s] as RunRecord).test);
  console.log(`| mean ± std | ${meanStd(full.map((r) => r.test))} | ${meanStd(lora.map((r) => r.test))} | ${meanStd(diffs)} | | mean over seeds, resampling sentences: [${pct(pooled.difference.low)}, ${pct(pooled.difference.high)}] |`);
  console.log(`\nTrainable (head excluded): full ${(full[0] as RunRecord).trainablePercent.toFixed(2)} %, LoRA ${(lora[0] as RunRecord).trainablePercent.toFixed(2)} %. Seconds / epoch (mean): full ${mean(full.map((r) => r.secondsPerEpoch)).toFixed(0)}, LoRA ${mean(lora.map((r) => r.secondsPerEpoch)).toFixed(0)}.`);
  // The smallest difference this test set can resolve: with discordant share q = (b + c)/n, the paired difference's
  // standard error is about √(q/n) (b ≈ c); 80 % power at two-sided α = 0.05 needs a difference of (1.96 + 0.84)·√(q/n).
  const q = mean(full.map((f, s) => { const m = mcnemar(f.predicted, (lora[s] as RunRecord).predicted, f.gold); return (m.b + m.c) / n; }));
  console.log(`Detectable on this test set (one seed): with ${pct(q)} % of sentences discordant, a difference of about ${pct(2.8 * Math.sqrt(q / n))} points has 80 % power at α = 0.05 (SE ≈ ${pct(Math.sqrt(q / n))} points).`);
  console.log(`Macro-F1 (mean): full ${pct(mean(full.map((r) => r.macroF1)))}, LoRA ${pct(mean(lora.map((r) => r.macroF1)))}. Test sentences: n = ${n}; one sentence = ${(100 / n).toFixed(2)} points.`);
  // The bounds: what the frozen base carries (head) and what fine-tuning learns without pretraining (scratch).
  const bounds = methods.filter((m) => m === "head" || m === "scratch");
  if (bounds.length === 0) return;
  console.log(`\n| arm | test % per seed | mean ± std | − full (points) |\n|---|---|---|---|`);
  for (const m of ["full", "lora", ...bounds]) {
    const runs = bySeed[m] as RunRecord[];
    const tests = runs.map((r) => r.test);
    console.log(`| ${m} (lr ${chosen[m]?.lr} × ${chosen[m]?.epochs}) | ${tests.map(pct).join(" / ")} | ${meanStd(tests)} | ${pct(mean(tests) - mean(full.map((r) => r.test)))} |`);
  }
}

main().catch((error: unknown) => {
  console.error(`peft-goal: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
