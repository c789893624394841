/**
 * Reading TensorBoard event files back: every complete record of a file, CRCs checked, decoded as `Event`s; the
 * scalars of a run folder as series; and cutting files back to a step (what a resumed run does with the tail a
 * killed run wrote past its checkpoint).
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic";
import { decodeEvent, type TfEvent } from "./event-proto";
import { EVENT_FILE_MARK } from "./event-writer";
import { frameRecord, readRecords } from "./tfrecord";

/** The events of one file, and how many bytes at its end are a torn record. */
export interface EventFile {
  path: string;
  events: TfEvent[];
  tornBytes: number;
}

/** The event files in `dir` (not recursive), oldest first (their names start with the creation time). */
export function eventFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.includes(EVENT_FILE_MARK))
    .sort((a, b) => eventFileTime(a) - eventFileTime(b) || a.localeCompare(b))
    .map((name) => join(dir, name));
}

/** `events.out.tfevents.<seconds>.…` → seconds (0 when the name has no number there). */
function eventFileTime(name: string): number {
  return Number(name.split(`${EVENT_FILE_MARK}.`)[1]?.split(".")[0] ?? 0) || 0;
}

/**
 * Reads one event file.
 * @throws `<path>: record at byte N: … CRC mismatch …` on a corrupted record, or `<path>: record N is not an Event (…)`
 */
export function readEventFile(path: string): EventFile {
  const scan = readRecords(readFileSync(path), path);
  const events = scan.records.map((record, i) => {
    try {
      return decodeEvent(record);
    } catch (error) {
      throw new Error(`${path}: record ${i} (byte ${scan.offsets[i]}) is not an Event (${(error as Error).message})`);
    }
  });
  return { path, events, tornBytes: scan.tornBytes };
}

/** One scalar tag's points, in file order. */
export interface ScalarSeries {
  steps: number[];
  values: number[];
  wallTimes: number[];
}

/**
 * The scalars (`simple_value`s) of every event file in `dir`, by tag, honouring restarts as TensorBoard does: a
 * `SessionLog.START` at step s drops the points at step s or above written before it.
 */
export function readScalars(dir: string): Map<string, ScalarSeries> {
  const series = new Map<string, ScalarSeries>();
  for (const file of eventFiles(dir)) {
    for (const event of readEventFile(file).events) {
      if (event.session_log?.status === "START") {
        for (const s of series.values()) {
          const keep = s.steps.findIndex((step) => step >= event.step);
          if (keep >= 0) for (const list of [s.steps, s.values, s.wallTimes]) list.length = keep;
        }
      }
      for (const value of event.summary?.value ?? []) {
        if (value.simple_value === undefined) continue;
        let s = series.get(value.tag);
        if (s === undefined) series.set(value.tag, (s = { steps: [], values: [], wallTimes: [] }));
        s.steps.push(event.step);
        s.values.push(value.simple_value);
        s.wallTimes.push(event.wall_time);
      }
    }
  }
  return series;
}

/**
 * Rewrites each event file in `dir` (atomically) without the events past `step` and without a torn tail: what a
 * run resumed from a step-`step` checkpoint does, so the curves show one run, not the killed one's extra tail.
 * @returns how many events were dropped
 */
export function truncateEvents(dir: string, step: number): number {
  let dropped = 0;
  for (const file of eventFiles(dir)) {
    const scan = readRecords(readFileSync(file), file);
    const kept = scan.records.filter((record) => decodeEvent(record).step <= step);
    if (kept.length === scan.records.length && scan.tornBytes === 0) continue;
    dropped += scan.records.length - kept.length;
    const framed = kept.map(frameRecord);
    const out = new Uint8Array(framed.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const r of framed) {
      out.set(r, at);
      at += r.length;
    }
    writeFileAtomic(file, out);
  }
  return dropped;
}
