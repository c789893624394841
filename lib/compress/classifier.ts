/**
 * What the compression lessons compare: anything that maps `[B, T]` inputs to `[B, C]` logits — a
 * `TaskModel`, a structurally pruned `CompactBertClassifier`, a `LogitEnsemble` — scored on the same encoded
 * test set (accuracy) and timed through the same `InferenceRunner` interface as `lib/export`'s runners.
 * Shape legend: `B` batch, `T` sequence, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { tidyData } from "../core/tidy-data";
import type { InferenceRunner } from "../export/inference-bench";
import type { OnnxRunner } from "../export/onnx-runtime";
import type { BertInputs } from "../model/bert";
import { batchTensors, lengthSortedBatches, padBatch, type EncodedExample } from "../tasks/batching";

/** A sequence classifier: `[B, T]` inputs → logits `[B, C]` (a `TaskModel` of kind "sequence" is one). */
export interface SequenceClassifier {
  readonly numLabels: number;
  /** Logits `[B, C]`; call inside `tf.tidy`; `rng` turns on dropout (training). */
  logits(inputs: BertInputs, options?: { rng?: Rng }): tf.Tensor;
}

/**
 * Raw logits `[N][C]` of each example, in the order of `examples` (length-sorted batches, no dropout).
 * Plain arrays out; no tensors left behind.
 * @param padId the tokenizer's `[PAD]` id
 */
export function classifierLogits(model: SequenceClassifier, examples: readonly EncodedExample[], padId: number, options: { batchSize?: number } = {}): number[][] {
  const { batchSize = 64 } = options;
  const c = model.numLabels;
  const out = new Array<number[]>(examples.length);
  for (const indices of lengthSortedBatches(examples, batchSize)) {
    const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
    const logits = tidyData(() => model.logits(batchTensors(batch))); // [B, C]
    indices.forEach((index, row) => (out[index] = Array.from(logits.subarray(row * c, (row + 1) * c))));
  }
  return out;
}

/**
 * The same logits from an exported ONNX classifier (`onnx/model.onnx` or `model_quantized.onnx`, opened with
 * `openOnnx`), batch by batch as `classifierLogits` does.
 */
export async function onnxClassifierLogits(session: OnnxRunner, examples: readonly EncodedExample[], padId: number, options: { batchSize?: number } = {}): Promise<number[][]> {
  const { batchSize = 64 } = options;
  const out = new Array<number[]>(examples.length);
  for (const indices of lengthSortedBatches(examples, batchSize)) {
    const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
    const seq = batch.inputIds[0]?.length ?? 0;
    const { data, dims } = await session.run({ batch: indices.length, seq, inputIds: batch.inputIds.flat(), attentionMask: batch.attentionMask.flat() });
    const c = dims[1] as number;
    indices.forEach((index, row) => (out[index] = Array.from(data.subarray(row * c, (row + 1) * c))));
  }
  return out;
}

/** Index of the largest logit per row (the first on ties). */
export function argmaxRows(rows: readonly (readonly number[])[]): number[] {
  return rows.map((row) => row.reduce((best, v, i) => (v > (row[best] as number) ? i : best), 0));
}

/** Share of `examples` whose class (`target`) is the row's largest logit. */
export function logitsAccuracy(logits: readonly (readonly number[])[], examples: readonly EncodedExample[]): number {
  if (logits.length !== examples.length) throw new Error(`logitsAccuracy: ${logits.length} rows for ${examples.length} examples`);
  if (examples.length === 0) throw new Error("logitsAccuracy: no examples");
  const predicted = argmaxRows(logits);
  let right = 0;
  examples.forEach((e, i) => {
    if (typeof e.target !== "number") throw new Error(`logitsAccuracy: example ${i} has per-token targets; this scores sequence classification`);
    if (predicted[i] === e.target) right++;
  });
  return right / examples.length;
}

/** Test accuracy of `model` on encoded `examples` (no dropout). */
export function classifierAccuracy(model: SequenceClassifier, examples: readonly EncodedExample[], padId: number): number {
  return logitsAccuracy(classifierLogits(model, examples, padId), examples);
}

/**
 * A tfjs `InferenceRunner` for any `SequenceClassifier` (what `tfjsRunner` is for a `TaskModel`): one forward
 * pass per call, logits copied back to JavaScript. Leaves no tensor behind.
 */
export function classifierRunner(model: SequenceClassifier, label: string): InferenceRunner {
  return {
    label,
    async forward(b): Promise<void> {
      const logits = tf.tidy(() =>
        model.logits({
          inputIds: tf.tensor2d(Int32Array.from(b.inputIds), [b.batch, b.seq], "int32"),
          attentionMask: tf.tensor2d(Int32Array.from(b.attentionMask), [b.batch, b.seq], "int32"),
        }),
      );
      await logits.data();
      logits.dispose();
    },
    async close(): Promise<void> {},
  };
}
