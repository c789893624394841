/**
 * The computation every parallel form must reproduce: one BERT masked-LM step on one worker, in process —
 * `BertModel` + `mlmLoss` (lib/pretrain) + `AdamW`, no parallel code involved. Also the plain-data snapshots
 * that SPMD programs send back, and the tools to compare them.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "../model/config";
import { disposeParams, type Params } from "../nn/params";
import { createModel, lossFn } from "../pretrain/mlm-parallel-task";
import { Rng } from "../core/rng";
import { AdamW } from "../train/adamw";
import { valueAndGrads } from "../train/grads";
import type { MlmRowsBatch } from "./bert-stages";
import { initRng, type ParamSnapshot } from "./data-parallel";

/** Parameters or gradients by name, as plain data. */
export type Snapshot = Record<string, ParamSnapshot>;

/** Copies tensors out by name. */
export function snapshotOf(tensors: Iterable<[string, tf.Tensor]>): Snapshot {
  const out: Snapshot = {};
  for (const [name, t] of tensors) out[name] = { shape: [...t.shape], values: new Float32Array(t.dataSync() as Float32Array) };
  return out;
}

/** The largest `|a − b|` over every name of `expected` (throws naming a name missing from `actual` or a shape mismatch). */
export function maxAbsDiff(expected: Snapshot, actual: Snapshot): number {
  let worst = 0;
  for (const [name, e] of Object.entries(expected)) {
    const a = actual[name];
    if (a === undefined) throw new Error(`maxAbsDiff: "${name}" is missing from the compared snapshot`);
    if (a.shape.join() !== e.shape.join()) throw new Error(`maxAbsDiff: "${name}" has shape [${a.shape}] vs [${e.shape}]`);
    for (let i = 0; i < e.values.length; i++) worst = Math.max(worst, Math.abs((e.values[i] as number) - (a.values[i] as number)));
  }
  return worst;
}

/** Options of one training step: the init seed (as `initRng`), the learning rate, AdamW's defaults otherwise. */
export interface StepSetup {
  seed?: number;
  lr?: number;
}

/** What a step computed: the loss, the gradients and the parameters after the AdamW update. */
export interface StepOutcome {
  loss: number;
  grads: Snapshot;
  params: Snapshot;
}

/** The model every parallel program starts from: `BertModel.init(config, initRng(seed))` (caller disposes). */
export function initialParams(config: BertConfig, seed: number): Params {
  return createModel(config, initRng(seed));
}

/**
 * One step on one worker: loss of `rows` (mean over its masked positions), gradients, AdamW (lr, defaults).
 * Leaves no tensor behind.
 */
export function singleWorkerStep(config: BertConfig, rows: MlmRowsBatch, setup: StepSetup = {}): StepOutcome {
  const { seed = 0, lr = 1e-3 } = setup;
  const noDropout = { ...config, hiddenDropout: 0, attentionDropout: 0 };
  const params = initialParams(noDropout, seed);
  const optimizer = new AdamW();
  const { value, grads } = valueAndGrads(params, () => lossFn(params, rows, new Rng(0), noDropout));
  const loss = (value.dataSync() as Float32Array)[0] as number;
  const gradSnapshot = snapshotOf(Object.entries(grads));
  optimizer.apply(params, grads, lr);
  const paramSnapshot = snapshotOf(params);
  tf.dispose([value, ...Object.values(grads)]);
  optimizer.dispose();
  disposeParams(params);
  return { loss, grads: gradSnapshot, params: paramSnapshot };
}
