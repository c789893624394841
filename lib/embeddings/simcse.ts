/**
 * Unsupervised SimCSE (Gao, Yao, Chen 2021, §3): the same sentence passed through the encoder twice, with
 * independent dropout masks, gives two views `z_i`, `z_i⁺` — dropout *is* the data augmentation. The other
 * sentences of the batch are the negatives (in-batch negatives), and the loss is InfoNCE at temperature `τ`:
 *   ℓ_i = −log( e^{sim(z_i, z_i⁺)/τ} / Σ_j e^{sim(z_i, z_j⁺)/τ} ),   sim = cosine
 * i.e. cross-entropy over the `[B, B]` similarity matrix with the diagonal as the labels (Eq. 4).
 * The paper trains `[CLS]` with an MLP on top (dropped at test time); here the pooled vector is used directly.
 * Shape legend: `B` sentences, `T` tokens, `H` hidden.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertModel } from "../model/bert";
import type { BertTokenizer } from "../text/tokenizer";
import { crossEntropy } from "../nn/loss";
import { EpochSampler } from "../tasks/batching";
import { train, type StepRecord } from "../train/trainer";
import { poolHidden, type Pooling } from "./pooling";
import { encodeSentences } from "./sentence-embeddings";

/**
 * InfoNCE with in-batch negatives: `z1[i]` must pick `z2[i]` among all rows of `z2` (inside the caller's tidy).
 * @param z1 `[B, H]` first views; @param z2 `[B, H]` second views; @param temperature τ > 0 (SimCSE: 0.05)
 * @returns the mean loss, a scalar
 */
export function infoNceLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature: number): tf.Scalar {
  if (!(temperature > 0)) throw new Error(`infoNceLoss: temperature must be > 0, got ${temperature}`);
  if (z1.shape.join() !== z2.shape.join()) throw new Error(`infoNceLoss: views of shapes [${z1.shape}] and [${z2.shape}]`);
  const unit = (z: tf.Tensor2D) => tf.div(z, tf.maximum(tf.norm(z, 2, 1, true), 1e-12));
  const similarity = tf.div(tf.matMul(unit(z1), unit(z2), false, true), temperature) as tf.Tensor2D; // [B, B] cosines / τ
  return crossEntropy(similarity, tf.range(0, z1.shape[0], 1, "int32") as tf.Tensor1D); // labels: the diagonal
}

export interface SimcseOptions {
  /** Updates (default 200). */
  steps?: number;
  /** Sentences per batch, i.e. 1 positive + B − 1 negatives each (default 64; the paper's 64). */
  batchSize?: number;
  /** Peak learning rate (default 1e-4; the paper's 3e-5 is for BERT-base). */
  lr?: number;
  /** τ (default 0.05, the paper's). */
  temperature?: number;
  /** Which vector is trained (default "cls", the paper's). */
  pooling?: Pooling;
  /** Tokens per sentence, specials included (default 32; the paper's 32). */
  maxLength?: number;
  seed?: number;
  onStep?(record: StepRecord): void;
}

/**
 * Trains `bert` in place with unsupervised SimCSE on `texts` (no labels); dropout is the model's own
 * (`hiddenDropout`, `attentionDropout`), drawn from the trainer's seeded rng.
 * @throws when there are fewer than 2 texts (no negatives) or the model has no dropout (no augmentation)
 */
export function trainSimcse(bert: BertModel, tokenizer: BertTokenizer, texts: readonly string[], options: SimcseOptions = {}): { history: StepRecord[]; seconds: number } {
  const { steps = 200, batchSize = 64, lr = 1e-4, temperature = 0.05, pooling = "cls", maxLength = 32, seed = 0, onStep } = options;
  if (texts.length < 2) throw new Error(`trainSimcse: ${texts.length} text(s); in-batch negatives need at least 2`);
  if (!(bert.config.hiddenDropout > 0 || bert.config.attentionDropout > 0)) throw new Error("trainSimcse: the model has no dropout, so the two views would be identical; set hiddenDropout (SimCSE: 0.1)");
  const sampler = new EpochSampler(texts.length, Math.min(batchSize, texts.length));
  const began = performance.now();
  const { history } = train<number[]>(
    {
      params: bert.params,
      nextBatch: (rng) => sampler.next(rng),
      loss: (indices, rng) => {
        const batch = indices.map((i) => texts[i] as string);
        const { inputIds, attentionMask } = encodeSentences(tokenizer, [...batch, ...batch], maxLength); // each sentence twice
        const [b2, t] = [inputIds.length, inputIds[0]?.length ?? 0];
        const mask = tf.tensor2d(attentionMask.flat(), [b2, t], "int32");
        const { hidden } = bert.encode({ inputIds: tf.tensor2d(inputIds.flat(), [b2, t], "int32"), attentionMask: mask }, { rng }); // [2B, T, H], a fresh dropout mask per row
        const pooled = poolHidden(hidden, mask, pooling); // [2B, H]
        const b = b2 / 2;
        return infoNceLoss(pooled.slice([0, 0], [b, -1]), pooled.slice([b, 0], [b, -1]), temperature);
      },
      batchSize: (indices) => indices.length,
    },
    { steps, lr, seed, onStep },
  );
  return { history, seconds: (performance.now() - began) / 1000 };
}
