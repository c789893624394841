/**
 * What a training run writes for TensorBoard, in `<run>/tb/`: the run's config as Markdown text (tag `config`),
 * every step's scalars (`train/loss`, `train/lr`, `train/gradNorm`, `train/throughput`, `train/seconds` — the
 * keys of `metrics.jsonl`'s step lines), every evaluation's metrics (`eval/<name>`), and histograms of the weights
 * (`weights/<parameter>`) at the start and every `histogramEvery` steps. `<run>/run.json` holds the same config for
 * `course runs`.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic";
import { EventWriter } from "./event-writer";
import { truncateEvents } from "./event-reader";
import { histogramValue, scalarValue, textValue } from "./summary";

/** The event folder of a run folder. */
export const EVENTS_DIR = "tb";
/** The config file of a run folder. */
export const RUN_FILE = "run.json";

/** How a training run writes TensorBoard events. */
export interface TensorBoardOptions {
  /** Weight histograms every N steps, and at the start and the end (default: `evalEvery`, else a tenth of the steps); 0 turns them off. */
  histogramEvery?: number;
  /** Buckets per histogram (default 30, TensorBoard's). */
  bins?: number;
}

/** `run.json`: what a run was asked to do, and where and when it ran. */
export interface RunInfo {
  startedAt: string;
  host: string;
  /** Step the run continued from (0 for a fresh run). */
  resumedFrom: number;
  /** The trainer's options (steps, lr, …). */
  trainer: Record<string, unknown>;
  /** The caller's facts (model config, task, …). */
  run: Record<string, unknown>;
}

/** A parameter whose values a histogram can read (a `tf.Variable`). */
export interface HistogramSource {
  dataSync(): ArrayLike<number>;
}

/** The events of one training run (see the file comment). */
export class TrainingEvents {
  private readonly writer: EventWriter;
  private readonly bins: number;

  /**
   * Opens a new event file in `<outDir>/tb`, writes `run.json` and the `config` text. When resuming from
   * `info.resumedFrom` > 0, first cuts earlier event files back to that step and marks the restart.
   */
  constructor(outDir: string, info: Omit<RunInfo, "startedAt" | "host">, options: { bins?: number } = {}) {
    const { bins = 30 } = options;
    this.bins = bins;
    const dir = join(outDir, EVENTS_DIR);
    if (info.resumedFrom > 0) truncateEvents(dir, info.resumedFrom);
    const full: RunInfo = { startedAt: new Date().toISOString(), host: hostname(), ...info };
    writeFileAtomic(join(outDir, RUN_FILE), `${JSON.stringify(full, null, 2)}\n`);
    this.writer = new EventWriter(dir);
    if (info.resumedFrom > 0) this.writer.sessionStart(info.resumedFrom + 1);
    this.writer.summary(info.resumedFrom, [textValue("config", configMarkdown(full))]);
  }

  /** The event file's path. */
  get path(): string {
    return this.writer.path;
  }

  /** One step's scalars: each finite number of `record` but `step`, as `train/<key>`. */
  step(record: { step: number } & Record<string, number>): void {
    this.writer.summary(record.step, numbers(record, "train/"));
  }

  /** An evaluation's metrics as `eval/<name>`. */
  evaluation(step: number, metrics: Readonly<Record<string, number>>): void {
    this.writer.summary(step, numbers(metrics, "eval/"));
  }

  /** Histograms of every parameter as `weights/<name>` (reads each parameter's values once). */
  weights(step: number, params: Iterable<[string, HistogramSource]>): void {
    const values = [...params].map(([name, p]) => histogramValue(`weights/${name}`, p.dataSync(), this.bins));
    this.writer.summary(step, values);
  }

  /** Flushes and closes the event file. */
  close(): void {
    this.writer.close();
  }
}

/** The run's config as the Markdown the Text dashboard shows: a fenced JSON block. */
export function configMarkdown(info: RunInfo): string {
  return `\`\`\`json\n${JSON.stringify(info, null, 2)}\n\`\`\``;
}

/** Scalar values of the finite numbers of `record` (but `step`), tagged `<prefix><key>`. */
function numbers(record: Readonly<Record<string, number>>, prefix: string) {
  return Object.entries(record)
    .filter(([key, value]) => key !== "step" && typeof value === "number" && Number.isFinite(value))
    .map(([key, value]) => scalarValue(`${prefix}${key}`, value));
}
