/**
 * Autoregressive (causal) language modelling as a `TrainingTask`: a causal model reads `[CLS] w₁ … w_{T−1}`
 * and predicts, at every position, the next token; loss = mean cross-entropy over all positions (Radford et
 * al. 2018). Same windows as MLM, no masking; the LM head is the tied MLM head.
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `V` vocabulary.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertModel } from "../model/bert";
import { crossEntropy } from "../nn/loss";
import type { BertTokenizer } from "../text/tokenizer";
import type { TrainingTask } from "../train/trainer";
import { consecutiveWindows, randomWindows, requireId } from "./corpus";

/** Inputs and next-token labels of windows (the last position predicts the window's closing `[SEP]`). */
interface CausalBatch {
  inputIds: number[][];
  labels: number[][];
}

function shift(windows: number[][]): CausalBatch {
  return { inputIds: windows.map((w) => w.slice(0, -1)), labels: windows.map((w) => w.slice(1)) };
}

/** Mean next-token cross-entropy of a batch (inside the caller's tidy); `rng` turns dropout on. */
function causalLoss(model: BertModel, batch: CausalBatch, rng?: Rng): tf.Scalar {
  const b = batch.inputIds.length;
  const t = batch.inputIds[0]?.length ?? 0;
  const { hidden } = model.encode({ inputIds: tf.tensor2d(batch.inputIds.flat(), [b, t], "int32") }, { rng }); // [B, T, H]
  const logits = model.mlmLogits(hidden.reshape([b * t, model.config.hiddenSize])) as tf.Tensor2D; // [B·T, V]
  return crossEntropy(logits, tf.tensor1d(batch.labels.flat(), "int32"));
}

/** A causal-LM task over token streams; evaluation reports held-out loss and perplexity. */
export function clmTask(model: BertModel, tokenizer: BertTokenizer, streams: { train: Int32Array; heldOut: Int32Array }, options: { batchSize: number; seqLength: number; evalWindows?: number }): TrainingTask<CausalBatch> {
  const { batchSize, seqLength, evalWindows = 32 } = options;
  if (!model.config.causal) throw new Error("clmTask needs a causal model (bertConfig(..., { causal: true }))");
  const cls = requireId(tokenizer, tokenizer.clsToken);
  const sep = requireId(tokenizer, tokenizer.sepToken);
  // Windows one longer than the model's input, so inputs and shifted labels both have `seqLength` positions.
  const heldOut = consecutiveWindows(streams.heldOut, seqLength + 1, cls, sep, evalWindows);
  return {
    params: model.params,
    nextBatch: (rng) => shift(randomWindows(streams.train, batchSize, seqLength + 1, rng, cls, sep)),
    loss: (batch, rng) => causalLoss(model, batch, rng),
    batchSize: (batch) => batch.inputIds.length * seqLength,
    evaluate:
      heldOut.length === 0
        ? undefined
        : () => {
            let sum = 0;
            for (let i = 0; i < heldOut.length; i += batchSize) {
              const rows = heldOut.slice(i, i + batchSize);
              sum += tf.tidy(() => causalLoss(model, shift(rows)).dataSync()[0] as number) * rows.length;
            }
            const loss = sum / heldOut.length;
            return { loss, perplexity: Math.exp(loss) };
          },
  };
}
