/**
 * Pipeline (inter-layer) model parallelism: GPipe (Huang et al. 2019) and, as an option, the 1F1B schedule of
 * PipeDream-Flush (Narayanan et al. 2021, §2.2). Stage s of p holds a contiguous range of encoder layers (stage 0
 * also the embeddings, the last stage the MLM head); the batch is cut into m micro-batches that flow through the
 * stages, activations forward and their gradients backward, point to point. Gradients accumulate over the
 * micro-batches and every stage takes one AdamW step at the end (a synchronous "flush"), so the step equals one
 * worker's on the whole batch.
 *
 * The bubble: with uniform stages, each stage idles for (p−1) of the (m+p−1) slots of a step, a fraction
 * `(p−1)/(m+p−1)` (GPipe §2.2). 1F1B has the same bubble but starts backward passes early, so a stage holds at
 * most p micro-batches' activations instead of m.
 *
 * Two departures from a GPU implementation, both stated: each stage keeps only its *input* per micro-batch and
 * recomputes its forward during the backward pass (GPipe's re-materialisation, §2.3; tfjs cannot keep a tape open
 * between calls), so a backward costs about two forwards; and the MLM decoder is tied to the word embeddings,
 * so the first and last stage each hold a copy and sum their gradients before the update (as Megatron-LM does).
 *
 * Shape legend: `B` micro-batch rows, `T` sequence, `H` hidden.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "../model/config";
import { encoderLayer } from "../nn/encoder-layer";
import { disposeParams, type Params } from "../nn/params";
import { AdamW } from "../train/adamw";
import { embed, layerConfigOf, maskedCount, mlmHeadLoss, type MlmRowsBatch } from "./bert-stages";
import { shardRange, type CommStats, type Communicator } from "./communicator";
import { splitBatch } from "./shard";
import { initialParams, snapshotOf, type Snapshot, type StepOutcome } from "./single-worker";
import { runSpmd } from "./spmd";

/** The SPMD program of this file (what `runSpmd` loads). */
export const PIPELINE_PROGRAM: string = __filename;

/** One slot of a stage's schedule: the forward or backward pass of micro-batch `micro`. */
export interface PipelineOp {
  kind: "F" | "B";
  micro: number;
}

export type PipelineSchedule = "gpipe" | "1f1b";

/** GPipe: all m forwards, then all m backwards (every stage holds m micro-batches' activations at the peak). */
export function gpipeSchedule(microBatches: number): PipelineOp[] {
  const ops: PipelineOp[] = [];
  for (let k = 0; k < microBatches; k++) ops.push({ kind: "F", micro: k });
  for (let k = 0; k < microBatches; k++) ops.push({ kind: "B", micro: k });
  return ops;
}

/** 1F1B: `p − s − 1` warm-up forwards on stage s, then one forward and one backward in turn, then the remaining backwards. */
export function oneFOneBSchedule(stage: number, stages: number, microBatches: number): PipelineOp[] {
  const warmup = Math.min(stages - stage - 1, microBatches);
  const ops: PipelineOp[] = [];
  let forward = 0, backward = 0;
  for (; forward < warmup; forward++) ops.push({ kind: "F", micro: forward });
  while (forward < microBatches) {
    ops.push({ kind: "F", micro: forward++ });
    ops.push({ kind: "B", micro: backward++ });
  }
  while (backward < microBatches) ops.push({ kind: "B", micro: backward++ });
  return ops;
}

/** Stage `stage`'s schedule. */
export function pipelineSchedule(schedule: PipelineSchedule, stage: number, stages: number, microBatches: number): PipelineOp[] {
  return schedule === "gpipe" ? gpipeSchedule(microBatches) : oneFOneBSchedule(stage, stages, microBatches);
}

/** The idle fraction of a pipeline with p uniform stages and m micro-batches: `(p−1)/(m+p−1)` (GPipe §2.2). */
export function bubbleFraction(stages: number, microBatches: number): number {
  return (stages - 1) / (microBatches + stages - 1);
}

/** The encoder layers `[start, end)` of stage `stage` (contiguous, sizes differing by at most one). */
export function stageLayers(numLayers: number, stages: number, stage: number): [number, number] {
  return shardRange(stage, stages, numLayers);
}

const WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";

/** Does stage `stage` of `stages` hold parameter `name`? (The word embeddings live on the first and the last.) */
export function stageHolds(name: string, config: BertConfig, stages: number, stage: number): boolean {
  const last = stage === stages - 1;
  if (name === WORD_EMBEDDINGS) return stage === 0 || last;
  if (name.startsWith("bert.embeddings.")) return stage === 0;
  const layer = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
  if (layer) {
    const [start, end] = stageLayers(config.numLayers, stages, stage);
    const l = Number(layer[1]);
    return l >= start && l < end;
  }
  return last; // the MLM head (and the unused pooler)
}

/** The stage's computation on tensors `w` by name: ids or its input `[B, T, H]` → output `[B, T, H]`, or the weighted loss on the last stage. */
function stageForward(w: Params, input: tf.Tensor3D | undefined, rows: MlmRowsBatch, config: BertConfig, stage: number, stages: number, weight: number): tf.Tensor {
  let hidden = stage === 0 ? embed(w, rows.inputIds, config) : (input as tf.Tensor3D);
  const mask = tf.tensor2d(rows.attentionMask, undefined, "int32");
  const [start, end] = stageLayers(config.numLayers, stages, stage);
  for (let l = start; l < end; l++) hidden = encoderLayer(hidden, w, `bert.encoder.layer.${l}.`, layerConfigOf(config), { attentionMask: mask }).hidden;
  return stage === stages - 1 ? mlmHeadLoss(w, hidden, rows, config, weight) : hidden;
}

/** One interval of a stage's timeline (absolute ms, `performance.timeOrigin` based, comparable across threads). */
export interface PipelineEvent extends PipelineOp {
  stage: number;
  start: number;
  end: number;
}

export interface PipelineInput {
  config: BertConfig;
  rows: MlmRowsBatch;
  seed: number;
  lr: number;
  microBatches: number;
  schedule: PipelineSchedule;
}

export interface PipelineOutput {
  /** Stage's parameters' gradients and values after the step; `loss` is the batch's mean (last stage; NaN elsewhere). */
  outcome: StepOutcome;
  timeline: PipelineEvent[];
  /** The most micro-batch inputs this stage held at once, and their bytes. */
  peakStored: number;
  peakStoredBytes: number;
  leakedTensors: number;
}

const now = () => performance.timeOrigin + performance.now();

/** The SPMD program: rank s is stage s; run its schedule, sum the tied embeddings' gradients, one AdamW step. */
export function run(comm: Communicator, input: PipelineInput): PipelineOutput {
  const { config, rows, seed, lr, microBatches, schedule } = input;
  const [stage, stages] = [comm.rank, comm.size];
  const last = stage === stages - 1;
  const before = tf.memory().numTensors;
  const params: Params = initialParams(config, seed);
  for (const [name, variable] of [...params]) {
    if (!stageHolds(name, config, stages, stage)) (variable.dispose(), params.delete(name));
  }
  const names = [...params.keys()].filter((n) => !n.startsWith("bert.pooler.")); // MLM never reads the pooler: no gradient
  const micro = splitBatch(rows, microBatches);
  const total = maskedCount(rows);
  const weights = micro.map((m) => maskedCount(m) / total); // micro-batch k's share of the batch mean
  const stored = new Map<number, tf.Tensor3D>();
  const grads = new Map<string, tf.Tensor>();
  const timeline: PipelineEvent[] = [];
  let loss = 0, peakStored = 0, peakStoredBytes = 0;
  const shapeOf = (k: number): [number, number, number] => [micro[k]!.inputIds.length, micro[k]!.inputIds[0]!.length, config.hiddenSize];

  for (const op of pipelineSchedule(schedule, stage, stages, microBatches)) {
    const k = op.micro;
    if (op.kind === "F") {
      const x = stage === 0 ? undefined : tf.tensor3d(comm.recv(stage - 1), shapeOf(k));
      const start = now();
      const out = tf.tidy(() => stageForward(params, x, micro[k]!, config, stage, stages, weights[k]!));
      const values = out.dataSync() as Float32Array;
      const end = now();
      out.dispose();
      timeline.push({ ...op, stage, start, end });
      if (last) loss += values[0] as number;
      else comm.send(values, stage + 1);
      if (x) stored.set(k, x);
      peakStored = Math.max(peakStored, stored.size);
      peakStoredBytes = Math.max(peakStoredBytes, [...stored.values()].reduce((n, t) => n + t.size * 4, 0));
    } else {
      const dy = last ? undefined : tf.tensor3d(comm.recv(stage + 1), shapeOf(k));
      const x = stored.get(k);
      stored.delete(k);
      const start = now();
      const inputs = [...(x ? [x] : []), ...names.map((n) => params.get(n)!)];
      // recompute the forward and differentiate `loss` (last stage) or `Σ out·dy` (a vector-Jacobian product)
      const all = tf.grads((...ts: tf.Tensor[]) => {
        const w: Params = new Map(names.map((n, i) => [n, ts[i + (x ? 1 : 0)] as tf.Variable]));
        const out = stageForward(w, ts[0] as tf.Tensor3D, micro[k]!, config, stage, stages, weights[k]!);
        return (dy ? tf.sum(tf.mul(out, dy)) : out) as tf.Scalar;
      })(inputs);
      const dxTensor = x ? all.shift() : undefined;
      const dx = dxTensor ? new Float32Array(dxTensor.dataSync() as Float32Array) : undefined;
      dxTensor?.dispose();
      names.forEach((n, i) => {
        const g = all[i]!;
        const sum = grads.get(n);
        grads.set(n, sum ? tf.tidy(() => tf.add(sum, g)) : g);
        if (sum) (sum.dispose(), g.dispose());
      });
      const end = now();
      timeline.push({ ...op, stage, start, end });
      tf.dispose([dy, x]);
      if (dx) comm.send(dx, stage - 1);
    }
  }
  // the decoder is tied to the word embeddings: first and last stage add each other's gradient (same order on both)
  if (stages > 1 && (stage === 0 || last)) {
    const mine = grads.get(WORD_EMBEDDINGS)!;
    const peer = stage === 0 ? stages - 1 : 0;
    comm.send(mine.dataSync() as Float32Array, peer);
    const theirs = tf.tensor(comm.recv(peer), mine.shape);
    const summed = stage === 0 ? tf.add(mine, theirs) : tf.add(theirs, mine);
    tf.dispose([mine, theirs]);
    grads.set(WORD_EMBEDDINGS, summed);
  }
  const gradSnapshot = snapshotOf(grads);
  const optimizer = new AdamW();
  optimizer.apply(params, Object.fromEntries(grads), lr);
  const outcome: StepOutcome = { loss: last ? loss : NaN, grads: gradSnapshot, params: snapshotOf(params) };
  tf.dispose([...grads.values()]);
  optimizer.dispose();
  disposeParams(params);
  return { outcome, timeline, peakStored, peakStoredBytes, leakedTensors: tf.memory().numTensors - before };
}

/** A pipeline-parallel step's result: the whole model's gradients and parameters, and how the stages spent the time. */
export interface PipelineStep extends StepOutcome {
  timeline: PipelineEvent[];
  /** Measured: the mean over stages of `1 − busy/makespan` (busy = time inside forward and backward passes). */
  bubble: number;
  /** `(p−1)/(m+p−1)`. */
  idealBubble: number;
  makespanMs: number;
  peakStored: number[];
  peakStoredBytes: number[];
  stats: CommStats[];
  leakedTensors: number[];
}

/** The measured bubble of a timeline: mean over stages of the idle share of the span from first start to last end. */
export function measuredBubble(timeline: PipelineEvent[], stages: number): number {
  const t0 = Math.min(...timeline.map((e) => e.start)), t1 = Math.max(...timeline.map((e) => e.end));
  let idle = 0;
  for (let s = 0; s < stages; s++) idle += 1 - timeline.filter((e) => e.stage === s).reduce((n, e) => n + e.end - e.start, 0) / (t1 - t0);
  return idle / stages;
}

/**
 * One pipeline-parallel BERT MLM step over `workers` stages with `microBatches` micro-batches (dropout off).
 * @throws when there are fewer layers than stages, fewer rows than micro-batches, or a stage fails.
 */
export async function pipelineParallelStep(config: BertConfig, rows: MlmRowsBatch, options: { workers?: number; microBatches?: number; schedule?: PipelineSchedule; seed?: number; lr?: number } = {}): Promise<PipelineStep> {
  const { workers = 2, microBatches = 4, schedule = "gpipe", seed = 0, lr = 1e-3 } = options;
  if (config.numLayers < workers) throw new Error(`pipeline parallelism: ${config.numLayers} layers cannot fill ${workers} stages (use at most ${config.numLayers} workers)`);
  if (rows.inputIds.length < microBatches) throw new Error(`pipeline parallelism: ${rows.inputIds.length} rows cannot make ${microBatches} micro-batches`);
  const noDropout = { ...config, hiddenDropout: 0, attentionDropout: 0 };
  const capacity = Math.max(config.vocabSize * config.hiddenSize, Math.ceil(rows.inputIds.length / microBatches) * (rows.inputIds[0]?.length ?? 0) * config.hiddenSize);
  const result = await runSpmd<PipelineInput, PipelineOutput>(PIPELINE_PROGRAM, { config: noDropout, rows, seed, lr, microBatches, schedule }, { workers, capacity });
  const outs = result.outputs;
  const merge = (pick: (o: StepOutcome) => Snapshot): Snapshot => Object.assign({}, ...outs.map((o) => pick(o.outcome)).reverse()); // stage 0's copy of shared names wins
  const timeline = outs.flatMap((o) => o.timeline);
  return {
    loss: outs[workers - 1]!.outcome.loss,
    grads: merge((o) => o.grads),
    params: merge((o) => o.params),
    timeline,
    bubble: measuredBubble(timeline, workers),
    idealBubble: bubbleFraction(workers, microBatches),
    makespanMs: Math.max(...timeline.map((e) => e.end)) - Math.min(...timeline.map((e) => e.start)),
    peakStored: outs.map((o) => o.peakStored),
    peakStoredBytes: outs.map((o) => o.peakStoredBytes),
    stats: result.stats,
    leakedTensors: outs.map((o) => o.leakedTensors),
  };
}
