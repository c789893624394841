/**
 * Inference for task models: class probabilities per example (sequence) or per token (token classification),
 * in length-sorted batches (little padding), no dropout. Plain arrays out, no tensors left behind.
 */
import * as tf from "@tensorflow/tfjs";
import { batchTensors, lengthSortedBatches, padBatch, type EncodedExample } from "./batching";
import type { TaskModel } from "./heads";
import { tidyData } from "../core/tidy-data";

export interface PredictOptions {
  /** Examples per forward pass (default 64). */
  batchSize?: number;
}

function run(model: TaskModel, examples: readonly EncodedExample[], padId: number, batchSize: number, each: (index: number, probs: Float32Array, row: number, length: number, width: number) => void): void {
  const c = model.numLabels;
  for (const indices of lengthSortedBatches(examples, batchSize)) {
    const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
    const width = batch.inputIds[0]?.length ?? 0;
    const probs = tidyData(() => tf.softmax(model.logits(batchTensors(batch)), -1)) as Float32Array; // [B, C] or [B, T, C]
    indices.forEach((index, row) => each(index, probs, row, (examples[index] as EncodedExample).inputIds.length, width * c));
  }
}

/**
 * Class probabilities of each example, `[N][C]`, in the order of `examples` (sequence-classification models).
 * @param padId the tokenizer's `[PAD]` id
 */
export function predictSequence(model: TaskModel, examples: readonly EncodedExample[], padId: number, options: PredictOptions = {}): number[][] {
  const { batchSize = 64 } = options;
  if (model.kind !== "sequence") throw new Error("predictSequence needs a sequence-classification model; use predictTokens for token classification");
  const c = model.numLabels;
  const out = new Array<number[]>(examples.length);
  run(model, examples, padId, batchSize, (index, probs, row) => {
    out[index] = Array.from(probs.subarray(row * c, (row + 1) * c));
  });
  return out;
}

/**
 * Class probabilities of each token, `[N][Tᵢ][C]` (each example cut to its own length), in the order of
 * `examples` (token-classification models).
 */
export function predictTokens(model: TaskModel, examples: readonly EncodedExample[], padId: number, options: PredictOptions = {}): number[][][] {
  const { batchSize = 64 } = options;
  if (model.kind !== "token") throw new Error("predictTokens needs a token-classification model; use predictSequence for sequence classification");
  const c = model.numLabels;
  const out = new Array<number[][]>(examples.length);
  run(model, examples, padId, batchSize, (index, probs, row, length, rowSize) => {
    const rows: number[][] = [];
    for (let t = 0; t < length; t++) rows.push(Array.from(probs.subarray(row * rowSize + t * c, row * rowSize + (t + 1) * c)));
    out[index] = rows;
  });
  return out;
}

/** Index of the largest value (the first on ties). */
export function bestClass(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
