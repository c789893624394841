/**
 * The body of one data-parallel worker thread (started by `DataParallelTrainer`; not part of the barrel).
 * It owns a tfjs instance, a replica of the parameters and of the AdamW state. Each step:
 *   1. forward + backward on its shard → gradient into its slot of the shared `grads` buffer
 *   2. barrier; reduce its 1/N slice of `Σᵢ wᵢ·gradsᵢ` into `reduced` (reduce-scatter)
 *   3. barrier; read all of `reduced` (all-gather through shared memory), clip, apply AdamW locally
 * Every replica applies the same bits, so parameters never need to be sent anywhere.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import type { Params } from "../nn/params";
import { AdamW, decaysByDefault } from "../train/adamw";
import { valueAndGrads } from "../train/grads";
import type { Reply, Request, WorkerSetup } from "./protocol";
import { abortBarrier, barrier, BarrierAborted, paramLayout, reduceSlice, sliceOf, type ParamLayout, type SharedBuffers } from "./shared-memory";
import { shardWeights, taskFromModule, type ParallelTask } from "./task";
import { threadCpuMs } from "./cpu-time";

interface Shared {
  grads: Float32Array;
  reduced: Float32Array;
  counts: Float64Array;
  norms: Float64Array;
  control: Int32Array;
}

function view(buffers: SharedBuffers): Shared {
  return {
    grads: new Float32Array(buffers.grads),
    reduced: new Float32Array(buffers.reduced),
    counts: new Float64Array(buffers.counts),
    norms: new Float64Array(buffers.norms),
    control: new Int32Array(buffers.control),
  };
}

async function main(setup: WorkerSetup): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("lib/parallel/worker.ts must run in a worker thread (DataParallelTrainer starts it)");
  const send = (reply: Reply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
  const fail = (id: number, error: unknown) => {
    const aborted = error instanceof BarrierAborted;
    const e = error instanceof Error ? error : new Error(String(error));
    if (shared && !aborted) abortBarrier(shared.control, setup.index);
    send({ id, type: "error", message: e.message, stack: e.stack ?? e.message, aborted });
  };

  let shared: Shared | undefined;
  let task: ParallelTask;
  let params: Params;
  let layout: ParamLayout;
  let backend: string;
  try {
    backend = describeBackend(await initBackend({ backend: setup.backend }));
    // any: a task module is whatever the user's file exports; `taskFromModule` checks its shape.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod: any = require(setup.taskPath);
    task = taskFromModule(mod, setup.taskPath);
    params = task.createModel(setup.config, Rng.fromState(setup.initRng));
    layout = paramLayout([...params].map(([name, variable]) => ({ name, shape: variable.shape })));
  } catch (error) {
    fail(0, error);
    return;
  }
  const optimizer = new AdamW({ ...setup.adamw, decay: task.decay?.bind(task) ?? decaysByDefault });
  send({ id: 0, type: "layout", entries: layout.names.map((name, i) => ({ name, shape: layout.shapes[i] as number[] })), backend });

  function step(request: Extract<Request, { type: "step" }>): Reply {
    const t0 = performance.now();
    const cpu0 = threadCpuMs();
    const rng = Rng.fromState(request.rng);
    const labelCount = task.labelCount(request.shard);
    // keyed by parameter name; a parameter the loss does not touch gets no gradient (AdamW skips it)
    const { value, grads } = valueAndGrads(params, () => task.lossFn(params, request.shard, rng, setup.config));
    const loss = (value.dataSync() as Float32Array)[0] as number;
    value.dispose();
    const timing = { computeMs: 0, waitMs: 0, reduceMs: 0, updateMs: 0, cpuMs: 0 };
    let gradNorm: number;
    if (shared === undefined) {
      // one worker: nothing to reduce, the gradient tensors go straight to AdamW
      timing.computeMs = performance.now() - t0;
      const t1 = performance.now();
      gradNorm = globalNorm(Object.values(grads));
      update(grads, gradNorm, request);
      tf.dispose(grads);
      timing.updateMs = performance.now() - t1;
    } else {
      const { index, workers } = setup;
      const slot = shared.grads.subarray(index * layout.size, (index + 1) * layout.size);
      layout.names.forEach((name, k) => {
        const g = grads[name];
        const offset = layout.offsets[k] as number;
        const size = layout.shapes[k]!.reduce((a, b) => a * b, 1);
        if (g === undefined) slot.fill(0, offset, offset + size);
        else slot.set(g.dataSync() as Float32Array, offset);
      });
      tf.dispose(grads);
      shared.counts[index] = labelCount;
      timing.computeMs = performance.now() - t0;
      timing.waitMs += barrier(shared.control, workers); // every gradient and count is written
      const t1 = performance.now();
      const weights = shardWeights([...shared.counts]);
      const [start, end] = sliceOf(index, workers, layout.size);
      shared.norms[index] = reduceSlice(shared.grads, shared.reduced, weights, layout.size, start, end);
      timing.reduceMs = performance.now() - t1;
      timing.waitMs += barrier(shared.control, workers); // every slice of `reduced` is written
      const t2 = performance.now();
      gradNorm = Math.sqrt([...shared.norms].reduce((a, b) => a + b, 0));
      const reduced: Record<string, tf.Tensor> = {};
      layout.names.forEach((name, k) => {
        if (grads[name] === undefined) return;
        const offset = layout.offsets[k] as number;
        const shape = layout.shapes[k] as number[];
        // tf.tensor copies the view into the backend's memory; `reduced` is rewritten only at the next step
        reduced[name] = tf.tensor(shared!.reduced.subarray(offset, offset + shape.reduce((a, b) => a * b, 1)), shape);
      });
      update(reduced, gradNorm, request);
      tf.dispose(reduced);
      timing.updateMs = performance.now() - t2;
    }
    timing.cpuMs = threadCpuMs() - cpu0;
    return { id: request.id, type: "stepped", loss, labelCount, gradNorm, timing };
  }

  /** Clips to the global norm `clipNorm` (the rule of `clipByGlobalNorm`) and applies AdamW. */
  function update(grads: Record<string, tf.Tensor>, gradNorm: number, request: { lr: number; clipNorm: number }): void {
    const scale = request.clipNorm > 0 && Number.isFinite(gradNorm) && gradNorm > request.clipNorm ? request.clipNorm / gradNorm : 1;
    if (scale === 1) {
      optimizer.apply(params, grads, request.lr);
      return;
    }
    const clipped = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)])));
    optimizer.apply(params, clipped, request.lr);
    tf.dispose(clipped);
  }

  function globalNorm(tensors: tf.Tensor[]): number {
    if (tensors.length === 0) return 0;
    const squares = tf.tidy(() => tf.addN(tensors.map((g) => tf.sum(tf.square(g)))));
    const value = (squares.dataSync() as Float32Array)[0] as number;
    squares.dispose();
    return Math.sqrt(value);
  }

  port.on("message", (request: Request) => {
    try {
      switch (request.type) {
        case "buffers":
          shared = view(request.buffers);
          send({ id: request.id, type: "ok" });
          break;
        case "step":
          send(step(request));
          break;
        case "params": {
          const values = [...params.values()].map((v) => new Float32Array(v.dataSync() as Float32Array)); // own copies: transferred
          send({ id: request.id, type: "params", names: layout.names, shapes: layout.shapes, values }, values.map((v) => v.buffer as ArrayBuffer));
          break;
        }
        case "load":
          request.names.forEach((name, i) => {
            const variable = params.get(name);
            const values = request.values[i] as Float32Array;
            if (variable === undefined) throw new Error(`load: the model has no parameter "${name}"`);
            if (values.length !== variable.size) throw new Error(`load: "${name}" has ${variable.size} values, got ${values.length}`);
            tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
          });
          send({ id: request.id, type: "ok" });
          break;
        case "memory":
          send({ id: request.id, type: "memory", numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
          break;
        case "close":
          optimizer.dispose();
          for (const variable of params.values()) variable.dispose();
          send({ id: request.id, type: "memory", numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
          port.close();
          break;
      }
    } catch (error) {
      fail(request.id, error);
    }
  });
}

if (parentPort !== null && (workerData as { lib?: string } | null)?.lib === "parallel") {
  void main((workerData as { setup: WorkerSetup }).setup);
}
