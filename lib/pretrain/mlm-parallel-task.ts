/**
 * Masked-LM pretraining as a `lib/parallel` task module: each data-parallel worker loads this file by path
 * (`MLM_PARALLEL_TASK`) and computes the loss of its shard. Batches travel as plain rows — ids, attention
 * mask, labels (the original id at masked positions, −100 elsewhere) — so `splitBatch` can cut them by rows;
 * the masked positions are rebuilt from the labels on the worker's side.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { BertModel } from "../model/bert";
import type { BertConfig } from "../model/config";
import type { Params } from "../nn/params";
import type { MaskedBatch } from "./masking";
import { mlmLoss } from "./mlm";

/** A shard-able MLM batch. */
export interface MlmRows {
  inputIds: number[][];
  attentionMask: number[][];
  labels: number[][];
}

/** The absolute path of this module (what `DataParallelTrainer.start` takes), source or compiled. */
export const MLM_PARALLEL_TASK: string = __filename;

/** Rows of a masked batch (all tokens real: windows of the corpus stream). */
export function mlmRows(batch: MaskedBatch): MlmRows {
  return { inputIds: batch.inputIds, attentionMask: batch.inputIds.map((row) => row.map(() => 1)), labels: batch.labels };
}

const models = new WeakMap<Params, BertModel>();

/** Task-module contract: the model, from the trainer's seeded init stream. */
export function createModel(config: BertConfig, rng: Rng): Params {
  const model = BertModel.init(config, rng);
  models.set(model.params, model);
  return model.params;
}

/** Task-module contract: mean cross-entropy over this shard's masked positions (gathered before the head). */
export function lossFn(params: Params, batch: MlmRows, rng: Rng, config: BertConfig): tf.Scalar {
  const model = models.get(params) ?? BertModel.fromParams(config, params as Map<string, tf.Tensor>);
  const [b, t] = [batch.inputIds.length, batch.inputIds[0]?.length ?? 0];
  const flatPositions: number[] = [];
  const maskedLabels: number[] = [];
  batch.labels.forEach((row, i) =>
    row.forEach((label, j) => {
      if (label !== -100) {
        flatPositions.push(i * t + j);
        maskedLabels.push(label);
      }
    }),
  );
  const tensors = {
    inputIds: tf.tensor2d(batch.inputIds.flat(), [b, t], "int32"),
    attentionMask: tf.tensor2d(batch.attentionMask.flat(), [b, t], "int32"),
    flatPositions: tf.tensor1d(flatPositions, "int32"),
    maskedLabels: tf.tensor1d(maskedLabels, "int32"),
  };
  return mlmLoss(model, tensors, rng);
}

/** Task-module contract: the units `lossFn` averages over (masked positions). */
export function labelCount(batch: MlmRows): number {
  let n = 0;
  for (const row of batch.labels) for (const label of row) if (label !== -100) n++;
  return n;
}
