/**
 * What TensorBoard event files cost a training run: BERT MLM pretraining through lib/train's trainer, the same
 * seeded run with `tensorboard: false` (the peer: the trainer as it was, JSONL log only) and with event files on
 * (scalars every step, weight histograms every `--histogram-every` steps), alternated `--repeats` times so a shared
 * machine's drift hits both alike. Prints the mean wall seconds per step of each — the time between consecutive
 * `onStep` calls, so the event writes and histograms after each update count (the first step left out: it compiles
 * kernels) — their ratio, and separately timed pieces: one step's scalar event, one histogram pass
 * over every weight, and the bytes written per step.
 *
 * Run: npx tsx bench/track-overhead.ts [--config mini] [--steps 8] [--batch 8] [--seq 64] [--repeats 2]
 *        [--histogram-every 4]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend, describeBackend, Rng } from "../lib/core";
import { BertModel, bertConfig, type BertPreset } from "../lib/model";
import { mlmTask, splitStream } from "../lib/pretrain";
import { BertTokenizer } from "../lib/text";
import { train } from "../lib/train";
import { eventFiles, TrainingEvents } from "../lib/track";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer, got ${process.argv[at + 1]}`);
  return value;
}
const config = (process.argv.includes("--config") ? process.argv[process.argv.indexOf("--config") + 1] : "mini") as BertPreset;
const steps = option("steps", 8);
const batchSize = option("batch", 8);
const seqLength = option("seq", 64);
const repeats = option("repeats", 2);
const histogramEvery = option("histogram-every", 4);

const words = Array.from({ length: 2000 }, (_, i) => `w${i}`);
const tokenizer = new BertTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...words]);
const streamRng = new Rng(3);
const stream = Int32Array.from({ length: 200_000 }, () => 5 + streamRng.int(words.length));

/** Mean wall seconds per step (between `onStep` calls, first step left out) of one run, and its event bytes. */
function run(events: boolean): { secondsPerStep: number; eventBytes: number } {
  const out = mkdtempSync(join(tmpdir(), "track-overhead-"));
  const model = BertModel.init(bertConfig(config, { vocabSize: tokenizer.vocabSize, maxPositions: Math.max(128, seqLength) }), new Rng(1));
  const task = mlmTask(model, tokenizer, splitStream(stream), { batchSize, seqLength, evalWindows: 8 });
  try {
    const times: number[] = [];
    train(task, { steps, lr: 1e-3, seed: 7, outDir: out, tensorboard: events ? { histogramEvery } : false, onStep: () => times.push(performance.now()) });
    const eventBytes = eventFiles(join(out, "tb")).reduce((n, f) => n + statSync(f).size, 0);
    return { secondsPerStep: ((times.at(-1) as number) - (times[0] as number)) / 1000 / (times.length - 1), eventBytes };
  } finally {
    task.dispose();
    model.dispose();
    rmSync(out, { recursive: true, force: true });
  }
}

(async () => {
  console.log(describeBackend(await initBackend()));
  console.log(`BERT-${config}, batch ${batchSize} × seq ${seqLength}, ${steps} steps per run, ${repeats} repeats; load average ${loadavg()[0]?.toFixed(2)}`);
  const off: number[] = [];
  const on: number[] = [];
  let bytes = 0;
  for (let r = 0; r < repeats; r++) {
    off.push(run(false).secondsPerStep);
    const withEvents = run(true);
    on.push(withEvents.secondsPerStep);
    bytes = withEvents.eventBytes;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  // The pieces, timed alone on the same model.
  const out = mkdtempSync(join(tmpdir(), "track-overhead-"));
  const model = BertModel.init(bertConfig(config, { vocabSize: tokenizer.vocabSize, maxPositions: Math.max(128, seqLength) }), new Rng(1));
  const events = new TrainingEvents(out, { resumedFrom: 0, trainer: {}, run: {} });
  const record = { step: 1, loss: 7.6, lr: 1e-3, gradNorm: 1.2, throughput: 900, seconds: 0.5 };
  let began = performance.now();
  for (let i = 0; i < 1000; i++) events.step({ ...record, step: i + 1 });
  const scalarMicros = ((performance.now() - began) / 1000) * 1000;
  began = performance.now();
  events.weights(1, model.params);
  const histogramMs = performance.now() - began;
  const parameters = [...model.params.values()].reduce((n, v) => n + v.size, 0);
  events.close();
  model.dispose();
  rmSync(out, { recursive: true, force: true });

  console.log(`seconds/step, events off: ${mean(off).toFixed(4)} (runs ${off.map((s) => s.toFixed(4)).join(", ")})`);
  console.log(`seconds/step, events on:  ${mean(on).toFixed(4)} (runs ${on.map((s) => s.toFixed(4)).join(", ")})`);
  console.log(`ratio on/off: ${(mean(on) / mean(off)).toFixed(3)}`);
  console.log(`one step's scalar event: ${scalarMicros.toFixed(1)} µs; one histogram pass over ${parameters} weights: ${histogramMs.toFixed(1)} ms; event bytes of one ${steps}-step run: ${bytes}`);
  console.log(`load average after: ${loadavg()[0]?.toFixed(2)}`);
})();
