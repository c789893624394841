/**
 * A small pool of `course` child processes (`objectiveCurve`'s pretrainings and fine-tunings): `width` at a time,
 * each after the job it depends on, each resumable through a marker file it leaves when it succeeded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A `course` child process: done when `marker` exists; runs after `after` (if any) succeeded. */
export interface Job {
  name: string;
  args: string[];
  marker: string;
  after?: Job;
  state?: "running" | "ok" | "failed";
}

/** How the pool runs its children. */
export interface PoolOptions {
  /** The `course` script (`bin/course.js`), run with this Node. */
  course: string;
  /** `COURSE_THREADS` of each child. */
  threads: number;
  /** Progress lines: a job started, or is done / FAILED with its seconds and log file. */
  log: (line: string) => void;
  /** After each job ends (and once at the start, counting the jobs already done). */
  onProgress?: (finished: number, total: number) => void;
}

/** Children still running, killed if this process exits first (an interrupted notebook cell or Ctrl-C). */
const running = new Set<ChildProcess>();
let exitHook = false;

/** Runs one job, its output into `<marker's folder>.log`; resolves whether its marker now exists. */
function runJob(job: Job, { course, threads, log }: PoolOptions): Promise<boolean> {
  const dir = dirname(job.marker);
  mkdirSync(dirname(dir), { recursive: true });
  const logFile = `${dir}.log`;
  log(`start ${job.name} (log: ${logFile})`);
  const began = Date.now();
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => running.forEach((c) => c.kill()));
  }
  return new Promise((done) => {
    const out = createWriteStream(logFile);
    const child = spawn(process.execPath, [course, ...job.args], { env: { ...process.env, COURSE_THREADS: String(threads) }, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    const stdout: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => {
      stdout.push(b);
      out.write(b);
    });
    child.stderr.pipe(out);
    child.on("close", (code) => {
      running.delete(child);
      out.end();
      // `course pretrain`'s last stdout line is its summary: written as the marker only when it succeeded.
      if (code === 0 && job.marker.endsWith("pretrain.json")) writeFileSync(job.marker, Buffer.concat(stdout).toString("utf8").trim().split("\n").at(-1) + "\n");
      const ok = code === 0 && existsSync(job.marker);
      log(`${ok ? "done" : `FAILED (exit ${code}; see ${logFile}; rerun to retry)`} ${job.name} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
      done(ok);
    });
  });
}

/**
 * Runs the jobs `width` at a time, each after its dependency; jobs whose marker exists (at the start, or when their
 * turn comes: another run on the same folder may have finished them) are skipped, and a job whose
 * dependency failed is not started. Sets every job's `state` to "ok" or "failed"; a failure is logged, not thrown.
 */
export async function runPool(all: Job[], width: number, options: PoolOptions): Promise<void> {
  for (const job of all) if (existsSync(job.marker)) job.state = "ok";
  const finished = () => all.filter((j) => j.state === "ok" || j.state === "failed").length;
  options.onProgress?.(finished(), all.length);
  const pool = new Set<Promise<void>>();
  for (;;) {
    for (const j of all) if (j.state === undefined && j.after?.state === "failed") j.state = "failed";
    const ready = all.find((j) => j.state === undefined && (j.after === undefined || j.after.state === "ok"));
    if (ready !== undefined && pool.size < width) {
      if (existsSync(ready.marker)) {
        ready.state = "ok"; // finished meanwhile by another run on the same folder
        continue;
      }
      ready.state = "running";
      const p: Promise<void> = runJob(ready, options).then((ok) => {
        ready.state = ok ? "ok" : "failed";
        pool.delete(p);
        options.onProgress?.(finished(), all.length);
      });
      pool.add(p);
      continue;
    }
    if (pool.size === 0) return;
    await Promise.race(pool);
  }
}
