/**
 * Inference speed and size of a BERT-Mini-shaped classifier (L4/H256/A4/I1024, V 30522, 2 labels: SST-2's
 * shape) in three runtimes, measured in ONE run and interleaved round-robin so that load from other processes
 * falls on all of them alike:
 *   tfjs-wasm       the course's backend (`BertForSequenceClassification.logits`, one thread)
 *   onnx fp32       `exportBertOnnx` → onnxruntime-node (CPU), graph optimisation `all`
 *   onnx int8       the same graph with dynamic int8 MatMuls (`model_quantized.onnx`)
 * Tables (each with ratios against a baseline row of the same table):
 *   1. runtimes at batch 1 and 8, sequence 64 and 128 (random ids, no padding)
 *   2. onnxruntime graph optimisation levels × intra-op threads 1 vs 2 (the "precompiled model" comparison)
 *   3. dynamic padding (each batch to its longest) vs fixed padding to 128 on real SST-2 validation sentences
 *   4. sizes on disk and logits differences (ONNX fp32 vs tfjs, ONNX int8 vs fp32, tfjs weight-only int8)
 * Goals (issue 6): ONNX fp32 ≥ 5× faster than tfjs-wasm at batch 1; int8 ≥ 2× faster than fp32 ONNX and ≥ 3×
 * smaller.
 *
 * Run: npx tsx bench/inference.ts [--model DIR] [--tokenizer DIR] [--iterations 20] [--sentences 256] [--pause-ms 20]
 *   --model: a checkpoint folder (an MLM checkpoint gets a seeded random 2-label head); default random BERT-Mini.
 *   --tokenizer: for the SST-2 lengths; default the model's, else out/tokenizers/wordpiece-02-{full,quick},
 *   else a WordPiece trained here on SST-2's training sentences.
 *   --pause-ms: idle time before every timed call (default 20). onnxruntime-node 1.14 cannot turn off its pool
 *   threads' spin-wait, and in one process a session's spinning threads slow whichever runner is timed next
 *   (measured here: tfjs-wasm 2× slower, 1-thread onnx up to 3× slower, with no pause).
 * The classification head makes the output `[B, 2]`: the timings are the encoder's (fill-mask's `[B, T, V]`
 * output would add a 30522-wide projection of every position).
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend, Rng, tidyData } from "../lib/core";
import { loadSst2 } from "../lib/data";
import { bertConfig, BertModel } from "../lib/model";
import { withHead, type TaskModel } from "../lib/tasks";
import { loadTokenizer, trainWordPiece, type BertTokenizer } from "../lib/text";
import { tableText } from "../lib/plot";
import {
  benchInterleaved,
  exportBertOnnx,
  type LatencyStats,
  loadExportSource,
  onnxRunner,
  ONNX_OPTIMIZATIONS,
  quantizeWeightsInt8,
  randomInferenceBatch,
  tfjsRunner,
  timeCall,
  type InferenceRunner,
  type OnnxBatch,
} from "../lib/export";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer, got ${process.argv[at + 1]}`);
  return value;
}
function stringOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}
const ITERATIONS = option("iterations", 20);
const SENTENCES = option("sentences", 256);
/** Idle ms before each timed call: onnxruntime's worker threads spin after a run and would slow the next runner. */
const PAUSE_MS = option("pause-ms", 20);
const f = (x: number, digits = 2) => x.toFixed(digits);

/** The model under test: a checkpoint (with its head, or a seeded random one) or random BERT-Mini. Caller disposes. */
function loadModel(tokenizer: BertTokenizer | undefined): { model: TaskModel; source: string } {
  const dir = stringOption("model");
  if (dir !== undefined) {
    const { model, task } = loadExportSource(dir, {});
    if (task === "text-classification") return { model: model as TaskModel, source: dir };
    const bert = "kind" in model ? model.bert : model;
    return { model: withHead("sequence", bert, 2, new Rng(1)), source: `${dir} + random 2-label head` };
  }
  const config = bertConfig("mini", { vocabSize: Math.max(30522, tokenizer?.vocabSize ?? 0), maxPositions: 512 });
  return { model: withHead("sequence", BertModel.init(config, new Rng(0)), 2, new Rng(1)), source: "random BERT-Mini (seed 0)" };
}

async function sst2Tokenizer(): Promise<{ tokenizer: BertTokenizer; source: string }> {
  const given = stringOption("tokenizer") ?? stringOption("model");
  if (given !== undefined && (existsSync(join(given, "tokenizer.json")) || existsSync(join(given, "vocab.txt")))) return { tokenizer: loadTokenizer(given), source: given };
  for (const name of ["wordpiece-02-full", "wordpiece-02-quick"]) {
    const dir = join(__dirname, "..", "out", "tokenizers", name);
    if (existsSync(join(dir, "vocab.txt")) || existsSync(join(dir, "tokenizer.json"))) return { tokenizer: loadTokenizer(dir), source: dir };
  }
  const { train } = await loadSst2();
  return { tokenizer: trainWordPiece(train.map((e) => e.text), { vocabSize: 8000 }), source: "WordPiece 8000 trained on SST-2 train" };
}

/** Rows of `[label, stats…]` with a ratio column against `baseline` (a p50 in ms). */
function latencyRow(label: string, p50: number, p95: number, batch: number, baseline: number): Record<string, unknown> {
  return { runtime: label, "p50 ms": f(p50), "p95 ms": f(p95), "seq/s": f((batch * 1000) / p50, 1), "speed-up": `${f(baseline / p50)}×` };
}

async function main(): Promise<void> {
  const backend = await initBackend({ backend: "wasm" });
  const { tokenizer, source: tokenizerSource } = await sst2Tokenizer();
  const { model, source } = loadModel(tokenizer);
  const work = mkdtempSync(join(tmpdir(), "bench-inference-"));
  const runners: InferenceRunner[] = [];
  try {
    const config = model.bert.config;
    console.log(`model: ${source}; L${config.numLayers}/H${config.hiddenSize}/A${config.numHeads}/I${config.intermediateSize}, V ${config.vocabSize}, ${(model.bert.numParams() / 1e6).toFixed(2)} M params`);
    console.log(`tfjs: ${describeBackend(backend)}`);
    const ortVersion = (JSON.parse(readFileSync(join(__dirname, "..", "node_modules", "onnxruntime-node", "package.json"), "utf8")) as { version: string }).version;
    console.log(`onnxruntime-node ${ortVersion} (CPU); machine: shared, 2 cores — latencies are noisy; runtimes interleaved round-robin in every table, ${PAUSE_MS} ms idle before each timed call`);
    const exported = exportBertOnnx(model, join(work, "model"), { quantize: "int8", labels: ["negative", "positive"], tokenizer });
    const fp32Path = join(exported.dir, "onnx", "model.onnx");
    const int8Path = join(exported.dir, "onnx", "model_quantized.onnx");

    // 1. Runtimes.
    const tfjs = tfjsRunner(model, "tfjs-wasm");
    const onnxFp32 = await onnxRunner(fp32Path, { label: "onnx fp32" });
    const onnxInt8 = await onnxRunner(int8Path, { label: "onnx int8" });
    const onnxFp32One = await onnxRunner(fp32Path, { label: "onnx fp32 1 thread", intraOpThreads: 1 });
    const onnxInt8One = await onnxRunner(int8Path, { label: "onnx int8 1 thread", intraOpThreads: 1 });
    runners.push(onnxFp32, onnxInt8, onnxFp32One, onnxInt8One);
    console.log(`\n1. Runtimes (random ids, no padding; ${ITERATIONS} timed calls each after 2 warm-up; onnxruntime optimisation all, default threads unless "1 thread"; tfjs-wasm runs on 1 thread)`);
    const goals: string[] = [];
    for (const batchSize of [1, 8]) {
      for (const seq of [64, 128]) {
        const batch = randomInferenceBatch(batchSize, seq, Math.min(config.vocabSize, tokenizer.vocabSize), new Rng(batchSize * 1000 + seq));
        const order = [tfjs, onnxFp32, onnxInt8, onnxFp32One, onnxInt8One];
        const stats = await benchInterleaved(order, batch, { iterations: ITERATIONS, warmup: 2, pauseMs: PAUSE_MS });
        const [a, b, c, b1, c1] = stats as [LatencyStats, LatencyStats, LatencyStats, LatencyStats, LatencyStats];
        console.log(`\nbatch ${batchSize}, seq ${seq} (speed-up vs tfjs-wasm)`);
        console.log(tableText(order.map((r, i) => latencyRow(r.label, stats[i]!.p50, stats[i]!.p95, batchSize, a.p50))));
        const met = (ratio: number, goal: number) => `${f(ratio)}× ${ratio >= goal ? "(met)" : "(NOT met)"}`;
        goals.push(
          `B${batchSize} T${seq}: onnx fp32 vs tfjs-wasm ${met(a.p50 / b.p50, 5)} default threads, ${met(a.p50 / b1.p50, 5)} 1 thread${batchSize === 1 ? "" : " (goal is for batch 1)"}; ` +
            `int8 vs fp32 ${met(b.p50 / c.p50, 2)} default threads, ${met(b1.p50 / c1.p50, 2)} 1 thread`,
        );
      }
    }

    // 2. Optimisation levels × threads.
    console.log(`\n2. onnxruntime graph optimisation × intra-op threads (${ITERATIONS} calls each, interleaved; speed-up vs fp32 disabled/1 thread)`);
    const variants: InferenceRunner[] = [];
    for (const [precision, path] of [["fp32", fp32Path], ["int8", int8Path]] as const) {
      for (const optimization of ONNX_OPTIMIZATIONS) {
        for (const threads of [1, 2]) variants.push(await onnxRunner(path, { optimization, intraOpThreads: threads, label: `${precision} ${optimization} ${threads}t` }));
      }
    }
    runners.push(...variants);
    for (const [batchSize, seq] of [[1, 128], [8, 128]] as const) {
      const batch = randomInferenceBatch(batchSize, seq, Math.min(config.vocabSize, tokenizer.vocabSize), new Rng(7 + batchSize));
      const stats = await benchInterleaved(variants, batch, { iterations: ITERATIONS, warmup: 2, pauseMs: PAUSE_MS });
      const base = stats[0]?.p50 ?? 1;
      console.log(`\nbatch ${batchSize}, seq ${seq}`);
      console.log(tableText(variants.map((v, i) => latencyRow(v.label, stats[i]!.p50, stats[i]!.p95, batchSize, base))));
    }
    for (const v of variants) await v.close();
    runners.splice(4);

    // 3. Dynamic vs fixed padding on SST-2 sentences.
    const { validation } = await loadSst2();
    const sentences = validation.slice(0, SENTENCES).map((e) => tokenizer.encode(e.text, null, { maxLength: 128 }).inputIds);
    const lengths = sentences.map((s) => s.length);
    const meanLength = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    const pad = (rows: number[][], length: number): OnnxBatch => ({
      batch: rows.length,
      seq: length,
      inputIds: rows.flatMap((r) => [...r, ...new Array<number>(length - r.length).fill(0)]),
      attentionMask: rows.flatMap((r) => [...new Array<number>(r.length).fill(1), ...new Array<number>(length - r.length).fill(0)]),
    });
    const batchSize = 8;
    const inOrder: number[][][] = [];
    for (let i = 0; i < sentences.length; i += batchSize) inOrder.push(sentences.slice(i, i + batchSize));
    const sorted = [...sentences].sort((a, b) => a.length - b.length);
    const byLength: number[][][] = [];
    for (let i = 0; i < sorted.length; i += batchSize) byLength.push(sorted.slice(i, i + batchSize));
    const schemes = [
      { name: "fixed 128", batches: inOrder.map((rows) => pad(rows, 128)) },
      { name: "dynamic (longest in batch)", batches: inOrder.map((rows) => pad(rows, Math.max(...rows.map((r) => r.length)))) },
      { name: "dynamic, length-sorted", batches: byLength.map((rows) => pad(rows, Math.max(...rows.map((r) => r.length)))) },
    ];
    console.log(`\n3. Padding: ${sentences.length} SST-2 validation sentences (tokenizer: ${tokenizerSource}; mean ${f(meanLength, 1)} tokens, max ${Math.max(...lengths)}), batch ${batchSize}; total seconds for all batches (speed-up vs fixed 128 of the same runtime)`);
    const rows: Record<string, unknown>[] = [];
    for (const runner of [tfjs, onnxFp32, onnxInt8]) {
      await runner.forward(schemes[0]!.batches[0]!); // warm-up
      const totals = schemes.map(() => 0);
      for (let k = 0; k < inOrder.length; k++) {
        for (const [s, scheme] of schemes.entries()) {
          const b = scheme.batches[k];
          if (b === undefined) continue;
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
          totals[s]! += await timeCall(() => runner.forward(b));
        }
      }
      for (const [s, scheme] of schemes.entries()) {
        const padded = scheme.batches.reduce((a, b) => a + b.batch * b.seq, 0);
        rows.push({ runtime: runner.label, padding: scheme.name, "tokens computed": padded, "real share": `${f((100 * lengths.reduce((a, b) => a + b, 0)) / padded, 1)} %`, seconds: f(totals[s]! / 1000, 3), "sentences/s": f((sentences.length * 1000) / totals[s]!, 1), "speed-up": `${f(totals[0]! / totals[s]!)}×` });
      }
    }
    console.log(tableText(rows));

    // 4. Sizes and accuracy.
    const sample = pad(inOrder[0]!, Math.max(...inOrder[0]!.map((r) => r.length)));
    const reference = tidyData(() => model.logits({ inputIds: tf.tensor2d(Int32Array.from(sample.inputIds), [sample.batch, sample.seq], "int32"), attentionMask: tf.tensor2d(Int32Array.from(sample.attentionMask), [sample.batch, sample.seq], "int32") }));
    const fp32Logits = (await onnxFp32.session.run(sample)).data;
    const int8Logits = (await onnxInt8.session.run(sample)).data;
    const quantized = quantizeWeightsInt8(model.bert);
    const tfjsInt8 = withHead("sequence", quantized.model, 2, new Rng(1));
    for (const [name, v] of model.head) tfjsInt8.head.get(name)?.assign(v);
    const tfjsInt8Logits = tidyData(() => tfjsInt8.logits({ inputIds: tf.tensor2d(Int32Array.from(sample.inputIds), [sample.batch, sample.seq], "int32"), attentionMask: tf.tensor2d(Int32Array.from(sample.attentionMask), [sample.batch, sample.seq], "int32") }));
    tfjsInt8.dispose();
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);
    const scale = Math.max(...Array.from(reference, Math.abs));
    const fp32Bytes = exported.files["onnx/model.onnx"] ?? 0;
    const int8Bytes = exported.files["onnx/model_quantized.onnx"] ?? 0;
    console.log(`\n4. Sizes and logits differences (first SST-2 batch, ${sample.batch}×${sample.seq}, padded; max |logit| ${scale.toExponential(2)})`);
    console.log(
      tableText([
        { model: "onnx fp32 (model.onnx)", "MB on disk": f(fp32Bytes / 1e6), "smaller by": "1.00×", "max |Δlogits|": `${maxDiff(fp32Logits, reference).toExponential(2)} vs tfjs` },
        { model: "onnx int8 (model_quantized.onnx)", "MB on disk": f(int8Bytes / 1e6), "smaller by": `${f(fp32Bytes / int8Bytes)}×`, "max |Δlogits|": `${maxDiff(int8Logits, fp32Logits).toExponential(2)} vs onnx fp32` },
        { model: "tfjs fp32 parameters", "MB on disk": f(quantized.fp32Bytes / 1e6), "smaller by": "1.00×", "max |Δlogits|": "—" },
        { model: "tfjs weight-only int8", "MB on disk": f(quantized.bytes / 1e6), "smaller by": `${f(quantized.fp32Bytes / quantized.bytes)}×`, "max |Δlogits|": `${maxDiff(tfjsInt8Logits, reference).toExponential(2)} vs tfjs fp32` },
      ]),
    );
    goals.push(`size: int8 ONNX ${f(fp32Bytes / int8Bytes)}× smaller ${fp32Bytes / int8Bytes >= 3 ? "(met)" : "(NOT met)"}`);
    console.log(`\nGoals (issue 6: fp32 ONNX ≥ 5× tfjs-wasm at batch 1; int8 ≥ 2× fp32 ONNX and ≥ 3× smaller):\n${goals.map((g) => `  ${g}`).join("\n")}`);
  } finally {
    for (const r of runners) await r.close();
    model.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
