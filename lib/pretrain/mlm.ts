/**
 * The masked-language-model objective: mean cross-entropy over the masked positions only, with the hidden
 * states gathered at those positions *before* the vocabulary projection (BERT's `gather_indexes`): with
 * `V` ≫ `H`, projecting all `B·T` tokens would cost more than the whole encoder; gathering costs `M·H·V`.
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `V` vocabulary, `M` masked positions.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertModel } from "../model/bert";
import { crossEntropy } from "../nn/loss";
import type { MaskedBatch } from "./masking";

export interface MlmBatchTensors {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  flatPositions: tf.Tensor1D;
  maskedLabels: tf.Tensor1D;
}

/** Tensors of a masked batch (caller disposes). */
export function mlmTensors(batch: MaskedBatch, attentionMask: number[][]): MlmBatchTensors {
  const b = batch.inputIds.length;
  const t = batch.inputIds[0]?.length ?? 0;
  return {
    inputIds: tf.tensor2d(batch.inputIds.flat(), [b, t], "int32"),
    attentionMask: tf.tensor2d(attentionMask.flat(), [b, t], "int32"),
    flatPositions: tf.tensor1d(batch.flatPositions, "int32"),
    maskedLabels: tf.tensor1d(batch.maskedLabels, "int32"),
  };
}

/** Logits at the masked positions, `[M, V]` (inside the caller's tidy). `rng` turns dropout on. */
export function maskedLogits(model: BertModel, batch: MlmBatchTensors, rng?: Rng): tf.Tensor2D {
  const { hidden } = model.encode({ inputIds: batch.inputIds, attentionMask: batch.attentionMask }, { rng }); // [B, T, H]
  const flat = hidden.reshape([-1, model.config.hiddenSize]); // [B·T, H]
  const gathered = tf.gather(flat, batch.flatPositions); // [M, H]
  return model.mlmLogits(gathered) as tf.Tensor2D; // [M, V]
}

/** The MLM loss, a scalar (inside the caller's tidy). */
export function mlmLoss(model: BertModel, batch: MlmBatchTensors, rng?: Rng): tf.Scalar {
  return crossEntropy(maskedLogits(model, batch, rng), batch.maskedLabels);
}

export interface MlmMetrics {
  loss: number;
  perplexity: number;
  /** Fraction of masked tokens whose argmax prediction is the original token. */
  accuracy: number;
  maskedTokens: number;
}

/** Evaluates without dropout over `batches`; token-weighted means. Leaves no tensor behind. */
export function evaluateMlm(model: BertModel, batches: MlmBatchTensors[]): MlmMetrics {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for (const batch of batches) {
    const [loss, hits] = tf.tidy(() => {
      const logits = maskedLogits(model, batch);
      const n = batch.maskedLabels.shape[0];
      const l = crossEntropy(logits, batch.maskedLabels).mul(n);
      const h = tf.sum(tf.equal(tf.argMax(logits, -1), batch.maskedLabels.toInt()).toInt());
      return [l.dataSync()[0] as number, h.dataSync()[0] as number];
    });
    lossSum += loss;
    correct += hits;
    count += batch.maskedLabels.shape[0];
  }
  const loss = count > 0 ? lossSum / count : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: count > 0 ? correct / count : NaN, maskedTokens: count };
}
