/**
 * BERT's masked-LM forward cut into the pieces that parallel schemes distribute: embeddings, encoder layers,
 * and the MLM head with its loss. Each reads its parameters by Hugging Face name from a `Params` map that may
 * hold only part of the model (a pipeline stage, a tensor-parallel shard); run end to end they compute what
 * `mlmLoss(BertModel…)` computes (tested). Dropout is off: the parallel forms are checked on the arithmetic.
 *
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `M` masked positions, `V` vocabulary.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "../model/config";
import { crossEntropy } from "../nn/loss";
import type { BertModel } from "../model/bert";
import type { EncoderHooks, EncoderLayerConfig } from "../nn/encoder-layer";
import { gelu, layerNorm, linear } from "../nn/layers";
import { param, type Params } from "../nn/params";

/** A batch as plain rows (as `MlmRows` of `lib/pretrain`): labels hold the original id at masked positions, −100 elsewhere. */
export interface MlmRowsBatch {
  inputIds: number[][];
  attentionMask: number[][];
  labels: number[][];
}

/** The masked positions of `rows` flattened to `b·T + t`, with their labels. */
export function maskedTargets(rows: MlmRowsBatch): { flatPositions: number[]; maskedLabels: number[] } {
  const t = rows.inputIds[0]?.length ?? 0;
  const flatPositions: number[] = [];
  const maskedLabels: number[] = [];
  rows.labels.forEach((row, i) =>
    row.forEach((label, j) => {
      if (label !== -100) {
        flatPositions.push(i * t + j);
        maskedLabels.push(label);
      }
    }),
  );
  return { flatPositions, maskedLabels };
}

/** How many masked positions `rows` has (the units the loss averages). */
export function maskedCount(rows: MlmRowsBatch): number {
  let n = 0;
  for (const row of rows.labels) for (const label of row) if (label !== -100) n++;
  return n;
}

/** The encoder layer's config from BERT's. */
export function layerConfigOf(config: BertConfig): EncoderLayerConfig {
  return {
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    intermediateSize: config.intermediateSize,
    dropoutRate: 0,
    attentionDropoutRate: 0,
    layerNormEps: config.layerNormEps,
    initializerRange: config.initializerRange,
  };
}

/** Word + position + segment-0 embeddings, LayerNorm: ids `[B, T]` → `[B, T, H]` (inside the caller's tidy). */
export function embed(params: Params, inputIds: number[][], config: BertConfig): tf.Tensor3D {
  const [b, t, h] = [inputIds.length, inputIds[0]?.length ?? 0, config.hiddenSize];
  const ids = tf.tensor2d(inputIds.flat(), [b, t], "int32");
  const words = tf.gather(param(params, "bert.embeddings.word_embeddings.weight"), ids); // [B, T, H]
  const positions = param(params, "bert.embeddings.position_embeddings.weight").slice([0, 0], [t, h]); // [T, H]
  const types = param(params, "bert.embeddings.token_type_embeddings.weight").slice([0, 0], [1, h]); // [1, H]
  const summed = tf.add(tf.add(words, positions), types); // [B, T, H]
  return layerNorm(summed, param(params, "bert.embeddings.LayerNorm.weight") as tf.Tensor1D, param(params, "bert.embeddings.LayerNorm.bias") as tf.Tensor1D, config.layerNormEps) as tf.Tensor3D;
}

/**
 * The MLM head on the masked positions and the mean cross-entropy: hidden `[B, T, H]` → scalar. The decoder is
 * tied to `bert.embeddings.word_embeddings.weight` (so a pipeline's last stage holds a copy of it).
 * `weight` scales the loss (a micro-batch's share `nₖ/Σn` of the whole batch's mean).
 */
export function mlmHeadLoss(params: Params, hidden: tf.Tensor3D, rows: MlmRowsBatch, config: BertConfig, weight = 1): tf.Scalar {
  const { flatPositions, maskedLabels } = maskedTargets(rows);
  const gathered = tf.gather(hidden.reshape([-1, config.hiddenSize]), tf.tensor1d(flatPositions, "int32")); // [M, H]
  const p = (name: string) => param(params, name);
  const transformed = layerNorm(
    gelu(linear(gathered, p("cls.predictions.transform.dense.weight") as tf.Tensor2D, p("cls.predictions.transform.dense.bias") as tf.Tensor1D)),
    p("cls.predictions.transform.LayerNorm.weight") as tf.Tensor1D,
    p("cls.predictions.transform.LayerNorm.bias") as tf.Tensor1D,
    config.layerNormEps,
  ); // [M, H]
  const logits = tf.add(tf.matMul(transformed, p("bert.embeddings.word_embeddings.weight"), false, true), p("cls.predictions.bias")) as tf.Tensor2D; // [M, V]
  const loss = crossEntropy(logits, tf.tensor1d(maskedLabels, "int32"));
  return (weight === 1 ? loss : tf.mul(loss, weight)) as tf.Scalar;
}

/** Does parameter `name` belong to encoder layer `layer`? */
export function inLayer(name: string, layer: number): boolean {
  return name.startsWith(`bert.encoder.layer.${layer}.`);
}

/**
 * The MLM loss of `rows` on a whole `BertModel` (evaluation mode: no dropout), optionally through encoder hooks
 * (mixed precision's rounding): encoder → masked positions gathered → MLM head → mean cross-entropy.
 */
export function modelMlmLoss(model: BertModel, rows: MlmRowsBatch, hooks?: EncoderHooks): tf.Scalar {
  const { flatPositions, maskedLabels } = maskedTargets(rows);
  const inputIds = tf.tensor2d(rows.inputIds, undefined, "int32");
  const attentionMask = tf.tensor2d(rows.attentionMask, undefined, "int32");
  const { hidden } = model.encode({ inputIds, attentionMask }, { hooks }); // [B, T, H]
  const gathered = tf.gather(hidden.reshape([-1, model.config.hiddenSize]), tf.tensor1d(flatPositions, "int32")); // [M, H]
  return crossEntropy(model.mlmLogits(gathered) as tf.Tensor2D, tf.tensor1d(maskedLabels, "int32"));
}
