/**
 * SPMD runs ("single program, multiple data", as `torchrun` launches them): N worker threads each run the
 * same program with their own rank and a `Communicator`, and return a result. The program is a module
 * loaded by absolute path that exports `run(comm, input)`; the tensor-, pipeline- and ZeRO-parallel steps of
 * this folder are such programs.
 */
import { Worker } from "node:worker_threads";
import { isAbsolute } from "node:path";
import type { BackendChoice } from "../core/backend";
import { loadNativeKernels } from "../core/native-kernels";
import { workerBootstrap } from "./bootstrap";
import { allocateCommBuffers, type CommBuffers, type CommStats, type Communicator } from "./communicator";

/** What an SPMD program module exports. `input` and the result must be structured-cloneable (plain data). */
export interface SpmdProgram<Input, Output> {
  run(comm: Communicator, input: Input): Output | Promise<Output>;
}

export interface SpmdOptions {
  /** Ranks, one worker thread each (default 2). */
  workers?: number;
  /** Backend of every worker (default `wasm`: one thread each, so N workers use N cores). */
  backend?: BackendChoice;
  /** The most floats one collective or message carries (default 2²⁰ = 4 MiB per rank). */
  capacity?: number;
}

/** Each rank's result and its communication counters. */
export interface SpmdResult<Output> {
  outputs: Output[];
  stats: CommStats[];
  /** Wall time from starting the threads to the last result, ms (thread start and module loading included). */
  wallMs: number;
}

/** What an SPMD worker thread starts with. */
export interface SpmdSetup {
  rank: number;
  programPath: string;
  backend: BackendChoice;
  buffers: CommBuffers;
  input: unknown;
}

export type SpmdReply = { type: "done"; output: unknown; stats: CommStats } | { type: "error"; message: string; stack: string; aborted: boolean };

/**
 * Runs the program at `programPath` (absolute; `.ts` through tsx) on `workers` threads with the same `input`.
 * @returns every rank's output, in rank order. Rejects with the first failing rank's error and stack (the other
 *   ranks are aborted and stopped); nothing is left running.
 */
export async function runSpmd<Input, Output>(programPath: string, input: Input, options: SpmdOptions = {}): Promise<SpmdResult<Output>> {
  const { workers = 2, backend = "wasm", capacity = 1 << 20 } = options;
  if (!isAbsolute(programPath)) throw new Error(`runSpmd: program path must be absolute, got "${programPath}"`);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`runSpmd: workers must be a positive integer, got ${workers}`);
  if (backend === "wasm" || backend === "auto") loadNativeKernels(); // OpenBLAS reads its environment once per process
  const buffers = allocateCommBuffers(workers, capacity);
  const code = workerBootstrap("spmd-worker", programPath);
  const env = { ...process.env, COURSE_THREADS: process.env["COURSE_THREADS"] ?? "1" };
  const start = performance.now();
  const threads = Array.from({ length: workers }, (_, rank) => {
    const setup: SpmdSetup = { rank, programPath, backend, buffers, input };
    return new Worker(code, { eval: true, execArgv: [], env, workerData: { lib: "spmd", setup } });
  });
  try {
    const replies = await Promise.allSettled(
      threads.map(
        (worker, rank) =>
          new Promise<{ output: Output; stats: CommStats }>((resolve, reject) => {
            worker.once("message", (reply: SpmdReply) => {
              if (reply.type === "done") resolve({ output: reply.output as Output, stats: reply.stats });
              else reject(Object.assign(new Error(`SPMD rank ${rank} of ${workers} failed (program ${programPath}): ${reply.message}\n--- rank ${rank} stack ---\n${reply.stack}`), { aborted: reply.aborted }));
            });
            worker.once("error", (error) => reject(new Error(`SPMD rank ${rank} of ${workers} crashed (program ${programPath}): ${error.message}`)));
            worker.once("exit", (code) => reject(new Error(`SPMD rank ${rank} of ${workers} exited with code ${code} before answering`)));
          }),
      ),
    );
    const failures = replies.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as Error & { aborted?: boolean });
    if (failures.length > 0) throw failures.find((e) => !e.aborted) ?? failures[0]!;
    const done = replies.map((r) => (r as PromiseFulfilledResult<{ output: Output; stats: CommStats }>).value);
    return { outputs: done.map((d) => d.output), stats: done.map((d) => d.stats), wallMs: performance.now() - start };
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
}
