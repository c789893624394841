/**
 * Masked-language-model pretraining as a `TrainingTask`: random windows of the corpus stream, masked anew
 * each step (80/10/10, or always `[MASK]`), loss on the gathered masked positions; held-out perplexity and masked-token accuracy
 * on fixed windows with fixed masks.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import type { BertModel } from "../model/bert";
import type { BertTokenizer } from "../text/tokenizer";
import type { TrainingTask } from "../train/trainer";
import { consecutiveWindows, randomWindows, requireId } from "./corpus";
import { maskBatch, type MaskedBatch, type MaskingOptions } from "./masking";
import { evaluateMlm, mlmLoss, mlmTensors, type MlmBatchTensors } from "./mlm";

export interface MlmTaskOptions {
  batchSize: number;
  seqLength: number;
  /** Mask whole words (a token with its `##` pieces). */
  wholeWord?: boolean;
  /** Held-out windows evaluated (default 32). */
  evalWindows?: number;
  maskRate?: number;
  /** `bert` (80/10/10, default) or `mask` (always `[MASK]`, BabyBERTa); see `maskSequence`. */
  replacement?: "bert" | "mask";
  /** Dropout while training (default true); Cramming and BabyBERTa pretrain without it. The model's config keeps
   * its dropout rates, so fine-tuning from the checkpoint still uses them. */
  dropout?: boolean;
}

/** The masking options a tokenizer implies (its specials are never masked). */
export function maskingOptionsFor(tokenizer: BertTokenizer, options: { wholeWord?: boolean; rate?: number; replacement?: "bert" | "mask" } = {}): MaskingOptions {
  const { wholeWord = false, rate = 0.15, replacement = "bert" } = options;
  const vocab = tokenizer.model.vocab;
  return {
    vocabSize: tokenizer.vocabSize,
    maskTokenId: requireId(tokenizer, tokenizer.maskToken),
    specialIds: new Set(tokenizer.specialTokens.map((t) => requireId(tokenizer, t))),
    rate,
    isContinuation: wholeWord ? (id) => (vocab[id] ?? "").startsWith("##") : undefined,
    replacement,
  };
}

/**
 * A task that trains `model` on `train` (token stream) and evaluates on `heldOut`.
 * Call `dispose()` when done (it holds the evaluation tensors).
 */
export function mlmTask(model: BertModel, tokenizer: BertTokenizer, streams: { train: Int32Array; heldOut: Int32Array }, options: MlmTaskOptions): TrainingTask<MaskedBatch> & { dispose(): void } {
  const { batchSize, seqLength, wholeWord = false, evalWindows = 32, maskRate = 0.15, replacement = "bert", dropout = true } = options;
  const masking = maskingOptionsFor(tokenizer, { wholeWord, rate: maskRate, replacement });
  const cls = requireId(tokenizer, tokenizer.clsToken);
  const sep = requireId(tokenizer, tokenizer.sepToken);
  const ones = (rows: number) => Array.from({ length: rows }, () => new Array<number>(seqLength).fill(1));

  const evalRng = new Rng(12345); // fixed masks: held-out numbers are comparable across steps and runs
  const evalMasking = { ...masking, replacement: "bert" as const }; // …and across `replacement` recipes
  const heldOut = consecutiveWindows(streams.heldOut, seqLength, cls, sep, evalWindows);
  const evalBatches: MlmBatchTensors[] = [];
  for (let i = 0; i < heldOut.length; i += batchSize) {
    const rows = heldOut.slice(i, i + batchSize);
    evalBatches.push(mlmTensors(maskBatch(rows, evalRng, evalMasking), ones(rows.length)));
  }

  return {
    params: model.params,
    nextBatch: (rng) => maskBatch(randomWindows(streams.train, batchSize, seqLength, rng, cls, sep), rng, masking),
    loss: (batch, rng) => mlmLoss(model, mlmTensors(batch, ones(batch.inputIds.length)), dropout ? rng : undefined),
    batchSize: (batch) => batch.inputIds.length * seqLength,
    evaluate: evalBatches.length > 0 ? () => ({ ...evaluateMlm(model, evalBatches) }) : undefined,
    dispose: () => evalBatches.forEach((b) => tf.dispose(Object.values(b))),
  };
}
