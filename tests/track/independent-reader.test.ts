// TensorBoard event files of real training runs (tests/train/fixtures/train-run.ts: MLM pretraining through
// lib/train's trainer), read by a reader that shares no code with lib/track: tests/fixtures/tensorboard/
// read_events.py — its own TFRecord framing, CRC-32C from Debian's python3-crcmod, Event messages parsed by Google's
// python3-protobuf from .proto files compiled by protoc (protobuf-compiler). Checked: zero CRC errors and no unknown
// fields; every scalar equal to the JSONL log's value (as float32, `simple_value`'s type); histogram buckets summing
// to the parameter's size; the config text equal to run.json; and a run killed with SIGKILL readable up to its last
// step, then resumed into one run equal to the uninterrupted one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventFiles, readMetricsLog } from "../../lib/track";

const PYTHON = "/usr/bin/python3";
const READER = join(__dirname, "..", "fixtures", "tensorboard", "read_events.py");
const TRAIN_RUN = join(__dirname, "..", "train", "fixtures", "train-run.ts");

interface PyValue {
  tag: string;
  unknown_fields: number;
  plugin?: string;
  simple_value?: number;
  histo?: { min: number; max: number; num: number; bucket_limit: number[]; bucket: number[] };
  tensor?: { dtype: string; rank: number; strings: string[] };
}
interface PyEvent {
  step: number;
  wall_time: number;
  unknown_fields: number;
  file_version?: string;
  writer?: string;
  session_log?: string;
  values?: PyValue[];
}
interface PyFile {
  path: string;
  records: number;
  crc_errors: number;
  torn_bytes: number;
  events: PyEvent[];
}

/** The Python reader's view of `files`. */
function pythonRead(files: string[]): PyFile[] {
  const r = spawnSync(PYTHON, [READER, ...files], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    throw new Error(`${READER} failed (${r.status ?? r.error?.message}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}\n` + "It needs Debian's python3-protobuf, protobuf-compiler and python3-crcmod (apt-get install -y python3-protobuf protobuf-compiler python3-crcmod; .ci/run installs them).");
  }
  return (JSON.parse(r.stdout) as { files: PyFile[] }).files;
}

function trainRun(outDir: string, steps: number, options: { resume?: boolean; killAt?: number } = {}): number | null {
  const r = spawnSync(process.execPath, ["--import", "tsx", TRAIN_RUN, outDir, String(steps), ...(options.resume ? ["--resume"] : [])], {
    encoding: "utf8",
    env: { ...process.env, ...(options.killAt ? { KILL_AT_STEP: String(options.killAt) } : {}) },
  });
  if (r.status !== 0 && r.signal === null) throw new Error(`train-run failed:\n${r.stderr}`);
  return r.status;
}

/** Scalars by tag → step → value, with TensorBoard's restart rule (SessionLog.START at s drops earlier points ≥ s). */
function scalars(files: PyFile[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const file of files) {
    for (const event of file.events) {
      if (event.session_log === "START") for (const series of out.values()) for (const step of series.keys()) if (step >= event.step) series.delete(step);
      for (const value of event.values ?? []) {
        if (value.simple_value === undefined) continue;
        if (!out.has(value.tag)) out.set(value.tag, new Map());
        const series = out.get(value.tag) as Map<number, number>;
        assert.ok(!series.has(event.step), `${value.tag} written twice at step ${event.step}`);
        series.set(event.step, value.simple_value);
      }
    }
  }
  return out;
}

/** Asserts the event scalars equal the JSONL log's steps and evaluations, each as float32. */
function assertSameAsLog(files: PyFile[], runDir: string): void {
  const log = readMetricsLog(join(runDir, "metrics.jsonl"));
  const tb = scalars(files);
  const expected = new Map<string, Map<number, number>>();
  const add = (tag: string, step: number, value: number) => {
    if (!expected.has(tag)) expected.set(tag, new Map());
    expected.get(tag)?.set(step, Math.fround(value));
  };
  for (const line of log.steps) for (const [key, value] of Object.entries(line)) if (key !== "step") add(`train/${key}`, line.step, value);
  for (const e of log.evaluations) for (const [key, value] of Object.entries(e.metrics)) add(`eval/${key}`, e.step, value);
  assert.deepEqual([...tb.keys()].sort(), [...expected.keys()].sort(), "the same tags as the log's keys");
  for (const [tag, series] of expected) assert.deepEqual(tb.get(tag), series, tag);
}

function assertClean(files: PyFile[]): void {
  for (const file of files) {
    assert.equal(file.crc_errors, 0, `${file.path}: CRC errors`);
    assert.equal(file.events[0]?.file_version, "brain.Event:2", `${file.path}: first event`);
    for (const event of file.events) {
      assert.equal(event.unknown_fields, 0, `${file.path} step ${event.step}: fields the published schema does not have`);
      for (const value of event.values ?? []) assert.equal(value.unknown_fields, 0, `${file.path} ${value.tag}: unknown fields`);
    }
  }
}

test("an uninterrupted run: zero CRC errors, the JSONL log's values, histogram buckets summing to the counts, the config text", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "track-reader-")), "full");
  trainRun(dir, 10);
  const files = pythonRead(eventFiles(join(dir, "tb")));
  assert.equal(files.length, 1);
  assertClean(files);
  assert.equal(files[0]?.torn_bytes, 0);
  assertSameAsLog(files, dir);

  const events = files[0]?.events ?? [];
  const histograms = events.flatMap((e) => (e.values ?? []).filter((v) => v.histo).map((v) => ({ step: e.step, ...v })));
  assert.deepEqual([...new Set(histograms.map((h) => h.step))], [0, 4, 8, 10], "at the start, every evalEvery (4) steps and at the end");
  const atStart = histograms.filter((h) => h.step === 0);
  assert.ok(atStart.length > 20 && atStart.every((h) => h.tag.startsWith("weights/")), "one histogram per parameter");
  const embeddings = atStart.find((h) => h.tag === "weights/bert.embeddings.word_embeddings.weight");
  assert.equal(embeddings?.histo?.num, 35 * 32, "vocabulary 35 × hidden 32 values");
  for (const h of histograms) {
    const histo = h.histo as NonNullable<PyValue["histo"]>;
    assert.equal(histo.bucket.reduce((a, b) => a + b, 0), histo.num, `${h.tag} @${h.step}: buckets sum to the count`);
    assert.equal(histo.bucket.length, histo.bucket_limit.length);
    assert.equal(histo.bucket_limit.at(-1), histo.max);
  }

  const text = events.flatMap((e) => (e.values ?? []).filter((v) => v.tag === "config"));
  assert.equal(text.length, 1);
  assert.equal(text[0]?.plugin, "text");
  assert.deepEqual([text[0]?.tensor?.dtype, text[0]?.tensor?.rank], ["DT_STRING", 0]);
  const fenced = /^```json\n([\s\S]*)\n```$/.exec(text[0]?.tensor?.strings[0] ?? "");
  assert.ok(fenced, "a fenced JSON block");
  assert.deepEqual(JSON.parse(fenced[1] as string), JSON.parse(readFileSync(join(dir, "run.json"), "utf8")), "the config text is run.json");
});

test("a run killed with SIGKILL at step 6 leaves a readable file; resumed, the events read as the uninterrupted run", () => {
  const root = mkdtempSync(join(tmpdir(), "track-kill-"));
  const full = join(root, "full");
  trainRun(full, 10);
  const killed = join(root, "killed");
  trainRun(killed, 10, { killAt: 6 });
  const afterKill = pythonRead(eventFiles(join(killed, "tb")));
  assertClean(afterKill);
  assert.deepEqual([...(scalars(afterKill).get("train/loss")?.keys() ?? [])], [1, 2, 3, 4, 5, 6], "every step up to the kill");
  assertSameAsLog(afterKill, killed);

  trainRun(killed, 10, { resume: true });
  const resumed = pythonRead(eventFiles(join(killed, "tb")));
  assert.equal(resumed.length, 2, "the killed run's file (cut back to the step-4 checkpoint) and the resumed run's");
  assertClean(resumed);
  assert.ok(resumed[1]?.events.some((e) => e.session_log === "START" && e.step === 5), "the restart is marked for TensorBoard");
  assertSameAsLog(resumed, killed);
  // Losses equal the uninterrupted run's (the trainer's resume replays them exactly).
  const loss = scalars(resumed).get("train/loss");
  assert.deepEqual(loss, scalars(pythonRead(eventFiles(join(full, "tb")))).get("train/loss"));
});
