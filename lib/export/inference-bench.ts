/**
 * Inference timing shared by `course bench infer` and `bench/inference.ts`: one forward pass per call on a
 * fixed padded batch, through tfjs (the course's backend) or onnxruntime (fp32 or int8 file), and latency
 * percentiles over repeated calls. Each call returns the logits to JavaScript, so both runtimes pay the copy out.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertModel } from "../model/bert";
import type { TaskModel } from "../tasks/heads";
import { openOnnx, type OnnxBatch, type OnnxRunner, type OnnxSessionOptions } from "./onnx-runtime";

/** One forward pass on the batch it was built for; resolves when the logits are in JavaScript memory. */
export interface InferenceRunner {
  label: string;
  forward(batch: OnnxBatch): Promise<void>;
  close(): Promise<void>;
}

/** Latency statistics in milliseconds. */
export interface LatencyStats {
  p50: number;
  p95: number;
  mean: number;
  /** Sequences per second at the median latency. */
  throughput: number;
  samples: number[];
}

/** The `q`-quantile (0–1) of `values` by linear interpolation (NumPy's default). */
function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("quantile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Stats of latency samples (ms) for batches of `batchSize` sequences. */
export function latencyStats(samples: readonly number[], batchSize: number): LatencyStats {
  const p50 = quantile(samples, 0.5);
  return { p50, p95: quantile(samples, 0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length, throughput: (batchSize * 1000) / p50, samples: [...samples] };
}

/** Times one call (ms). */
export async function timeCall(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A random `[B, T]` batch of ids in `[first, vocabSize)` (skipping special tokens), all real (mask 1). */
export function randomInferenceBatch(batch: number, seq: number, vocabSize: number, rng: Rng, first = 5): OnnxBatch {
  const inputIds = Array.from({ length: batch * seq }, () => first + rng.int(vocabSize - first));
  return { batch, seq, inputIds, attentionMask: new Array<number>(batch * seq).fill(1) };
}

/**
 * A tfjs runner: `logits` of a `TaskModel`, or the MLM logits over every position of a `BertModel` (what
 * the fill-mask ONNX graph outputs). Leaves no tensor behind.
 */
export function tfjsRunner(model: BertModel | TaskModel, label = "tfjs"): InferenceRunner {
  return {
    label,
    async forward(b: OnnxBatch): Promise<void> {
      const logits = tf.tidy(() => {
        const inputs = {
          inputIds: tf.tensor2d(Int32Array.from(b.inputIds), [b.batch, b.seq], "int32"),
          attentionMask: tf.tensor2d(Int32Array.from(b.attentionMask), [b.batch, b.seq], "int32"),
          ...(b.tokenTypeIds ? { tokenTypeIds: tf.tensor2d(Int32Array.from(b.tokenTypeIds), [b.batch, b.seq], "int32") } : {}),
        };
        return "kind" in model ? model.logits(inputs) : model.mlmLogits(model.encode(inputs).hidden);
      });
      await logits.data();
      logits.dispose();
    },
    async close(): Promise<void> {},
  };
}

/** An onnxruntime runner on `path`. */
export async function onnxRunner(path: string, options: OnnxSessionOptions & { label?: string } = {}): Promise<InferenceRunner & { session: OnnxRunner }> {
  const { label = "onnx", ...sessionOptions } = options;
  const session = await openOnnx(path, sessionOptions);
  return {
    label,
    session,
    async forward(b: OnnxBatch): Promise<void> {
      await session.run(b);
    },
    close: () => session.release(),
  };
}

/**
 * Times `runners` on `batch`, interleaved (round-robin, one call each per round) so that load from other
 * processes on a shared machine falls on all of them alike. `warmup` rounds are not recorded; `pauseMs`
 * (default 0) idles before each call, so one runner's spinning worker threads do not slow the next.
 * @returns per-runner latency stats, in the order given
 */
export async function benchInterleaved(runners: readonly InferenceRunner[], batch: OnnxBatch, options: { iterations?: number; warmup?: number; pauseMs?: number } = {}): Promise<LatencyStats[]> {
  const { iterations = 20, warmup = 2, pauseMs = 0 } = options;
  const samples = runners.map(() => [] as number[]);
  for (let round = 0; round < warmup + iterations; round++) {
    for (const [i, runner] of runners.entries()) {
      // onnxruntime's pool threads spin after a run; a pause lets them sleep before the next runner is timed.
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const ms = await timeCall(() => runner.forward(batch));
      if (round >= warmup) samples[i]?.push(ms);
    }
  }
  return samples.map((s) => latencyStats(s, batch.batch));
}
