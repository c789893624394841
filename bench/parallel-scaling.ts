// Data-parallel scaling: training-step throughput of BERT-mini MLM (H 256, 4 layers, T 128, B 16, V 30522) on
// 1 vs 2 worker threads (lib/parallel), against the peer: the same step in-process on the main thread.
// Prints examples/s, the speedups, and where each step's time goes (compute vs reduction, update, waiting and
// messages). Every figure comes twice: wall time, and the CPU time of the busiest thread (Linux schedstat),
// which is what the wall time would be on otherwise idle cores: on a shared machine, trust the second.
//
//   npx tsx bench/parallel-scaling.ts [--steps 3] [--batch 16] [--seq 128] [--preset mini]
//
import * as tf from "@tensorflow/tfjs";
import { Worker } from "node:worker_threads";
import { initBackend } from "../lib/core";
import { Rng } from "../lib/core/rng";
import { BERT_PRESETS, type BertConfig, type BertPreset } from "../lib/model";
import { disposeParams } from "../lib/nn";
import { maskBatch, MLM_PARALLEL_TASK, type MlmRows } from "../lib/pretrain";
import { createModel, lossFn } from "../lib/pretrain/mlm-parallel-task";
import { AdamW, valueAndGrads } from "../lib/train";
import { DataParallelTrainer, initRng, threadCpuMs, type StepResult } from "../lib/parallel";

// ---- the benchmark ----------------------------------------------------------------------------------------

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function makeBatch(config: BertConfig, rows: number, seqLength: number, rng: Rng): MlmRows {
  const ids = Array.from({ length: rows }, () => Array.from({ length: seqLength }, () => 1000 + rng.int(config.vocabSize - 1000)));
  const masked = maskBatch(ids, rng, { vocabSize: config.vocabSize, maskTokenId: 103, specialIds: new Set([0, 100, 101, 102, 103]) });
  return { inputIds: masked.inputIds, attentionMask: ids.map((row) => row.map(() => 1)), labels: masked.labels };
}

const LR = 1e-4;

/** The peer: in-process steps on the main thread (no threads, no copies). Returns ms per step. */
function inProcess(config: BertConfig, data: MlmRows[]): { ms: number[]; cpuMs: number[]; losses: number[] } {
  const params = createModel(config, initRng(0));
  const optimizer = new AdamW();
  const rng = new Rng(1);
  const ms: number[] = [], cpuMs: number[] = [], losses: number[] = [];
  for (const batch of data) {
    const start = performance.now();
    const cpu = threadCpuMs();
    const { value, grads } = valueAndGrads(params, () => lossFn(params, batch, rng, config));
    optimizer.apply(params, grads, LR);
    losses.push((value.dataSync() as Float32Array)[0] as number);
    tf.dispose([value, ...Object.values(grads)]);
    ms.push(performance.now() - start);
    cpuMs.push(threadCpuMs() - cpu);
  }
  optimizer.dispose();
  disposeParams(params);
  return { ms, cpuMs, losses };
}

async function parallel(config: BertConfig, data: MlmRows[], workers: number): Promise<{ results: StepResult[]; startMs: number; roundTripMs: number }> {
  const start = performance.now();
  const trainer = await DataParallelTrainer.start<BertConfig, MlmRows>(MLM_PARALLEL_TASK, config, { workers });
  const startMs = performance.now() - start;
  if (workers === 1) console.log(`   workers run: ${trainer.backend}`);
  try {
    const results: StepResult[] = [];
    for (const batch of data) results.push(await trainer.step(batch, LR));
    const t0 = performance.now();
    const trips = 20;
    for (let i = 0; i < trips; i++) await trainer.numTensors(); // a message round trip to every worker
    return { results, startMs, roundTripMs: (performance.now() - t0) / trips };
  } finally {
    await trainer.close();
  }
}

/**
 * The two ways threads can synchronise here, timed with nothing else to do: a message round trip
 * main → worker → main (how a step is handed out) and an Atomics barrier between two workers (two per step).
 */
async function syncCosts(): Promise<{ roundTripUs: number; barrierUs: number }> {
  const tsx = require.resolve("tsx/cjs/api");
  const sharedMemory = require.resolve("../lib/parallel/shared-memory");
  const code = `require(${JSON.stringify(tsx)}).register();
    const { parentPort, workerData } = require("node:worker_threads");
    const { barrier } = require(${JSON.stringify(sharedMemory)});
    parentPort.on("message", (m) => {
      if (m === "barriers") {
        const control = new Int32Array(workerData.control);
        barrier(control, 2);
        const start = performance.now();
        for (let i = 0; i < workerData.rounds; i++) barrier(control, 2);
        parentPort.postMessage((performance.now() - start) / workerData.rounds);
      } else parentPort.postMessage(m);
    });`;
  const control = new SharedArrayBuffer(16);
  const rounds = 20000;
  const workers = [0, 1].map(() => new Worker(code, { eval: true, execArgv: [], workerData: { control, rounds } }));
  const ask = (w: Worker, m: unknown) => new Promise<number>((resolve) => { w.once("message", resolve); w.postMessage(m); });
  for (let i = 0; i < 100; i++) await ask(workers[0]!, i); // warm up
  const trips = 2000;
  let start = performance.now();
  for (let i = 0; i < trips; i++) await ask(workers[0]!, i);
  const roundTripUs = ((performance.now() - start) / trips) * 1000;
  start = performance.now();
  const perBarrier = await Promise.all(workers.map((w) => ask(w, "barriers")));
  const barrierUs = Math.max(...perBarrier) * 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return { roundTripUs, barrierUs };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const f1 = (x: number) => x.toFixed(1).padStart(7);
const r1 = (x: number) => x.toFixed(0);

interface Measured {
  label: string;
  rows: number;
  /** Wall time per step. */
  ms: number;
  /** CPU time per step of the busiest worker: the wall time this step would take on otherwise idle cores. */
  cpuMs: number;
}

async function measureParallel(config: BertConfig, data: MlmRows[], workers: number, peerLosses: number[]): Promise<Measured> {
  const rows = data[0]!.inputIds.length;
  const { results, startMs, roundTripMs } = await parallel(config, data, workers);
  const timed = results.slice(1);
  const ms = mean(timed.map((r) => r.wallMs));
  const per = (key: "computeMs" | "waitMs" | "reduceMs" | "updateMs" | "cpuMs") => mean(timed.map((r) => Math.max(...r.shards.map((s) => s.timing[key]))));
  const label = `${workers} worker${workers > 1 ? "s" : ""}, B ${rows}`;
  console.log(`${label.padEnd(20)}${f1(ms)} ms/step ${f1((rows * 1000) / ms)} examples/s   (start ${(startMs / 1000).toFixed(1)} s, ${workers} × ${rows / workers} rows)`);
  const cpuMs = per("cpuMs");
  console.log(`   per step, slowest worker (wall ms): compute ${per("computeMs").toFixed(1)} · wait ${per("waitMs").toFixed(1)} · reduce ${per("reduceMs").toFixed(1)} · update ${per("updateMs").toFixed(1)} · main-thread overhead ${mean(timed.map((r) => r.overheadMs)).toFixed(1)}; message round trip ${roundTripMs.toFixed(2)}`);
  console.log(`   CPU ms per step, each worker: ${timed.length ? r1(mean(timed.map((r) => r.shards[0]!.timing.cpuMs))) : "-"}${workers > 1 ? ` · ${r1(mean(timed.map((r) => r.shards[1]!.timing.cpuMs)))}` : ""}  (busiest ${cpuMs.toFixed(0)} → ${f1((rows * 1000) / cpuMs)} examples/s on idle cores)`);
  if (peerLosses.length > 0) console.log(`   losses ${results.map((r) => r.loss.toFixed(4)).join(" ")} (peer ${peerLosses.map((l) => l.toFixed(4)).join(" ")}; dropout streams differ)`);
  return { label, rows, ms, cpuMs };
}

async function main(): Promise<void> {
  const steps = Number(arg("steps", "3"));
  const rows = Number(arg("batch", "16"));
  const seqLength = Number(arg("seq", "128"));
  const preset = arg("preset", "mini") as BertPreset;
  const config: BertConfig = { ...BERT_PRESETS[preset] };
  await initBackend({ backend: "wasm" });
  const rng = new Rng(42);
  const data = Array.from({ length: steps + 1 }, () => makeBatch(config, rows, seqLength, rng)); // +1: warm-up
  const half = data.map((b) => ({ inputIds: b.inputIds.slice(0, rows / 2), attentionMask: b.attentionMask.slice(0, rows / 2), labels: b.labels.slice(0, rows / 2) }));
  const os = require("node:os") as typeof import("node:os");
  console.log(`BERT-${preset} MLM: H ${config.hiddenSize}, ${config.numLayers} layers, V ${config.vocabSize}, T ${seqLength}, B ${rows}; ${steps} timed steps after 1 warm-up; wasm, 1 thread per worker; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}`);

  const peer = inProcess(config, data);
  const peerMs = mean(peer.ms.slice(1));
  const peerCpuMs = mean(peer.cpuMs.slice(1));
  console.log(`\n${"in-process (peer)".padEnd(20)}${f1(peerMs)} ms/step ${f1((rows * 1000) / peerMs)} examples/s   (CPU ${peerCpuMs.toFixed(0)} ms/step → ${f1((rows * 1000) / peerCpuMs)} examples/s on an idle core)`);
  const one = await measureParallel(config, data, 1, peer.losses);
  const oneHalf = await measureParallel(config, half, 1, []);
  const two = await measureParallel(config, data, 2, peer.losses);

  const sync = await syncCosts();
  console.log(`\nsynchronisation alone: message round trip ${sync.roundTripUs.toFixed(1)} µs · Atomics barrier (2 workers) ${sync.barrierUs.toFixed(1)} µs`);
  console.log(`\n                                         wall time   CPU time of the busiest thread (= wall on idle cores)`);
  console.log(`speedup, 2 workers vs 1 worker, B ${rows}:   ${(one.ms / two.ms).toFixed(2)}x       ${(one.cpuMs / two.cpuMs).toFixed(2)}x`);
  console.log(`speedup, 2 workers vs in-process peer:   ${(peerMs / two.ms).toFixed(2)}x       ${(peerCpuMs / two.cpuMs).toFixed(2)}x`);
  console.log(`efficiency, 1 worker B ${rows / 2} vs 2 workers B ${rows}: ${(oneHalf.ms / two.ms).toFixed(2)}        ${(oneHalf.cpuMs / two.cpuMs).toFixed(2)}   (same work per worker; 1.00 = throughput doubles)`);
  console.log(`load average now ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores: wall times include waiting for other processes`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
