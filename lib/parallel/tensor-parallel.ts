/**
 * Tensor (intra-layer) model parallelism as in Megatron-LM (Shoeybi et al. 2019, §3): every encoder layer's
 * matrices are split across `p` ranks so that each rank computes a slice of every layer.
 *
 *   attention  Q, K, V split by columns → rank r owns heads [r·N/p, (r+1)·N/p) and computes them whole;
 *              the output projection is split by rows → each rank's partial product, summed by one all-reduce
 *   FFN        W₁ split by columns (GELU is element-wise, so it applies to each slice), W₂ by rows → one all-reduce
 *
 * Two conjugate operators carry the communication (§3, Fig. 3): `f` is the identity forward and an all-reduce
 * of the input's gradient backward; `g` is an all-reduce forward and the identity backward. Each block (attention,
 * FFN) has one `f` and one `g`: one all-reduce per block forward and one backward. Embeddings, LayerNorms, the
 * row-parallel biases and the MLM head are replicated; their gradients come out whole on every rank, so they need
 * no extra communication. This file is also the SPMD program (`run`) that `tensorParallelStep` launches.
 *
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `N` heads, `D` head size, `I` intermediate, `p` ranks.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "../model/config";
import { gelu, layerNorm, linear } from "../nn/layers";
import { disposeParams, param, type Params } from "../nn/params";
import { AdamW } from "../train/adamw";
import { valueAndGrads } from "../train/grads";
import { embed, maskedCount, mlmHeadLoss, type MlmRowsBatch } from "./bert-stages";
import type { CommStats, Communicator } from "./communicator";
import { initialParams, snapshotOf, type Snapshot, type StepOutcome } from "./single-worker";
import { runSpmd } from "./spmd";
import { unaryOp } from "./unary-op";

/** The SPMD program of this file (what `runSpmd` loads). */
export const TENSOR_PARALLEL_PROGRAM: string = __filename;

function allReduceTensor(x: tf.Tensor, comm: Communicator): tf.Tensor {
  if (comm.size === 1) return x.clone();
  return tf.tensor(comm.allReduce(x.dataSync() as Float32Array), x.shape);
}

/** Megatron's `f`: identity forward, all-reduce of the gradient backward (where a block's input fans out to the ranks). */
export function copyToTensorParallel<T extends tf.Tensor>(x: T, comm: Communicator): T {
  return unaryOp((input) => input.clone(), (dy) => allReduceTensor(dy, comm))(x);
}

/** Megatron's `g`: all-reduce forward (summing the ranks' partial products), identity backward. */
export function reduceFromTensorParallel<T extends tf.Tensor>(x: T, comm: Communicator): T {
  return unaryOp((input) => allReduceTensor(input, comm), (dy) => dy.clone())(x);
}

/** How a parameter is split: along `axis` (0 rows, 1 columns; biases of column-split layers along 0), or replicated. */
export type TensorSplit = { kind: "column" | "row"; axis: 0 | 1 } | { kind: "replicated" };

/** Megatron's split of a BERT parameter by its Hugging Face name (weights stored `[in, out]`). */
export function tensorParallelSplit(name: string): TensorSplit {
  if (/\.layer\.\d+\.(attention\.self\.(query|key|value)|intermediate\.dense)\.weight$/.test(name)) return { kind: "column", axis: 1 };
  if (/\.layer\.\d+\.(attention\.self\.(query|key|value)|intermediate\.dense)\.bias$/.test(name)) return { kind: "column", axis: 0 };
  if (/\.layer\.\d+\.(attention\.output|output)\.dense\.weight$/.test(name)) return { kind: "row", axis: 0 };
  return { kind: "replicated" };
}

/** Rank `rank`'s piece of a parameter `[rows, cols]` (or `[n]`) under `split` (a copy). */
export function shardParam(values: Float32Array, shape: number[], split: TensorSplit, rank: number, ranks: number): { values: Float32Array; shape: number[] } {
  if (split.kind === "replicated") return { values: values.slice(), shape: [...shape] };
  const rows = shape[0] as number, cols = shape.length === 2 ? (shape[1] as number) : 1;
  if (split.axis === 0) {
    const piece = rows / ranks;
    return { values: values.slice(rank * piece * cols, (rank + 1) * piece * cols), shape: shape.length === 2 ? [piece, cols] : [piece] };
  }
  const piece = cols / ranks;
  const out = new Float32Array(rows * piece);
  for (let i = 0; i < rows; i++) out.set(values.subarray(i * cols + rank * piece, i * cols + (rank + 1) * piece), i * piece);
  return { values: out, shape: [rows, piece] };
}

/** The whole parameter from every rank's piece (the inverse of `shardParam`; replicated: rank 0's copy). */
export function unshardParam(pieces: { values: Float32Array; shape: number[] }[], split: TensorSplit): { values: Float32Array; shape: number[] } {
  const first = pieces[0]!;
  if (split.kind === "replicated") return { values: first.values, shape: first.shape };
  if (split.axis === 0) {
    const values = new Float32Array(pieces.reduce((n, p) => n + p.values.length, 0));
    let offset = 0;
    for (const p of pieces) (values.set(p.values, offset), (offset += p.values.length));
    return { values, shape: first.shape.length === 2 ? [first.shape[0]! * pieces.length, first.shape[1]!] : [first.shape[0]! * pieces.length] };
  }
  const [rows, piece] = first.shape as [number, number];
  const cols = piece * pieces.length;
  const values = new Float32Array(rows * cols);
  pieces.forEach((p, r) => {
    for (let i = 0; i < rows; i++) values.set(p.values.subarray(i * piece, (i + 1) * piece), i * cols + r * piece);
  });
  return { values, shape: [rows, cols] };
}

/** Checks that `ranks` divides the heads and the FFN width. */
export function checkTensorParallel(config: BertConfig, ranks: number): void {
  if (config.numHeads % ranks !== 0) throw new Error(`tensor parallelism: ${config.numHeads} heads do not split over ${ranks} ranks (use a divisor of numHeads)`);
  if (config.intermediateSize % ranks !== 0) throw new Error(`tensor parallelism: intermediateSize ${config.intermediateSize} does not split over ${ranks} ranks`);
}

/** Rank `comm.rank`'s shard of `full` (new variables; caller disposes). */
export function shardModel(full: Params, comm: Communicator): Params {
  const sharded: Params = new Map();
  for (const [name, variable] of full) {
    const piece = shardParam(variable.dataSync() as Float32Array, variable.shape, tensorParallelSplit(name), comm.rank, comm.size);
    sharded.set(name, tf.tidy(() => tf.variable(tf.tensor(piece.values, piece.shape), true)));
  }
  return sharded;
}

/**
 * One encoder layer on this rank's heads and FFN slice: `x` `[B, T, H]` (replicated) → `[B, T, H]` (replicated).
 * Computes what `encoderLayer` computes on the whole layer, with 2 all-reduces forward and 2 backward.
 */
export function tensorParallelLayer(x: tf.Tensor3D, params: Params, prefix: string, config: BertConfig, attentionMask: tf.Tensor2D, comm: Communicator): tf.Tensor3D {
  const [b, t, h] = x.shape;
  const w = (name: string) => param(params, `${prefix}${name}`);
  const n = config.numHeads / comm.size; // heads on this rank
  const d = h / config.numHeads;
  const heads = (y: tf.Tensor) => y.reshape([b, t, n, d]).transpose([0, 2, 1, 3]); // [B, n, T, D]
  // attention block: f, column-parallel Q/K/V, local heads, row-parallel output, g
  const xIn = copyToTensorParallel(x, comm); // [B, T, H]
  const q = heads(linear(xIn, w("attention.self.query.weight") as tf.Tensor2D, w("attention.self.query.bias") as tf.Tensor1D)); // [B, n, T, D]
  const k = heads(linear(xIn, w("attention.self.key.weight") as tf.Tensor2D, w("attention.self.key.bias") as tf.Tensor1D));
  const v = heads(linear(xIn, w("attention.self.value.weight") as tf.Tensor2D, w("attention.self.value.bias") as tf.Tensor1D));
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)); // [B, n, T, T]
  scores = tf.add(scores, tf.mul(tf.sub(1, attentionMask.toFloat().reshape([b, 1, 1, t])), -10000)); // padded keys get ~0 weight
  const context = tf.matMul(tf.softmax(scores, -1), v).transpose([0, 2, 1, 3]).reshape([b * t, n * d]); // [B·T, H/p]
  const partial = tf.matMul(context, w("attention.output.dense.weight")); // [B·T, H]: this rank's share of the sum
  const attentionOut = tf.add(reduceFromTensorParallel(partial, comm), w("attention.output.dense.bias")).reshape([b, t, h]); // bias once, after g
  const attended = layerNorm(tf.add(x, attentionOut), w("attention.output.LayerNorm.weight") as tf.Tensor1D, w("attention.output.LayerNorm.bias") as tf.Tensor1D, config.layerNormEps); // [B, T, H]
  // FFN block: f, column-parallel W₁ + GELU, row-parallel W₂, g
  const aIn = copyToTensorParallel(attended, comm);
  const inner = gelu(linear(aIn, w("intermediate.dense.weight") as tf.Tensor2D, w("intermediate.dense.bias") as tf.Tensor1D)).reshape([b * t, -1]); // [B·T, I/p]
  const ffnOut = tf.add(reduceFromTensorParallel(tf.matMul(inner, w("output.dense.weight")), comm), w("output.dense.bias")).reshape([b, t, h]); // [B, T, H]
  return layerNorm(tf.add(attended, ffnOut), w("output.LayerNorm.weight") as tf.Tensor1D, w("output.LayerNorm.bias") as tf.Tensor1D, config.layerNormEps) as tf.Tensor3D;
}

/** The MLM loss of `rows` with every encoder layer tensor-parallel (inside the caller's tidy / gradient). */
export function tensorParallelMlmLoss(params: Params, rows: MlmRowsBatch, config: BertConfig, comm: Communicator): tf.Scalar {
  const mask = tf.tensor2d(rows.attentionMask, undefined, "int32");
  let hidden = embed(params, rows.inputIds, config);
  for (let l = 0; l < config.numLayers; l++) hidden = tensorParallelLayer(hidden, params, `bert.encoder.layer.${l}.`, config, mask, comm);
  return mlmHeadLoss(params, hidden, rows, config);
}

/** What `run` takes: the model, one batch, the init seed and the learning rate. */
export interface TensorParallelInput {
  config: BertConfig;
  rows: MlmRowsBatch;
  seed: number;
  lr: number;
}

/** What each rank returns: its loss, its gradient and parameter shards, and whether tensors leaked. */
export interface TensorParallelOutput extends StepOutcome {
  leakedTensors: number;
  computeMs: number;
}

/** The SPMD program: build the model, keep this rank's shard, one forward + backward + AdamW step. */
export function run(comm: Communicator, input: TensorParallelInput): TensorParallelOutput {
  const { config, rows, seed, lr } = input;
  checkTensorParallel(config, comm.size);
  if (maskedCount(rows) === 0) throw new Error("tensor parallelism: the batch has no masked position");
  const before = tf.memory().numTensors;
  const full = initialParams(config, seed); // every rank draws the same init, then keeps its shard
  const params = shardModel(full, comm);
  disposeParams(full);
  const start = performance.now();
  const { value, grads } = valueAndGrads(params, () => tensorParallelMlmLoss(params, rows, config, comm));
  const computeMs = performance.now() - start;
  const loss = (value.dataSync() as Float32Array)[0] as number;
  const gradSnapshot = snapshotOf(Object.entries(grads));
  const optimizer = new AdamW();
  optimizer.apply(params, grads, lr);
  const paramSnapshot = snapshotOf(params);
  tf.dispose([value, ...Object.values(grads)]);
  optimizer.dispose();
  disposeParams(params);
  return { loss, grads: gradSnapshot, params: paramSnapshot, leakedTensors: tf.memory().numTensors - before, computeMs };
}

/** Every rank's shards put back together into whole parameters (or gradients). */
export function gatherShards(shards: Snapshot[]): Snapshot {
  const out: Snapshot = {};
  for (const name of Object.keys(shards[0]!)) {
    out[name] = unshardParam(shards.map((s) => s[name]!), tensorParallelSplit(name));
  }
  return out;
}

/** The result of a tensor-parallel step: whole gradients and parameters (gathered), per-rank losses and traffic. */
export interface TensorParallelStep extends StepOutcome {
  rankLosses: number[];
  stats: CommStats[];
  leakedTensors: number[];
  computeMs: number[];
}

/**
 * One tensor-parallel BERT MLM step on `workers` threads (dropout off): builds `initialParams(config, seed)`,
 * splits it as Megatron does, runs forward, backward and AdamW, and gathers the shards.
 * @throws when `workers` does not divide the heads and FFN width, or when a rank fails.
 */
export async function tensorParallelStep(config: BertConfig, rows: MlmRowsBatch, options: { workers?: number; seed?: number; lr?: number } = {}): Promise<TensorParallelStep> {
  const { workers = 2, seed = 0, lr = 1e-3 } = options;
  checkTensorParallel(config, workers);
  const noDropout = { ...config, hiddenDropout: 0, attentionDropout: 0 };
  const capacity = Math.max(1 << 16, rows.inputIds.length * (rows.inputIds[0]?.length ?? 0) * config.hiddenSize);
  const result = await runSpmd<TensorParallelInput, TensorParallelOutput>(TENSOR_PARALLEL_PROGRAM, { config: noDropout, rows, seed, lr }, { workers, capacity });
  const outs = result.outputs;
  return {
    loss: outs[0]!.loss,
    rankLosses: outs.map((o) => o.loss),
    grads: gatherShards(outs.map((o) => o.grads)),
    params: gatherShards(outs.map((o) => o.params)),
    stats: result.stats,
    leakedTensors: outs.map((o) => o.leakedTensors),
    computeMs: outs.map((o) => o.computeMs),
  };
}
