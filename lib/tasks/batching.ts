/**
 * Batches for fine-tuning with DYNAMIC padding: each batch is padded to its own longest sequence, not to a
 * fixed `maxLength`. Sentences in these datasets are short (FPB ≈ 30 tokens, Banking77 ≈ 20) and attention
 * costs grow with `T²`, so padding every batch to 128 spends most of the compute on `[PAD]`.
 * Plain arrays here; tensors are made in the loss, inside the trainer's tidy.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { IGNORE_INDEX } from "../nn/loss";

/** One encoded example: token ids and its target (a class id, or one class id / −100 per token). */
export interface EncodedExample {
  inputIds: number[];
  /** Sequence classification: the class. Token classification: per token, a class or −100. */
  target: number | number[];
}

/** How a batch is padded: to its longest sequence (`"longest"`, the default) or always to `maxLength`. */
export type Padding = "longest" | { maxLength: number };

/** A padded batch (plain arrays, `[B, T]`). */
export interface PaddedBatch {
  inputIds: number[][];
  attentionMask: number[][];
  /** `[B]` classes, or `[B, T]` per-token classes with −100 on padding. */
  targets: number[] | number[][];
  /** Positions of the examples in the list they came from. */
  indices: number[];
  /** Real (non-pad) tokens, for throughput and padding statistics. */
  realTokens: number;
}

/**
 * Pads `examples` into one batch.
 * @param padId the tokenizer's `[PAD]` id
 * @throws when a fixed `maxLength` is shorter than an example (encode with truncation first)
 */
export function padBatch(examples: readonly EncodedExample[], indices: readonly number[], padId: number, padding: Padding = "longest"): PaddedBatch {
  const longest = examples.reduce((m, e) => Math.max(m, e.inputIds.length), 0);
  const length = padding === "longest" ? longest : padding.maxLength;
  if (longest > length) throw new Error(`padBatch: an example has ${longest} tokens but padding is fixed at ${length}; encode with maxLength ${length}`);
  const inputIds: number[][] = [];
  const attentionMask: number[][] = [];
  const perToken: number[][] = [];
  const perExample: number[] = [];
  let realTokens = 0;
  for (const e of examples) {
    const n = e.inputIds.length;
    realTokens += n;
    inputIds.push([...e.inputIds, ...new Array<number>(length - n).fill(padId)]);
    attentionMask.push([...new Array<number>(n).fill(1), ...new Array<number>(length - n).fill(0)]);
    if (typeof e.target === "number") perExample.push(e.target);
    else perToken.push([...e.target, ...new Array<number>(length - n).fill(IGNORE_INDEX)]);
  }
  if (perExample.length > 0 && perToken.length > 0) throw new Error("padBatch: examples mix class targets and per-token targets");
  return { inputIds, attentionMask, targets: perToken.length > 0 ? perToken : perExample, indices: [...indices], realTokens };
}

/** `[B, T]` tensors of a batch (inside the caller's tidy). */
export function batchTensors(batch: PaddedBatch): { inputIds: tf.Tensor2D; attentionMask: tf.Tensor2D } {
  const b = batch.inputIds.length;
  const t = batch.inputIds[0]?.length ?? 0;
  return {
    inputIds: tf.tensor2d(batch.inputIds.flat(), [b, t], "int32"),
    attentionMask: tf.tensor2d(batch.attentionMask.flat(), [b, t], "int32"),
  };
}

/**
 * Endless training batches that walk the data in epochs: a fresh shuffle (from the trainer's `rng`) at the
 * start of each epoch, `ceil(n / batchSize)` batches per epoch, the last one smaller.
 */
export class EpochSampler {
  private order: number[] = [];
  private cursor = 0;

  constructor(
    readonly size: number,
    readonly batchSize: number,
  ) {
    if (size <= 0) throw new Error("EpochSampler: no training examples");
    if (!(batchSize >= 1)) throw new Error(`EpochSampler: batchSize must be >= 1, got ${batchSize}`);
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    return Math.ceil(this.size / this.batchSize);
  }

  /** The indices of the next batch. */
  next(rng: Rng): number[] {
    if (this.cursor >= this.order.length) {
      this.order = rng.shuffle(Array.from({ length: this.size }, (_, i) => i));
      this.cursor = 0;
    }
    const indices = this.order.slice(this.cursor, this.cursor + this.batchSize);
    this.cursor += indices.length;
    return indices;
  }
}

/**
 * Evaluation batches: examples sorted by length (so each batch pads little), `batchSize` at a time.
 * @returns lists of indices into `examples`
 */
export function lengthSortedBatches(examples: readonly EncodedExample[], batchSize: number): number[][] {
  const order = examples.map((e, i) => ({ i, n: e.inputIds.length })).sort((a, b) => a.n - b.n || a.i - b.i);
  const batches: number[][] = [];
  for (let k = 0; k < order.length; k += batchSize) batches.push(order.slice(k, k + batchSize).map((o) => o.i));
  return batches;
}
