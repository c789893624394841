/**
 * An append-only TensorBoard event file: `<dir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`, whose first
 * record is the `file_version` event ("brain.Event:2"), then one `Event` per call.
 *
 * Each event is framed (TFRecord, masked CRC32C) and handed to the operating system with one `write` before the
 * call returns: a process that crashes leaves every event it wrote readable, and at most one torn record at the
 * end (which readers skip). Nothing is fsynced per event — that would cost a disk flush per training step; `close`
 * fsyncs once.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { encodeEvent, type SummaryValue, type TfEvent } from "./event-proto";
import { frameRecord } from "./tfrecord";

/** The `file_version` every TensorBoard event file starts with. */
export const EVENT_FILE_VERSION = "brain.Event:2";

/** Substring TensorBoard looks for in file names (`tensorboard/backend/event_processing/io_wrapper.py`). */
export const EVENT_FILE_MARK = "tfevents";

let filesOpened = 0;

/** Writes one event file (see the file comment). */
export class EventWriter {
  /** The file's path. */
  readonly path: string;
  private fd: number | undefined;

  /**
   * Creates `dir` if needed and a new event file in it.
   * @param options.writer the `source_metadata.writer` of the first event (default "llm-course")
   * @throws `<dir>: cannot write TensorBoard events (<reason>)`
   */
  constructor(dir: string, options: { writer?: string } = {}) {
    const { writer = "llm-course" } = options;
    const now = Date.now() / 1000;
    this.path = join(dir, `events.out.${EVENT_FILE_MARK}.${Math.floor(now)}.${hostname()}.${process.pid}.${filesOpened++}`);
    try {
      mkdirSync(dir, { recursive: true });
      this.fd = openSync(this.path, "a");
    } catch (error) {
      throw new Error(`${dir}: cannot write TensorBoard events (${(error as Error).message})`);
    }
    this.write({ wall_time: now, step: 0, file_version: EVENT_FILE_VERSION, source_metadata: { writer } });
  }

  /** Appends one event. @throws when the writer is closed */
  write(event: TfEvent): void {
    if (this.fd === undefined) throw new Error(`${this.path}: the event writer is closed`);
    const record = frameRecord(encodeEvent(event));
    let written = 0;
    while (written < record.length) written += writeSync(this.fd, record, written);
  }

  /** Appends a summary of `values` at `step` (wall time now). */
  summary(step: number, values: SummaryValue[], wallTime = Date.now() / 1000): void {
    if (values.length > 0) this.write({ wall_time: wallTime, step, summary: { value: values } });
  }

  /**
   * Marks a restart whose first new step is `step` (`SessionLog.START`): TensorBoard then drops the points it read
   * before whose step is `step` or more (`EventAccumulator._Purge`) — the tail a killed run wrote past its last
   * checkpoint.
   */
  sessionStart(step: number): void {
    this.write({ wall_time: Date.now() / 1000, step, session_log: { status: "START" } });
  }

  /** Flushes the file to disk and closes it; later calls do nothing. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
