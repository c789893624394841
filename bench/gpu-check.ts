/**
 * The prepared GPU check (issue #18): on the WebGPU adapter, (1) names the adapter, (2) runs the training-parity
 * test — AdamW steps of a small encoder block on webgpu and on tfjs's `cpu` backend must give the same losses
 * within 1e-4, and a step must leave no tensor behind — and (3) measures BERT-Mini and BERT-Small MLM training
 * throughput (the course trainer: AdamW, 15% masking with the masked positions gathered before the vocabulary
 * projection, clipping 1.0, fp32) in tokens/s and MFU against the device's stated fp32 rate. Writes one JSON file.
 *
 * MFU's denominator is the vendor's dense fp32 rate (non-tensor-core: WebGPU has no TF32 or tensor-core path in
 * tfjs 4.22), from the table below by device name, or `--peak-tflops X`. FLOPs per token are the library's
 * `trainingFlopsPerToken` (bench/mlm-train.ts explains the count).
 *
 * Run from a checkout: `bash bench/gpu-check.sh [--tiny] [--out file.json]`; on a machine without the checkout:
 * `npm run gpu-bundle`, copy `out/gpu-bundle/` there, `bash gpu-check.sh` (needs only `node` ≥ 20).
 * `--tiny` shrinks everything (seq 16, batch 4, 2 steps, vocab 2048) for a software adapter; `--software` allows
 * one (COURSE_BACKEND=webgpu does the same); `--models mini,small`, `--seq`, `--batch`, `--steps`, `--warmup`.
 */
import { writeFileSync } from "node:fs";
import { cpus, hostname } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend, probeWebGpu, Rng } from "../lib/core";
import { BertModel, bertConfig, trainingFlopsPerToken, mfu, type BertConfig } from "../lib/model";
import { train as trainTask } from "../lib/train";
import { syntheticMlmTask } from "./synthetic-mlm";
import { train as trainEncoder } from "../tests/core/fixtures/encoder-training";

const PARITY_TOLERANCE = 1e-4;

/**
 * Dense fp32 TFLOP/s from the vendors' datasheets (boost clock), matched on the adapter's device name; the first
 * match wins, so the more specific names come first.
 */
const FP32_TFLOPS: [RegExp, number, string][] = [
  [/H200/i, 67, "NVIDIA H200 datasheet (SXM), FP32"],
  [/H100.*PCIe/i, 51, "NVIDIA H100 datasheet (PCIe), FP32"],
  [/H100/i, 67, "NVIDIA H100 datasheet (SXM), FP32"],
  [/GH200/i, 67, "NVIDIA GH200 datasheet, FP32"],
  [/A100/i, 19.5, "NVIDIA A100 datasheet, FP32"],
  [/L40S/i, 91.6, "NVIDIA L40S datasheet, FP32"],
  [/L4\b/i, 30.3, "NVIDIA L4 datasheet, FP32"],
  [/A10\b/i, 31.2, "NVIDIA A10 datasheet, FP32"],
  [/T4\b/i, 8.1, "NVIDIA T4 datasheet, FP32"],
  [/V100/i, 15.7, "NVIDIA V100 datasheet (SXM2), FP32"],
  [/RTX 4090/i, 82.6, "NVIDIA RTX 4090 specifications, FP32"],
  [/RTX 3090/i, 35.6, "NVIDIA RTX 3090 specifications, FP32"],
];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
function value(name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args[at + 1];
}
function int(name: string, fallback: number): number {
  const raw = value(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer, got ${raw}`);
  return n;
}

const tiny = flag("tiny");
const seq = int("seq", tiny ? 16 : 128);
const batch = int("batch", tiny ? 4 : 32);
const steps = int("steps", tiny ? 2 : 5);
const warmup = int("warmup", tiny ? 1 : 2);
const vocab = int("vocab", tiny ? 2048 : 30522);
const models = (value("models") ?? "mini,small").split(",").filter(Boolean);
const out = value("out") ?? `gpu-check-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.json`;

/** The stated fp32 peak for this adapter: `--peak-tflops`, else the table, else none (a software adapter). */
function statedPeak(device: string): { tflops: number; source: string } | undefined {
  const given = value("peak-tflops");
  if (given !== undefined) {
    const tflops = Number(given);
    if (!(tflops > 0)) throw new Error(`--peak-tflops needs a positive number, got ${given}`);
    return { tflops, source: "--peak-tflops" };
  }
  const hit = FP32_TFLOPS.find(([pattern]) => pattern.test(device));
  return hit ? { tflops: hit[1], source: hit[2] } : undefined;
}

/** The parity test of tests/core/webgpu-training.test.ts: losses of `stepsRun` AdamW steps, webgpu vs cpu, and a leak check. */
async function parity(stepsRun = 4): Promise<Record<string, unknown>> {
  const webgpu = trainEncoder(7, stepsRun);
  const before = tf.memory().numTensors;
  trainEncoder(7, 1);
  const leaked = tf.memory().numTensors - before;
  await tf.setBackend("cpu");
  const cpu = trainEncoder(7, stepsRun);
  await tf.setBackend("webgpu");
  const maxDifference = Math.max(...webgpu.map((loss, i) => Math.abs(loss - (cpu[i] as number))));
  return { steps: stepsRun, webgpu, cpu, maxDifference, tolerance: PARITY_TOLERANCE, leakedTensors: leaked, pass: maxDifference < PARITY_TOLERANCE && leaked === 0 };
}

/** Tokens/s of the course trainer on a synthetic MLM task (random ids: throughput does not depend on the words). */
function throughput(name: string, config: BertConfig, peak: { tflops: number; source: string } | undefined): Record<string, unknown> {
  const model = BertModel.init(config, new Rng(0));
  const { task, masked } = syntheticMlmTask(model, config, batch, seq);
  try {
    const { history } = trainTask(task, { steps: warmup + steps, lr: 1e-4, warmupSteps: 0, seed: 0, onStep: (r) => console.error(`  ${name} step ${r.step}: loss ${r.loss.toFixed(3)}, ${r.seconds.toFixed(2)} s`) });
    const timed = history.slice(warmup);
    const seconds = timed.reduce((s, r) => s + r.seconds, 0);
    const tokensPerSecond = (batch * seq * timed.length) / seconds;
    const flopsPerToken = trainingFlopsPerToken(config, seq, masked() / ((warmup + steps) * batch * seq));
    return {
      model: name,
      config: { layers: config.numLayers, hidden: config.hiddenSize, heads: config.numHeads, intermediate: config.intermediateSize, vocab: config.vocabSize },
      seq, batch, steps, warmup,
      tokensPerSecond,
      flopsPerToken,
      achievedTflops: (tokensPerSecond * flopsPerToken) / 1e12,
      mfu: peak ? mfu(tokensPerSecond, flopsPerToken, peak.tflops * 1000) : null,
      firstLoss: history[0]?.loss,
      lastLoss: history[history.length - 1]?.loss,
    };
  } finally {
    model.dispose();
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const probe = await probeWebGpu({ software: true });
  const software = flag("software") || flag("tiny") || process.env["COURSE_BACKEND"] === "webgpu";
  const result: Record<string, unknown> = { date: started.toISOString(), host: hostname(), cpus: cpus().length, node: process.version, options: { tiny, seq, batch, steps, warmup, vocab, models }, adapter: probe.adapter ?? null, adapterWhy: probe.why ?? null };
  const save = () => writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  if (!probe.adapter || (probe.adapter.software && !software)) {
    result["error"] = probe.adapter ? "only a software adapter here: pass --software (or --tiny) to measure it anyway" : `no WebGPU adapter: ${probe.why}`;
    save();
    console.error(`gpu-check: ${result["error"]} → ${out}`);
    process.exitCode = 1;
    return;
  }
  const report = await initBackend({ backend: "webgpu" });
  result["backend"] = describeBackend(report);
  result["versions"] = report.versions;
  console.error(`gpu-check: ${result["backend"]}`);
  const peak = statedPeak(probe.adapter.device);
  result["peakFp32"] = peak ?? { tflops: null, source: probe.adapter.software ? "a software adapter has no stated GPU rate" : "device not in the table: pass --peak-tflops" };
  console.error("gpu-check: training parity (webgpu vs cpu)…");
  result["parity"] = await parity();
  save();
  const runs: Record<string, unknown>[] = [];
  for (const name of models) {
    if (name !== "mini" && name !== "small") throw new Error(`--models: unknown model ${name} (mini, small)`);
    console.error(`gpu-check: BERT-${name} training throughput (seq ${seq}, batch ${batch})…`);
    runs.push(throughput(`BERT-${name}`, bertConfig(name, { vocabSize: vocab, maxPositions: Math.max(seq, 128) }), peak));
    result["throughput"] = runs;
    save();
  }
  result["seconds"] = (Date.now() - started.getTime()) / 1000;
  save();
  const parityResult = result["parity"] as { pass: boolean; maxDifference: number };
  console.log(JSON.stringify({ out, adapter: probe.adapter.device, parity: parityResult.pass, maxDifference: parityResult.maxDifference, throughput: runs.map((r) => ({ model: r["model"], tokensPerSecond: Math.round(r["tokensPerSecond"] as number), mfu: r["mfu"] })) }));
  if (!parityResult.pass) process.exitCode = 2;
}

main().catch((error: Error) => {
  console.error(`gpu-check failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
