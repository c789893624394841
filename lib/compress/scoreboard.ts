/**
 * The acceleration scoreboard (notebook 06, `bench/compress.ts`): for each model variant its size, latency at
 * batch 1 and 8 (p50, p95), throughput and accuracy on one test set. All runners are timed in ONE interleaved
 * loop per batch size (`benchInterleaved`), so load from other processes falls on every row alike.
 */
import { Rng } from "../core/rng";
import { benchInterleaved, randomInferenceBatch, type InferenceRunner } from "../export/inference-bench";
import { formatEstimate } from "../eval/bootstrap";
import { accuracyIntervalFromCount } from "../eval/metric-intervals";

/** One contender: how to run it and what is already known about it. */
export interface ScoreboardEntry {
  /** Row name, e.g. "int8 ONNX". */
  name: string;
  /** "tfjs-wasm", "onnxruntime", … */
  runtime: string;
  /** Bytes on disk (the file a deployment ships), or of the float32 parameters when there is no file. */
  bytes: number;
  /** Test accuracy. */
  accuracy: number;
  runner: InferenceRunner;
  /** Forward passes per prediction (an ensemble of K: K). */
  passes?: number;
}

/** One row of the table (a type alias, not an interface: `showTable` needs the implicit index signature). */
export type ScoreboardRow = {
  model: string;
  runtime: string;
  "size MB": number;
  "p50 b1 ms": number;
  "p95 b1 ms": number;
  "p50 b8 ms": number;
  "p95 b8 ms": number;
  /** Sequences per second at batch 8 (median latency). */
  "seq/s b8": number;
  accuracy: number;
  /** The accuracy's 95% percentile bootstrap interval, "0.814 [0.761, 0.863]", when `testSize` was given. */
  "accuracy 95% CI"?: string;
};

/** Options of `measureScoreboard`. */
export interface ScoreboardOptions {
  /** Tokens per sequence of the timed batches (default 64). */
  seq?: number;
  /** Ids are drawn from `[5, vocabSize)`. */
  vocabSize: number;
  /** Timed calls per runner and batch size (default 20), after `warmup` (default 2). */
  iterations?: number;
  warmup?: number;
  /** Idle ms before each call (onnxruntime's spinning pool threads; default 20). */
  pauseMs?: number;
  seed?: number;
  /** Examples in the (shared) test set: each row's accuracy then gets its 95% bootstrap interval (lib/eval). */
  testSize?: number;
}

/**
 * Times every entry at batch 1 and batch 8 on random ids (all tokens real) and returns the table rows,
 * in the order given. Does not close the runners.
 */
export async function measureScoreboard(entries: readonly ScoreboardEntry[], options: ScoreboardOptions): Promise<ScoreboardRow[]> {
  const { seq = 64, vocabSize, iterations = 20, warmup = 2, pauseMs = 20, seed = 0, testSize } = options;
  const rng = new Rng(seed);
  const runners = entries.map((e) => e.runner);
  const b1 = await benchInterleaved(runners, randomInferenceBatch(1, seq, vocabSize, rng), { iterations, warmup, pauseMs });
  const b8 = await benchInterleaved(runners, randomInferenceBatch(8, seq, vocabSize, rng), { iterations, warmup, pauseMs });
  return entries.map((e, i) => {
    const one = b1[i] as (typeof b1)[number];
    const eight = b8[i] as (typeof b8)[number];
    return {
      model: e.name,
      runtime: e.runtime,
      "size MB": e.bytes / 1e6,
      "p50 b1 ms": one.p50,
      "p95 b1 ms": one.p95,
      "p50 b8 ms": eight.p50,
      "p95 b8 ms": eight.p95,
      "seq/s b8": eight.throughput,
      accuracy: e.accuracy,
      ...(testSize === undefined ? {} : { "accuracy 95% CI": formatEstimate(accuracyIntervalFromCount(Math.round(e.accuracy * testSize), testSize)) }),
    };
  });
}

/** The rows as a GitHub markdown table (numbers: MB 2 decimals, ms 1–2, accuracy 4). */
export function scoreboardMarkdown(rows: readonly ScoreboardRow[]): string {
  const withIntervals = rows.some((r) => r["accuracy 95% CI"] !== undefined);
  const columns = ["model", "runtime", "size MB", "p50 b1 ms", "p95 b1 ms", "p50 b8 ms", "p95 b8 ms", "seq/s b8", withIntervals ? "accuracy 95% CI" : "accuracy"] as const;
  const cell = (row: ScoreboardRow, c: (typeof columns)[number]): string => {
    const v = row[c];
    if (v === undefined) return "—";
    if (typeof v === "string") return v;
    if (c === "accuracy") return v.toFixed(4);
    if (c === "seq/s b8") return v.toFixed(0);
    return v < 10 ? v.toFixed(2) : v.toFixed(1);
  };
  return [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${columns.map((c) => cell(r, c)).join(" | ")} |`)].join("\n");
}
