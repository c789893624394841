/**
 * MLM training throughput of BERT-Mini (L4/H256/A4/I1024, T=128, B=32, fp32, AdamW, 15% masking with the masked
 * positions gathered before the vocabulary projection, global-norm clipping 1.0): ours (the course trainer
 * `train` on the active tfjs backend) and the PyTorch peer (`bench/peer/torch_bert.py train`, 2 threads), in one
 * run; prints tokens/s of each, the ratio, and MFU against a 2-thread sgemm peak measured in the same run.
 *
 * Run: npx tsx bench/mlm-train.ts [--steps 2] [--warmup 1] [--vocab-size 30522] [--batch 32] [--seq 128]
 *                                 [--micro-batch 16] [--threads 2] [--skip-ours] [--skip-peer]
 * Ours accumulates `--batch / --micro-batch` micro-batches per step (wasm's 32-bit heap cannot hold B=32's
 * tape); the peer runs the whole batch at once. Both count B·T tokens per optimizer step.
 * Setup: the peer needs Debian's PyTorch under /usr/bin/python3. When it is missing and this runs as root,
 * the script runs `apt-get update && apt-get install -y python3-torch` itself; otherwise it stops and says so.
 * Random ids stand in for text on both sides: throughput does not depend on the words.
 *
 * FLOPs per training step (a multiply-add = 2 FLOPs; backward ≈ 2× forward, so training = 3× forward):
 *   forward = 2·B·T·L·(4H² + 2H·I)      Q, K, V, output projections and the feed-forward (the "2·params·tokens")
 *           + 4·B·L·T²·H                 attention scores Q·Kᵀ and the weighted sum P·V
 *           + 2·M·(H² + H·V)             MLM transform and tied decoder, on the M gathered positions only
 *   train   = 3 · forward                ≈ 6·(non-embedding params)·tokens + the attention and head terms
 * Embedding lookups, LayerNorm, softmax, GELU and AdamW are not counted (memory-bound, small in FLOPs).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { initBackend, describeBackend, measureMatmul, Rng } from "../lib/core";
import { BertModel, bertConfig, trainingFlopsPerToken, type BertConfig } from "../lib/model";
import { maskBatch, mlmLoss, mlmRows, mlmTensors, MLM_PARALLEL_TASK, type MaskedBatch, type MlmRows } from "../lib/pretrain";
import { DataParallelTrainer } from "../lib/parallel";
import { train, type TrainingTask } from "../lib/train";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "peer", "torch_bert.py");

/** CLI option `--name N` (a non-negative integer), else `fallback`. */
function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer, got ${process.argv[at + 1]}`);
  return value;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
/** Threads of the peer and of the sgemm probe (the brief's 2; on a busy machine try 1: OpenMP suffers most). */
const THREADS = option("threads", 2);

/** Training FLOPs of one step (the library's count, `trainingFlopsPerToken`); `masked` = M, the gathered positions. */
function trainFlopsPerStep(c: BertConfig, batch: number, seq: number, masked: number): number {
  return batch * seq * trainingFlopsPerToken(c, seq, masked / (batch * seq));
}

/** Installs python3-torch when missing (root only: it is a system package). */
function ensureTorch(): void {
  const probe = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (probe.status === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${PYTHON} has no torch; as root run: apt-get update && apt-get install -y python3-torch (Debian's PyTorch), then rerun`);
  }
  console.log("setup: installing python3-torch with apt-get (Debian's PyTorch for /usr/bin/python3)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "python3-torch"]]) {
    const run = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${run.status}); install python3-torch by hand`);
  }
}

/** float32 `n×n` matmul GFLOP/s of numpy (OpenBLAS) on `THREADS` threads, best of 5: the machine's peak here. */
function sgemmPeak(n = 2048): number {
  const code = `import numpy as np, time
a = np.random.rand(${n}, ${n}).astype(np.float32); b = np.random.rand(${n}, ${n}).astype(np.float32); a @ b
best = float("inf")
for _ in range(5):
    t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
print(2 * ${n} ** 3 / best / 1e9)`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS) };
  const run = spawnSync(PYTHON, ["-c", code], { encoding: "utf8", env });
  if (run.status !== 0) throw new Error(`sgemm probe failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

interface Result {
  tokensPerSecond: number;
  maskedPerStep: number;
  firstLoss: number;
  lastLoss: number;
  detail: string;
}

/**
 * Ours: the course trainer on a synthetic MLM task (random ids, BERT masking from `lib/pretrain`). A step of
 * `batchSize` sequences runs as `batchSize / microBatch` accumulated micro-batches: tfjs keeps every
 * intermediate of the tape, and on wasm (32-bit memory) B=32, T=128 aborts; B=16 peaks at ≈2.4 GB of heap.
 */
async function runOurs(config: BertConfig, batchSize: number, microBatch: number, seqLength: number, steps: number, warmup: number): Promise<Result> {
  if (batchSize % microBatch !== 0) throw new Error(`--batch ${batchSize} must be a multiple of --micro-batch ${microBatch}`);
  const report = await initBackend();
  const model = BertModel.init(config, new Rng(0));
  const masking = { vocabSize: config.vocabSize, maskTokenId: 4, specialIds: new Set([0, 1, 2, 3, 4]), rate: 0.15 };
  const ones = Array.from({ length: microBatch }, () => new Array<number>(seqLength).fill(1));
  let masked = 0;
  const task: TrainingTask<MaskedBatch> = {
    params: model.params,
    nextBatch: (rng) => {
      const rows = Array.from({ length: microBatch }, () => Array.from({ length: seqLength }, () => 5 + rng.int(config.vocabSize - 5)));
      const batch = maskBatch(rows, rng, masking);
      masked += batch.flatPositions.length;
      return batch;
    },
    loss: (batch, rng) => mlmLoss(model, mlmTensors(batch, ones), rng),
    batchSize: (batch) => batch.inputIds.length * seqLength,
  };
  try {
    const { history } = train(task, { steps: warmup + steps, accumulation: batchSize / microBatch, lr: 1e-4, warmupSteps: 0, seed: 0, onStep: (r) => console.log(`  ours step ${r.step}: loss ${r.loss.toFixed(3)}, ${r.seconds.toFixed(1)} s`) });
    const timed = history.slice(warmup);
    const seconds = timed.reduce((s, r) => s + r.seconds, 0);
    return {
      tokensPerSecond: (batchSize * seqLength * timed.length) / seconds,
      maskedPerStep: masked / (warmup + steps),
      firstLoss: history[0]?.loss ?? NaN,
      lastLoss: history[history.length - 1]?.loss ?? NaN,
      detail: `tfjs ${describeBackend(report)}, ${batchSize / microBatch}×${microBatch} accumulated`,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Ours on `workers` cores: lib/parallel's data-parallel trainer (one wasm instance per worker thread), the batch
 * split by rows, gradients all-reduced through shared memory, one AdamW step — the same update as one step on
 * the whole batch.
 */
async function runOursParallel(config: BertConfig, batchSize: number, seqLength: number, steps: number, warmup: number, workers: number): Promise<Result> {
  const trainer = await DataParallelTrainer.start<BertConfig, MlmRows>(MLM_PARALLEL_TASK, config, { workers });
  const masking = { vocabSize: config.vocabSize, maskTokenId: 4, specialIds: new Set([0, 1, 2, 3, 4]), rate: 0.15 };
  const rng = new Rng(0);
  const losses: number[] = [];
  const seconds: number[] = [];
  let masked = 0;
  try {
    for (let step = 1; step <= warmup + steps; step++) {
      const rows = Array.from({ length: batchSize }, () => Array.from({ length: seqLength }, () => 5 + rng.int(config.vocabSize - 5)));
      const batch = maskBatch(rows, rng, masking);
      masked += batch.flatPositions.length;
      const result = await trainer.step(mlmRows(batch), 1e-4, { clipNorm: 1 });
      console.log(`  ours ×${workers} step ${step}: loss ${result.loss.toFixed(3)}, ${(result.wallMs / 1000).toFixed(1)} s`);
      losses.push(result.loss);
      if (step > warmup) seconds.push(result.wallMs / 1000);
    }
  } finally {
    await trainer.close();
  }
  return {
    tokensPerSecond: (batchSize * seqLength * steps) / seconds.reduce((a, b) => a + b, 0),
    maskedPerStep: masked / (warmup + steps),
    firstLoss: losses[0] ?? NaN,
    lastLoss: losses[losses.length - 1] ?? NaN,
    detail: `tfjs wasm, ${workers} data-parallel workers × ${batchSize / workers} sequences`,
  };
}

/** The PyTorch peer, same config, its JSON summary from the last line of its output. */
function runPeer(config: BertConfig, batchSize: number, seqLength: number, steps: number, warmup: number): Result {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS) };
  const args = [PEER, "train", "--vocab-size", String(config.vocabSize), "--batch", String(batchSize), "--seq", String(seqLength), "--steps", String(steps), "--warmup", String(warmup), "--threads", String(THREADS)];
  const run = spawnSync(PYTHON, args, { encoding: "utf8", env });
  if (run.status !== 0) throw new Error(`peer failed (exit ${run.status}): ${run.stderr}`);
  const last = run.stdout.trim().split("\n").pop() ?? "";
  const out = JSON.parse(last) as { tokens_per_s: number; masked_per_step: number; first_loss: number; last_loss: number; peer: string; threads: number };
  return { tokensPerSecond: out.tokens_per_s, maskedPerStep: out.masked_per_step, firstLoss: out.first_loss, lastLoss: out.last_loss, detail: `${out.peer}, ${out.threads} threads` };
}

async function main(): Promise<void> {
  const steps = option("steps", 2);
  const warmup = option("warmup", 1);
  const batchSize = option("batch", 32);
  const microBatch = option("micro-batch", 16);
  const seqLength = option("seq", 128);
  const config = bertConfig("mini", { vocabSize: option("vocab-size", 30522), maxPositions: Math.max(512, seqLength) });
  console.log(`BERT-Mini MLM training: L${config.numLayers}/H${config.hiddenSize}/A${config.numHeads}/I${config.intermediateSize}, V=${config.vocabSize}, B=${batchSize}, T=${seqLength}, fp32; ${warmup} warm-up + ${steps} timed steps`);
  if (!flag("skip-peer")) ensureTorch();

  const peak = sgemmPeak();
  console.log(`sgemm peak (numpy/OpenBLAS, ${THREADS} threads, 2048³ float32): ${peak.toFixed(1)} GFLOP/s`);

  const results: [string, Result][] = [];
  if (!flag("skip-ours")) {
    const ours = await runOurs(config, batchSize, Math.min(microBatch, batchSize), seqLength, steps, warmup);
    const tfjsPeak = await measureMatmul(1024);
    ours.detail += `; its 1024³ matmul: ${tfjsPeak.gflops.toFixed(1)} GFLOP/s`;
    results.push(["ours", ours]);
    const workers = option("workers", 2);
    if (workers > 1) results.push([`ours ×${workers}`, await runOursParallel(config, batchSize, seqLength, steps, warmup, workers)]);
  }
  if (!flag("skip-peer")) results.push(["pytorch", runPeer(config, batchSize, seqLength, steps, warmup)]);

  console.log("\n| run | tokens/s | train GFLOP/step | achieved GFLOP/s | MFU vs sgemm peak | loss first → last | engine |");
  console.log("|---|---:|---:|---:|---:|---|---|");
  const summary: Record<string, unknown> = { config: { ...config }, batchSize, seqLength, steps, warmup, sgemmPeakGflops: peak };
  for (const [name, r] of results) {
    const flops = trainFlopsPerStep(config, batchSize, seqLength, r.maskedPerStep);
    const achieved = (flops * r.tokensPerSecond) / (batchSize * seqLength) / 1e9;
    console.log(`| ${name} | ${r.tokensPerSecond.toFixed(0)} | ${(flops / 1e9).toFixed(1)} | ${achieved.toFixed(1)} | ${((100 * achieved) / peak).toFixed(1)}% | ${r.firstLoss.toFixed(3)} → ${r.lastLoss.toFixed(3)} | ${r.detail} |`);
    summary[name] = { tokensPerSecond: r.tokensPerSecond, gflopsPerStep: flops / 1e9, achievedGflops: achieved, mfu: achieved / peak, maskedPerStep: r.maskedPerStep };
  }
  const peer = results.find(([n]) => n === "pytorch")?.[1];
  for (const [name, r] of results) {
    if (peer === undefined || name === "pytorch") continue;
    summary[`ratio ${name}`] = r.tokensPerSecond / peer.tokensPerSecond;
    console.log(`ratio ${name} / pytorch: ${(r.tokensPerSecond / peer.tokensPerSecond).toFixed(3)} (tokens/s)`);
  }
  console.log(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  console.error(`bench/mlm-train: ${(error as Error).message}`);
  process.exit(1);
});
