import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { repoRoot } from "../core/paths";
import { initBackend, describeBackend } from "../core";
import { Rng } from "../core/rng";
import { BertModel, bertConfig, BERT_PRESETS, type BertConfig, type BertPreset } from "../model";
import { DataParallelTrainer } from "../parallel";
import { maskBatch, maskingOptionsFor, mlmRows, mlmTask, randomWindows, MLM_PARALLEL_TASK, type MlmRows } from "../pretrain";
import { BertTokenizer } from "../text";
import { train } from "../train";
import { positiveInt } from "./args";
import { registerBenchInfer } from "./bench-infer";

interface BenchOptions {
  config: string;
  seq: number;
  batch: number;
  steps: number;
  warmup: number;
  vocab: number;
  microBatch: number;
  workers: number;
  compare?: boolean;
  runs?: string;
  repeats?: number;
}

/**
 * `--compare`: the full comparison, `bench/mlm-train.ts` (ours native, ours wasm-only, PyTorch, each in its own
 * process: tokens/s, the ratio, MFU vs the in-run sgemm peak, peak RSS, the per-kernel profile before/after).
 * Options given on the command line are passed on (`--config` as its `--models`, `--vocab` as `--vocabs`); the
 * others keep the benchmark's defaults (BERT-Mini and BERT-Tiny, V=8192 and 30522).
 */
function compare(o: BenchOptions, given: (name: string) => boolean): void {
  const root = repoRoot();
  const script = root === null ? "" : join(root, "bench", "mlm-train.ts");
  if (!existsSync(script)) throw new Error("course bench train --compare needs the course's repository (bench/mlm-train.ts); run it from a clone");
  const pass: [string, string, unknown][] = [["config", "models", o.config], ["vocab", "vocabs", o.vocab], ["steps", "steps", o.steps], ["warmup", "warmup", o.warmup],
    ["batch", "batch", o.batch], ["microBatch", "micro-batch", o.microBatch], ["seq", "seq", o.seq], ["runs", "runs", o.runs], ["repeats", "repeats", o.repeats]];
  const args = pass.filter(([name]) => given(name)).flatMap(([, flag, value]) => [`--${flag}`, String(value)]);
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { stdio: "inherit", cwd: root ?? undefined });
  if (run.status !== 0) throw new Error(`bench/mlm-train.ts ${args.join(" ")} failed (exit ${run.status})`);
}

/** Seconds per measured step on one thread: the course trainer, accumulating micro-batches. */
function singleThread(config: BertConfig, tokenizer: BertTokenizer, stream: Int32Array, o: BenchOptions): number[] {
  const model = BertModel.init(config, new Rng(0));
  const task = mlmTask(model, tokenizer, { train: stream, heldOut: new Int32Array(0) }, { batchSize: o.microBatch, seqLength: o.seq });
  const seconds: number[] = [];
  train(task, {
    steps: o.warmup + o.steps,
    lr: 1e-4,
    accumulation: o.batch / o.microBatch,
    onStep: (r) => {
      console.error(`step ${r.step}: ${r.seconds.toFixed(2)} s, loss ${r.loss.toFixed(3)}`);
      if (r.step > o.warmup) seconds.push(r.seconds);
    },
  });
  task.dispose();
  model.dispose();
  return seconds;
}

/** Seconds per measured step with `workers` data-parallel threads (lib/parallel), batch split by rows. */
async function dataParallel(config: BertConfig, tokenizer: BertTokenizer, stream: Int32Array, o: BenchOptions): Promise<number[]> {
  const trainer = await DataParallelTrainer.start<BertConfig, MlmRows>(MLM_PARALLEL_TASK, config, { workers: o.workers });
  const rng = new Rng(1);
  const masking = maskingOptionsFor(tokenizer);
  const [cls, sep] = [tokenizer.tokenToId("[CLS]") as number, tokenizer.tokenToId("[SEP]") as number];
  const seconds: number[] = [];
  try {
    for (let step = 1; step <= o.warmup + o.steps; step++) {
      const batch = mlmRows(maskBatch(randomWindows(stream, o.batch, o.seq, rng, cls, sep), rng, masking));
      const result = await trainer.step(batch, 1e-4, { clipNorm: 1 });
      console.error(`step ${step}: ${(result.wallMs / 1000).toFixed(2)} s, loss ${result.loss.toFixed(3)} (${o.workers} workers)`);
      if (step > o.warmup) seconds.push(result.wallMs / 1000);
    }
  } finally {
    await trainer.close();
  }
  return seconds;
}

/**
 * `course bench train`: MLM training throughput of a preset on random tokens (the work per step does not
 * depend on the text). Last line: `tokens/s: <number>` (steady state: the first `--warmup` steps excluded).
 */
export function registerBench(program: Command): void {
  const bench = program.command("bench").description("measure training and inference speed");
  registerBenchInfer(bench);
  bench
    .command("train")
    .description("MLM training throughput (tokens/s) of a BERT preset")
    .option("--config <preset>", `model size: ${Object.keys(BERT_PRESETS).join(", ")}`, "mini")
    .option("--seq <n>", "tokens per sequence", positiveInt("--seq"), 128)
    .option("--batch <n>", "sequences per step", positiveInt("--batch"), 32)
    .option("--steps <n>", "measured steps", positiveInt("--steps"), 5)
    .option("--warmup <n>", "unmeasured first steps", positiveInt("--warmup"), 2)
    .option("--vocab <n>", "vocabulary size (BERT's 30522 by default)", positiveInt("--vocab"), 30522)
    .option("--micro-batch <n>", "one thread: sequences per forward/backward pass, accumulated to --batch (wasm's 32-bit heap holds mini's tape for about 16 × 128 tokens)", positiveInt("--micro-batch"), 16)
    .option("--workers <n>", "data-parallel worker threads (lib/parallel), each with its own wasm instance; 0 = train on this thread", (v) => Number(v), 0)
    .option("--compare", "run bench/mlm-train.ts instead: ours native, ours wasm-only and PyTorch in one run (BERT-Mini and -Tiny, V=8192 and 30522 unless --config/--vocab), with MFU, peak RSS and the per-kernel profile")
    .option("--runs <list>", "with --compare: which engines (native,wasm,pytorch; also native-1thread, pytorch-default)")
    .option("--repeats <n>", "with --compare: round-robin repeats, best of each (a shared machine's load drifts)", positiveInt("--repeats"))
    .action(async (o: BenchOptions, command: Command) => {
      if (o.compare) {
        compare(o, (name) => command.getOptionValueSource(name) === "cli");
        return;
      }
      if (!(o.config in BERT_PRESETS)) throw new Error(`--config ${o.config}: not one of ${Object.keys(BERT_PRESETS).join(", ")}`);
      if (o.workers === 0 && o.batch % o.microBatch !== 0) throw new Error(`--batch ${o.batch} is not a multiple of --micro-batch ${o.microBatch}`);
      if (!(Number.isInteger(o.workers) && o.workers >= 0)) throw new Error(`--workers must be a non-negative integer, got ${o.workers}`);
      const report = await initBackend();
      console.error(describeBackend(report));
      const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...Array.from({ length: o.vocab - 5 }, (_, i) => `t${i}`)];
      const tokenizer = new BertTokenizer(vocab);
      const config = bertConfig(o.config as BertPreset, { vocabSize: o.vocab, maxPositions: Math.max(512, o.seq) });
      const rng = new Rng(0);
      const stream = Int32Array.from({ length: 200_000 }, () => 5 + rng.int(o.vocab - 5));
      const seconds = o.workers > 0 ? await dataParallel(config, tokenizer, stream, o) : singleThread(config, tokenizer, stream, o);
      const tokensPerSecond = (o.steps * o.batch * o.seq) / seconds.reduce((a, b) => a + b, 0);
      console.log(JSON.stringify({ config: o.config, seq: o.seq, batch: o.batch, microBatch: o.workers > 0 ? o.batch / o.workers : o.microBatch, workers: o.workers, vocab: o.vocab, backend: report.backend, steps: o.steps, secondsPerStep: seconds }));
      console.log(`tokens/s: ${tokensPerSecond.toFixed(1)}`);
    });
}
