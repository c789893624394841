/**
 * The run registry: every run folder under a root (the course's `out/` by default), read back from what the
 * trainer wrote — `metrics.jsonl` (steps and evaluations), `run.json` (config), `tb/` (TensorBoard events) and,
 * for fine-tuning, `metrics.json` (test scores). Plain data in and out: `course runs` and notebooks format it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { eventFiles } from "./event-reader";
import { EVENTS_DIR, RUN_FILE, type RunInfo } from "./training-events";

/** Files that make a folder a run folder. */
const MARKERS = ["metrics.jsonl", RUN_FILE] as const;
/** Folders never searched for runs (their content belongs to the run above them). */
const SKIP = new Set(["checkpoint", EVENTS_DIR, "adapter", "node_modules"]);

/** A step line of `metrics.jsonl`. */
export interface StepLine {
  step: number;
  [key: string]: number;
}

/** Everything a run folder records. */
export interface RunRecord {
  /** The folder relative to the root it was found under (or as given). */
  name: string;
  dir: string;
  /** `run.json`, when the trainer wrote one. */
  info: RunInfo | null;
  /** "pretrain", "finetune <task>" (with " + <peft method>") or "train". */
  kind: string;
  steps: StepLine[];
  evaluations: { step: number; metrics: Record<string, number> }[];
  /** `metrics.json`'s test scores (fine-tuning runs). */
  test: Record<string, number> | null;
  /** TensorBoard event files in `tb/`. */
  eventFiles: string[];
}

/**
 * Reads a `metrics.jsonl`: step lines and `{step, eval}` lines. A torn last line (a run killed mid-write) is
 * left out; any other line that is not JSON is an error.
 * @throws `<file>:<line>: not JSON (…)`
 */
export function readMetricsLog(file: string): Pick<RunRecord, "steps" | "evaluations"> {
  const steps: StepLine[] = [];
  const evaluations: RunRecord["evaluations"] = [];
  if (!existsSync(file)) return { steps, evaluations };
  const lines = readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let parsed: { step: number; eval?: Record<string, number> } & Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      if (i === lines.length - 1) return; // no newline yet: the writer was killed mid-line
      throw new Error(`${file}:${i + 1}: not JSON (${(error as Error).message}); the run log is damaged — delete the line or the run`);
    }
    if (parsed.eval !== undefined) evaluations.push({ step: parsed.step, metrics: parsed.eval });
    else steps.push(parsed as StepLine);
  });
  return { steps, evaluations };
}

/**
 * Reads one run folder.
 * @param name how to call it (default: the folder as given)
 * @throws `<dir>: not a run folder (no metrics.jsonl or run.json)`, or on a damaged log (see `readMetricsLog`)
 */
export function readRun(dir: string, name = dir): RunRecord {
  if (!isRunDir(dir)) throw new Error(`${dir}: not a run folder (no ${MARKERS.join(" or ")}); \`course runs list\` shows the runs`);
  const info = readJson<RunInfo>(join(dir, RUN_FILE));
  const metrics = readJson<{ test?: Record<string, number> }>(join(dir, "metrics.json"));
  return { name, dir, info, kind: kindOf(info), ...readMetricsLog(join(dir, "metrics.jsonl")), test: metrics?.test ?? null, eventFiles: eventFiles(join(dir, EVENTS_DIR)) };
}

/**
 * Every run folder under `root`, up to `depth` folders down, oldest first (by `run.json`'s start, else the log's
 * modification time).
 * @param options.onError called with a run folder that cannot be read and why, which is then left out (default:
 * the error is thrown)
 * @throws `<root>: no such folder`, or a damaged run's error without `onError`
 */
export function listRuns(root: string, options: { depth?: number; onError?(dir: string, error: Error): void } = {}): RunRecord[] {
  const { depth = 4, onError } = options;
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${root}: no such folder; pass the folder that holds your runs with --dir`);
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    if (isRunDir(dir)) found.push(dir);
    if (level >= depth) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith(".")) walk(join(dir, entry.name), level + 1);
    }
  };
  walk(resolve(root), 0);
  const runs: RunRecord[] = [];
  for (const dir of found) {
    try {
      runs.push(readRun(dir, relative(resolve(root), dir) || "."));
    } catch (error) {
      if (onError === undefined) throw error;
      onError(dir, error as Error);
    }
  }
  const started = (r: RunRecord) => (r.info ? Date.parse(r.info.startedAt) : statSync(join(r.dir, "metrics.jsonl")).mtimeMs);
  return runs.sort((a, b) => started(a) - started(b) || a.name.localeCompare(b.name));
}

/**
 * Finds a run by folder path, or by name (its path under `root`, or a unique suffix of it).
 * @throws `run "<name>" not found under <root> (…)` or `… is ambiguous (…)`, listing the candidates
 */
export function findRun(nameOrDir: string, root: string): RunRecord {
  if (existsSync(nameOrDir) && isRunDir(nameOrDir)) return readRun(nameOrDir);
  const runs = existsSync(root) ? listRuns(root, { onError: () => undefined }) : [];
  const exact = runs.find((r) => r.name === nameOrDir);
  if (exact) return exact;
  const matches = runs.filter((r) => r.name.endsWith(`/${nameOrDir}`) || r.name.split("/").at(-1) === nameOrDir);
  if (matches.length === 1) return matches[0] as RunRecord;
  const names = (matches.length > 1 ? matches : runs).map((r) => r.name);
  if (matches.length > 1) throw new Error(`run "${nameOrDir}" is ambiguous under ${root}: ${names.join(", ")}; give more of its path`);
  throw new Error(`run "${nameOrDir}" not found under ${root} (runs: ${names.length ? names.join(", ") : "none"}); give its folder or --dir`);
}

/** The last value of `metric` in a run: a step key (`loss`, `lr`, …) or `eval/<name>` / `test/<name>`. */
export function lastValue(run: RunRecord, metric: string): number | null {
  return runSeries(run, metric).y.at(-1) ?? null;
}

/**
 * One metric of a run as plain arrays: step keys (`loss`, `gradNorm`, `throughput`, …) from the step lines,
 * `eval/<name>` from the evaluations, `test/<name>` as a single point at the last step.
 */
export function runSeries(run: RunRecord, metric: string): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  if (metric.startsWith("eval/")) {
    const key = metric.slice(5);
    for (const e of run.evaluations) {
      if (typeof e.metrics[key] !== "number") continue;
      x.push(e.step);
      y.push(e.metrics[key] as number);
    }
  } else if (metric.startsWith("test/")) {
    const value = run.test?.[metric.slice(5)];
    if (typeof value === "number") {
      x.push(run.steps.at(-1)?.step ?? 0);
      y.push(value);
    }
  } else {
    for (const s of run.steps) {
      if (typeof s[metric] !== "number") continue;
      x.push(s.step);
      y.push(s[metric] as number);
    }
  }
  return { x, y };
}

/** The metric names a run has, as `runSeries` takes them. */
export function runMetrics(run: RunRecord): string[] {
  const names = new Set<string>();
  for (const s of run.steps) for (const key of Object.keys(s)) if (key !== "step") names.add(key);
  for (const e of run.evaluations) for (const key of Object.keys(e.metrics)) names.add(`eval/${key}`);
  for (const key of Object.keys(run.test ?? {})) if (typeof run.test?.[key] === "number") names.add(`test/${key}`);
  return [...names];
}

/**
 * The config entries (`trainer.*`, `run.*`, flattened to dotted keys) whose values differ between `runs` — what
 * a comparison is about.
 */
export function configDifferences(runs: readonly RunRecord[]): { key: string; values: unknown[] }[] {
  const flat = runs.map((r) => flatten({ trainer: r.info?.trainer ?? {}, run: r.info?.run ?? {} }));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((f) => f.get(key)) }))
    .filter(({ values }) => new Set(values.map((v) => JSON.stringify(v))).size > 1);
}

function flatten(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function isRunDir(dir: string): boolean {
  return MARKERS.some((m) => existsSync(join(dir, m)));
}

function readJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
}

function kindOf(info: RunInfo | null): string {
  const run = info?.run ?? {};
  if (typeof run["task"] === "string") {
    const peft = run["peft"] as { method?: string } | null | undefined;
    return `finetune ${run["task"]}${peft?.method ? ` + ${peft.method}` : ""}`;
  }
  if (run["config"] !== undefined && run["seqLength"] !== undefined) return "pretrain";
  return "train";
}
