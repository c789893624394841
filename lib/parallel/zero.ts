/**
 * ZeRO, the Zero Redundancy Optimizer (Rajbhandari et al. 2020, §5): data parallelism where N ranks stop
 * holding N copies of what only one needs.
 *
 *   stage 0 (plain DDP)  all-reduce gradients; every rank keeps all gradients and all of AdamW's m and v
 *   stage 1 (P_os)       all-reduce gradients; rank r keeps m, v of its 1/N of the parameters, updates that
 *                        slice and all-gathers the parameters
 *   stage 2 (P_os+g)     reduce-scatter gradients, so rank r keeps only its 1/N of the reduced gradient too
 *
 * Per parameter, mixed-precision training holds 2 (fp16 weights) + 2 (fp16 gradients) + 12 (fp32 master
 * weights, m, v) bytes; ZeRO-1 cuts the 12 by N, ZeRO-2 the gradients' 2 as well (§5.1). Here everything is fp32:
 * 4 bytes each of parameters, gradients, m and v; this file measures the bytes each rank holds.
 *
 * One departure, stated: tfjs returns every gradient at once after the backward pass, so the full local gradient
 * exists briefly on every rank before the reduce-scatter (DeepSpeed reduce-scatters bucket by bucket during the
 * backward pass, so it never does). `gradBytes` counts the gradient a rank keeps through the update; `peakGradBytes`
 * the transient one. This file is also the SPMD program (`run`) that `zeroStep` launches.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import { parameterShapes } from "../model/bert";
import type { BertConfig } from "../model/config";
import { disposeParams } from "../nn/params";
import { lossFn } from "../pretrain/mlm-parallel-task";
import { decaysByDefault } from "../train/adamw";
import { valueAndGrads } from "../train/grads";
import { maskedCount, type MlmRowsBatch } from "./bert-stages";
import { shardRange, type CommStats, type Communicator } from "./communicator";
import { FlatAdamW } from "./flat-adamw";
import { splitBatch } from "./shard";
import { initialParams, snapshotOf, type Snapshot, type StepOutcome } from "./single-worker";
import { runSpmd } from "./spmd";

/** The SPMD program of this file (what `runSpmd` loads). */
export const ZERO_PROGRAM: string = __filename;

export type ZeroStage = 0 | 1 | 2;

/** Bytes one rank holds (fp32 everywhere). */
export interface ZeroMemory {
  /** The full parameters (every stage up to 2 keeps a replica; ZeRO-3 would shard them too). */
  paramBytes: number;
  /** The reduced gradient the rank keeps for the update: all of it (stages 0–1) or its slice (stage 2). */
  gradBytes: number;
  /** AdamW's m and v: all parameters' (stage 0) or the rank's slice's (stages 1–2). */
  optimizerBytes: number;
  /** The full local gradient right after the backward pass (see the file's note). */
  peakGradBytes: number;
  /** `tf.memory().numBytes` in this rank's tfjs after the step (the parameters as tensors). */
  tfBytes: number;
}

export interface ZeroInput {
  config: BertConfig;
  rows: MlmRowsBatch;
  seed: number;
  lr: number;
  stage: ZeroStage;
}

export interface ZeroOutput {
  loss: number;
  /** This rank's piece of the reduced gradient (stage 2: its slice; else the whole) and where it starts. */
  gradPiece: Float32Array;
  gradStart: number;
  names: string[];
  shapes: number[][];
  params: Snapshot;
  memory: ZeroMemory;
  leakedTensors: number;
}

/** The SPMD program: rank r trains on its rows of the batch, then reduces and updates as `stage` says. */
export function run(comm: Communicator, input: ZeroInput): ZeroOutput {
  const { config, rows, seed, lr, stage } = input;
  const before = tf.memory().numTensors;
  const params = initialParams(config, seed);
  const shard = splitBatch(rows, comm.size)[comm.rank]!;
  const total = comm.allReduce(Float32Array.of(maskedCount(shard)))[0] as number;
  const weight = maskedCount(shard) / total; // this shard's share of the batch mean: Σᵣ wᵣ·∇Lᵣ = ∇L
  const { value, grads } = valueAndGrads(params, () => lossFn(params, shard, new Rng(0), config));
  const names = Object.keys(grads); // the parameters that get a gradient (MLM never reads the pooler), same on every rank
  const shapes = names.map((n) => [...grads[n]!.shape]);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const size = sizes.reduce((a, b) => a + b, 0);
  let local: Float32Array | undefined = new Float32Array(size); // the full local gradient, weighted
  const flatParams = new Float32Array(size);
  const decays = new Uint8Array(size);
  let offset = 0;
  names.forEach((name, i) => {
    const g = grads[name]!.dataSync() as Float32Array;
    for (let j = 0; j < g.length; j++) local![offset + j] = (g[j] as number) * weight;
    flatParams.set(params.get(name)!.dataSync() as Float32Array, offset);
    decays.fill(decaysByDefault(name) ? 1 : 0, offset, offset + sizes[i]!);
    offset += sizes[i]!;
  });
  const loss = comm.allReduce(Float32Array.of(((value.dataSync() as Float32Array)[0] as number) * weight))[0] as number;
  tf.dispose([value, ...Object.values(grads)]);
  const peakGradBytes = local.byteLength;

  const [start, end] = stage === 0 ? [0, size] : shardRange(comm.rank, comm.size, size);
  let reduced: Float32Array;
  if (stage === 2) {
    reduced = comm.reduceScatter(local); // [end − start]: only this rank's slice of Σᵣ wᵣ·gᵣ
    local = undefined; // the full gradient is not kept
  } else {
    reduced = comm.allReduce(local); // [size]
    local = undefined;
  }
  const optimizer = new FlatAdamW(decays.subarray(start, end));
  const mine = flatParams.slice(start, end);
  optimizer.apply(mine, stage === 1 ? reduced.subarray(start, end) : reduced, lr);
  const updated = stage === 0 ? mine : comm.allGather(mine); // stages 1–2: every rank gets every slice back
  offset = 0;
  names.forEach((name, i) => {
    const variable = params.get(name)!;
    tf.tidy(() => variable.assign(tf.tensor(updated.subarray(offset, offset + sizes[i]!), variable.shape)));
    offset += sizes[i]!;
  });
  const memory: ZeroMemory = { paramBytes: size * 4, gradBytes: reduced.byteLength, optimizerBytes: optimizer.stateBytes, peakGradBytes, tfBytes: tf.memory().numBytes };
  const out: ZeroOutput = { loss, gradPiece: reduced, gradStart: stage === 2 ? start : 0, names, shapes, params: snapshotOf(params), memory, leakedTensors: 0 };
  disposeParams(params);
  out.leakedTensors = tf.memory().numTensors - before;
  return out;
}

/** A ZeRO step's result: the reduced gradient and the parameters after it, each rank's memory and traffic. */
export interface ZeroStep extends StepOutcome {
  memory: ZeroMemory[];
  stats: CommStats[];
  leakedTensors: number[];
}

/**
 * One data-parallel BERT MLM step with ZeRO stage `stage` on `workers` threads (dropout off): rank r takes the
 * r-th rows of `rows`. Returns the whole reduced gradient (stage 2: gathered from the slices here, for checking).
 */
export async function zeroStep(config: BertConfig, rows: MlmRowsBatch, options: { workers?: number; stage?: ZeroStage; seed?: number; lr?: number } = {}): Promise<ZeroStep> {
  const { workers = 2, stage = 2, seed = 0, lr = 1e-3 } = options;
  if (![0, 1, 2].includes(stage)) throw new Error(`zeroStep: stage must be 0, 1 or 2, got ${stage} (stage 3 also shards the parameters; not built here)`);
  const noDropout = { ...config, hiddenDropout: 0, attentionDropout: 0 };
  let count = 0;
  for (const [name, shape] of parameterShapes(noDropout)) if (!name.startsWith("bert.pooler.")) count += shape.reduce((a, b) => a * b, 1);
  const result = await runSpmd<ZeroInput, ZeroOutput>(ZERO_PROGRAM, { config: noDropout, rows, seed, lr, stage }, { workers, capacity: count + 1 });
  const outs = result.outputs;
  const first = outs[0]!;
  const flat = new Float32Array(first.memory.paramBytes / 4);
  for (const o of stage === 2 ? outs : [first]) flat.set(o.gradPiece, o.gradStart);
  const grads: Snapshot = {};
  let offset = 0;
  first.names.forEach((name, i) => {
    const size = first.shapes[i]!.reduce((a, b) => a * b, 1);
    grads[name] = { shape: first.shapes[i]!, values: flat.slice(offset, offset + size) };
    offset += size;
  });
  return { loss: first.loss, grads, params: first.params, memory: outs.map((o) => o.memory), stats: result.stats, leakedTensors: outs.map((o) => o.leakedTensors) };
}
