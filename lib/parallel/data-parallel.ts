/**
 * Synchronous data-parallel training over `worker_threads` (the scheme of PyTorch's DistributedDataParallel,
 * on the cores of one machine). Each of N workers holds a replica of the model and of the AdamW state. A step:
 *
 *   main      split the global batch into N shards; post each worker its shard, the learning rate and an Rng
 *   worker i  loss + gradient of its shard → its slot of a shared gradient buffer (SharedArrayBuffer)
 *   all       barrier → reduce-scatter: worker i sums the i-th 1/N of Σⱼ (nⱼ/Σn)·gⱼ → barrier
 *   worker i  reads the whole reduced gradient, applies the same AdamW update to its own replica
 *
 * Why all-reduce through shared memory and not a parameter server: the reduced gradient is computed once (each
 * element by one worker) and read in place by all, so nothing is serialised; every replica then applies the
 * same bits, so parameters are never broadcast and stay bit-identical. A parameter server (main thread reduces
 * and updates, workers re-read parameters) would serialise the reduction on one thread and add a copy of all
 * parameters into every replica per step, for the same update time. The price here: every replica runs the
 * same AdamW update (N× the update's CPU, not its wall time) and holds its own moments; sharding the update
 * (ZeRO-1) would cut both by N at the cost of an all-gather of parameters. Synchronisation per step: one message
 * round trip main ↔ worker (to hand out the shard) and two Atomics barriers between workers (tens of µs).
 *
 * Gradient weighting: `lossFn` is a mean over `labelCount(shard)` units, so the full-batch gradient is
 * `Σᵢ (nᵢ/Σn)·∇Lᵢ` and N workers take the step one worker takes on the whole batch (up to float rounding).
 *
 * Randomness: `new Rng(seed)` gives the model's init stream (`initRng(seed)`) and then one stream per step;
 * worker i gets the i-th fork of its step's stream. A run replays exactly for a given seed and N.
 */
import { Worker } from "node:worker_threads";
import { isAbsolute } from "node:path";
import { workerBootstrap } from "./bootstrap";
import { Rng, type RngState } from "../core/rng";
import type { BackendChoice } from "../core/backend";
import { loadNativeKernels } from "../core/native-kernels";
import type { Reply, Request, WorkerSetup, WorkerTiming } from "./protocol";
import { allocateShared, paramLayout, type ParamLayout } from "./shared-memory";
import { splitBatch } from "./shard";

export interface DataParallelOptions {
  /** Worker threads, one per core you want to use (default 2). */
  workers?: number;
  /** Seeds the model init and every step's dropout/masking streams (default 0). */
  seed?: number;
  /** Backend of every worker (default `wasm`: one thread per worker, so N workers use N cores). */
  backend?: BackendChoice;
  /** AdamW hyper-parameters (defaults as `AdamW`: β₁ 0.9, β₂ 0.999, ε 1e-6, weight decay 0.01). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export interface StepOptions {
  /** Clip the averaged gradient to this global L2 norm before AdamW, as `clipByGlobalNorm` (BERT: 1.0; default 0 = off). */
  clipNorm?: number;
}

export interface StepResult {
  /** Steps taken so far, this one included. */
  step: number;
  /** The global batch's loss: `Σᵢ nᵢ·Lᵢ / Σn` (what one worker would report on the whole batch). */
  loss: number;
  /** `Σᵢ nᵢ`. */
  labelCount: number;
  /** The averaged gradient's global L2 norm, before clipping. */
  gradNorm: number;
  shards: { loss: number; labelCount: number; timing: WorkerTiming }[];
  /** Wall time of the step on the main thread, and the part no worker was busy for (messages, scheduling). */
  wallMs: number;
  overheadMs: number;
}

/** The stream every replica builds its model from: `createModel(config, initRng(seed))` in-process is the same model. */
export function initRng(seed: number): Rng {
  return new Rng(seed).fork();
}

/** A parameter copied out of a replica. */
export interface ParamSnapshot {
  shape: number[];
  values: Float32Array;
}

/** A request without its `id` (the omit distributes over the union). */
type RequestBody = Request extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/**
 * Data-parallel trainer over worker threads. Start it with `DataParallelTrainer.start`, call `step` per batch,
 * and `close` at the end (also after an error: a failed step closes the workers itself).
 */
export class DataParallelTrainer<Batch = unknown> {
  /** Steps taken. */
  stepCount = 0;
  private nextId = 1;
  private readonly pending: Map<number, Pending>[];
  private failure: Error | undefined;
  private closed = false;
  private readonly stepRng: Rng;

  private constructor(
    private readonly threads: Worker[],
    readonly taskPath: string,
    seed: number,
  ) {
    this.pending = threads.map(() => new Map());
    const root = new Rng(seed);
    root.fork(); // the init stream (`initRng`)
    this.stepRng = root;
    threads.forEach((worker, index) => {
      worker.on("message", (reply: Reply) => this.receive(index, reply));
      worker.on("error", (error) => this.fail(index, error.message, error.stack ?? error.message));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(index, `exited with code ${code}`, "");
      });
    });
  }

  /** Number of workers. */
  get workers(): number {
    return this.threads.length;
  }

  /** Names, shapes and offsets of the parameters (in `createModel` order). */
  layout!: ParamLayout;
  /** Worker 0's backend in one line (`describeBackend`), e.g. "wasm · CPU (WebAssembly, SIMD) · 1 thread · tfjs 4.22.0". */
  backend = "";

  /**
   * Starts `workers` threads; each loads the task module at `taskPath` (absolute; `.ts` runs through tsx),
   * initialises its backend and builds its replica with `createModel(config, initRng(seed))`.
   * `config` must be structured-cloneable (plain data). Rejects, naming the worker, when any of them fails.
   */
  static async start<Config, Batch>(taskPath: string, config: Config, options: DataParallelOptions = {}): Promise<DataParallelTrainer<Batch>> {
    const { workers = 2, seed = 0, backend = "wasm", beta1 = 0.9, beta2 = 0.999, epsilon = 1e-6, weightDecay = 0.01 } = options;
    if (!isAbsolute(taskPath)) throw new Error(`DataParallelTrainer.start: task module path must be absolute, got "${taskPath}" (use path.resolve or join(__dirname, ...))`);
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`DataParallelTrainer.start: workers must be a positive integer, got ${workers}`);
    // OpenBLAS chooses its kernels once per process when it loads, from the C environment that only the main
    // thread's process.env writes reach (native/index.js sets OPENBLAS_CORETYPE): load the addon here first.
    if (backend === "wasm" || backend === "auto") loadNativeKernels();
    const code = workerBootstrap("worker", taskPath);
    const init: RngState = initRng(seed).state();
    const threads: Worker[] = [];
    for (let index = 0; index < workers; index++) {
      const setup: WorkerSetup = { index, workers, taskPath, config, backend, initRng: init, adamw: { beta1, beta2, epsilon, weightDecay } };
      // One BLAS thread per worker unless COURSE_THREADS says otherwise: the workers already fill the cores, and
      // OpenBLAS's thread count is per process (set by every worker's backend).
      const env = { ...process.env, COURSE_THREADS: process.env["COURSE_THREADS"] ?? "1" };
      threads.push(new Worker(code, { eval: true, execArgv: [], env, workerData: { lib: "parallel", setup } }));
    }
    const trainer = new DataParallelTrainer<Batch>(threads, taskPath, seed);
    try {
      const layouts = await Promise.all(threads.map((_, i) => trainer.expect(i, 0, "layout")));
      const first = layouts[0]!;
      layouts.forEach((other, i) => {
        const a = JSON.stringify(first.entries), b = JSON.stringify(other.entries);
        if (a !== b) throw new Error(`worker ${i} built different parameters than worker 0 (is createModel deterministic given config and rng?)`);
      });
      trainer.layout = paramLayout(first.entries);
      trainer.backend = first.backend;
      if (workers > 1) {
        const buffers = allocateShared(workers, trainer.layout.size);
        await Promise.all(threads.map((_, i) => trainer.request(i, { type: "buffers", buffers }, "ok")));
      }
    } catch (error) {
      await trainer.close().catch(() => undefined);
      throw error;
    }
    return trainer;
  }

  /** Total number of scalar parameters. */
  get paramCount(): number {
    return this.layout.size;
  }

  /**
   * One synchronous step on `batch`, split by rows with `splitBatch` (see `stepShards` to split yourself).
   * @returns losses and timings; rejects, naming the worker and with its stack, when a worker throws (the
   *   trainer is then closed).
   */
  async step(batch: Batch, lr: number, options: StepOptions = {}): Promise<StepResult> {
    return this.stepShards(splitBatch(batch, this.workers), lr, options);
  }

  /** One synchronous step where worker i trains on `shards[i]`. */
  async stepShards(shards: Batch[], lr: number, options: StepOptions = {}): Promise<StepResult> {
    const { clipNorm = 0 } = options;
    if (shards.length !== this.workers) throw new Error(`stepShards: got ${shards.length} shards for ${this.workers} workers`);
    const start = performance.now();
    const stepRng = this.stepRng.fork();
    const replies = await Promise.all(shards.map((shard, i) => this.request(i, { type: "step", shard, rng: stepRng.fork().state(), lr, clipNorm }, "stepped")));
    const wallMs = performance.now() - start;
    this.stepCount += 1;
    const labelCount = replies.reduce((sum, r) => sum + r.labelCount, 0);
    const loss = labelCount > 0 ? replies.reduce((sum, r) => sum + r.loss * r.labelCount, 0) / labelCount : 0;
    const busy = Math.max(...replies.map((r) => r.timing.computeMs + r.timing.waitMs + r.timing.reduceMs + r.timing.updateMs));
    return {
      step: this.stepCount,
      loss,
      labelCount,
      gradNorm: replies[0]!.gradNorm,
      shards: replies.map((r) => ({ loss: r.loss, labelCount: r.labelCount, timing: r.timing })),
      wallMs,
      overheadMs: wallMs - busy,
    };
  }

  /** A copy of worker `index`'s parameters (all replicas hold the same values). */
  async params(index = 0): Promise<Map<string, ParamSnapshot>> {
    const reply = await this.request(index, { type: "params" }, "params");
    return new Map(reply.names.map((name, i) => [name, { shape: reply.shapes[i] as number[], values: reply.values[i] as Float32Array }]));
  }

  /**
   * Overwrites parameters on every replica (e.g. from a checkpoint or a pretrained model; AdamW's moments are
   * kept). Every name must exist and every array match its parameter's size (checked here, before any replica
   * changes); names not given keep their values. The arrays are copied to each worker.
   */
  async loadParams(values: Map<string, Float32Array>): Promise<void> {
    const names = [...values.keys()];
    const arrays = [...values.values()];
    names.forEach((name, i) => {
      const k = this.layout.names.indexOf(name);
      if (k < 0) throw new Error(`loadParams: the model has no parameter "${name}" (have: ${this.layout.names.slice(0, 6).join(", ")}, …)`);
      const size = this.layout.shapes[k]!.reduce((a, b) => a * b, 1);
      if (arrays[i]!.length !== size) throw new Error(`loadParams: "${name}" has ${size} values, got ${arrays[i]!.length}`);
    });
    await Promise.all(this.threads.map((_, i) => this.request(i, { type: "load", names, values: arrays }, "ok")));
  }

  /** `tf.memory().numTensors` in each worker (constant across steps when nothing leaks). */
  async numTensors(): Promise<number[]> {
    const replies = await Promise.all(this.threads.map((_, i) => this.request(i, { type: "memory" }, "memory")));
    return replies.map((r) => r.numTensors);
  }

  /**
   * Disposes every replica and stops the workers. Returns each worker's tensor count after disposal (0 when
   * nothing leaked), or `[]` when the trainer had failed. Safe to call twice.
   */
  async close(): Promise<number[]> {
    if (this.closed) return [];
    let counts: number[] = [];
    if (this.failure === undefined) {
      counts = await Promise.all(this.threads.map((_, i) => this.request(i, { type: "close" }, "memory").then((r) => r.numTensors))).catch(() => []);
    }
    this.closed = true;
    await Promise.all(this.threads.map((worker) => worker.terminate()));
    return counts;
  }

  private request<T extends Reply["type"]>(index: number, body: RequestBody, expected: T): Promise<Extract<Reply, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("DataParallelTrainer is closed (start a new one)"));
    const id = this.nextId++;
    const promise = this.expect(index, id, expected);
    this.threads[index]!.postMessage({ ...body, id } as Request);
    return promise;
  }

  private expect<T extends Reply["type"]>(index: number, id: number, expected: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.pending[index]!.set(id, {
        resolve: (reply) => (reply.type === expected ? resolve(reply as Extract<Reply, { type: T }>) : reject(new Error(`worker ${index} answered ${reply.type} to a ${expected} request`))),
        reject,
      });
    });
  }

  private receive(index: number, reply: Reply): void {
    if (reply.type === "error") {
      // a worker whose barrier was broken by another's failure reports `aborted`: the root cause comes separately
      if (!reply.aborted) this.fail(index, reply.message, reply.stack);
      return;
    }
    const pending = this.pending[index]!.get(reply.id);
    this.pending[index]!.delete(reply.id);
    pending?.resolve(reply);
  }

  /** Records the first failure, rejects everything pending on every worker, and stops the workers. */
  private fail(index: number, message: string, stack: string): void {
    if (this.failure !== undefined || this.closed) return;
    const error = new Error(`data-parallel worker ${index} of ${this.workers} failed (task ${this.taskPath}): ${message}${stack ? `\n--- worker ${index} stack ---\n${stack}` : ""}`);
    this.failure = error;
    for (const pending of this.pending) {
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    }
    this.closed = true;
    for (const worker of this.threads) void worker.terminate();
  }
}
