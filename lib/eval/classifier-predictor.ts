/**
 * A fine-tuned sequence classifier as plain functions of texts: logits (what temperature scaling needs — softmax
 * outputs lose them) and probabilities (what behavioural tests read). Length-sorted batches, no dropout, no tensors
 * left behind.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../core/tidy-data";
import { batchTensors, lengthSortedBatches, padBatch, type EncodedExample } from "../tasks/batching";
import type { TaskModel } from "../tasks/heads";
import type { BertTokenizer } from "../text/tokenizer";
import type { PredictFn } from "./checklist";
import { applyTemperature } from "./temperature";

/** Texts → logits `[n][C]`, and → probabilities (optionally temperature-scaled). */
export interface ClassifierPredictor {
  logits(texts: readonly string[]): number[][];
  /** `softmax(logits / temperature)`; `temperature` defaults to 1. */
  predict: PredictFn;
}

/**
 * Wraps a sequence classifier and its tokenizer.
 * @param options `maxLength` (default the model's `maxPositions`), `batchSize` (default 64), `temperature` (default 1)
 * @throws for a token-classification model or a tokenizer without `[PAD]`
 */
export function classifierPredictor(model: TaskModel, tokenizer: BertTokenizer, options: { maxLength?: number; batchSize?: number; temperature?: number } = {}): ClassifierPredictor {
  const { maxLength = model.bert.config.maxPositions, batchSize = 64, temperature = 1 } = options;
  if (model.kind !== "sequence") throw new Error("classifierPredictor: needs a sequence-classification model");
  const padId = tokenizer.tokenToId(tokenizer.padToken);
  if (padId === undefined) throw new Error(`classifierPredictor: the tokenizer has no ${tokenizer.padToken} token`);
  const c = model.numLabels;
  const logits = (texts: readonly string[]): number[][] => {
    const examples: EncodedExample[] = texts.map((t) => ({ inputIds: tokenizer.encode(t, null, { maxLength, truncation: true }).inputIds, target: 0 }));
    const out = new Array<number[]>(texts.length);
    for (const indices of lengthSortedBatches(examples, batchSize)) {
      const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
      const values = tidyData(() => model.logits(batchTensors(batch)) as tf.Tensor2D); // [B, C]
      indices.forEach((index, row) => {
        out[index] = Array.from(values.subarray(row * c, (row + 1) * c));
      });
    }
    return out;
  };
  return { logits, predict: (texts) => applyTemperature(logits(texts), temperature) };
}
