/**
 * ELECTRA pretraining as a `TrainingTask` (the trainer MLM uses): random windows of the corpus stream, 15 %
 * of the tokens chosen anew each step (`maskBatch`'s choice, whole words optional), of which 85 % become
 * `[MASK]` and 15 % stay as they are (the reference's `pretrain_helpers.mask`: no random tokens — the generator
 * supplies those); one uniform per masked position for the generator's sample, drawn with the batch. Held-out
 * metrics on fixed windows, masks and draws: generator loss and accuracy, discriminator loss and accuracy.
 * Shape legend: `B` batch, `T` sequence, `M` masked positions.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import type { BertTokenizer } from "../text/tokenizer";
import type { TrainingTask } from "../train/trainer";
import { consecutiveWindows, randomWindows, requireId } from "./corpus";
import { electraForward, type ElectraBatchTensors, type ElectraModel } from "./electra";
import { maskBatch, type MaskingOptions } from "./masking";
import { maskingOptionsFor } from "./mlm-task";

/** One ELECTRA batch of plain arrays. */
export interface ElectraBatch {
  /** `[B][T]` the generator's input. */
  maskedIds: number[][];
  /** `[B][T]` the windows as they were. */
  originalIds: number[][];
  /** Flat indices `b·T + t` of the chosen positions, ascending within each row. */
  flatPositions: number[];
  /** The original ids at `flatPositions`. */
  maskedLabels: number[];
  /** One draw in [0, 1) per chosen position: the generator's sample there. */
  uniforms: number[];
}

/** Fraction of the chosen positions ELECTRA turns into `[MASK]` (the rest keep their token). */
export const ELECTRA_MASK_FRACTION = 0.85;

/** Masks windows by ELECTRA's rule and draws the sampling uniforms, all from `rng`. */
export function electraBatch(windows: readonly (readonly number[])[], rng: Rng, masking: MaskingOptions): ElectraBatch {
  const { flatPositions, maskedLabels } = maskBatch(windows, rng, masking); // which positions (its 80/10/10 input is not used)
  const t = windows[0]?.length ?? 0;
  const maskedIds = windows.map((row) => [...row]);
  for (const flat of flatPositions) {
    if (rng.uniform() < ELECTRA_MASK_FRACTION) (maskedIds[Math.floor(flat / t)] as number[])[flat % t] = masking.maskTokenId;
  }
  const uniforms = flatPositions.map(() => rng.uniform());
  return { maskedIds, originalIds: windows.map((row) => [...row]), flatPositions, maskedLabels, uniforms };
}

/** Tensors of a batch (caller disposes); every token is real (windows of the stream), so the mask is all ones. */
export function electraTensors(batch: ElectraBatch): ElectraBatchTensors {
  const b = batch.maskedIds.length;
  const t = batch.maskedIds[0]?.length ?? 0;
  return {
    maskedIds: tf.tensor2d(batch.maskedIds.flat(), [b, t], "int32"),
    attentionMask: tf.ones([b, t], "int32") as tf.Tensor2D,
    flatPositions: tf.tensor1d(batch.flatPositions, "int32"),
    maskedLabels: tf.tensor1d(batch.maskedLabels, "int32"),
  };
}

export interface ElectraTaskOptions {
  batchSize: number;
  seqLength: number;
  wholeWord?: boolean;
  /** Held-out windows evaluated (default 32). */
  evalWindows?: number;
  maskRate?: number;
  /** λ (default 50). */
  discWeight?: number;
}

export interface ElectraMetrics {
  /** L_MLM + λ·L_disc. */
  loss: number;
  /** The generator's masked-LM loss and perplexity, and how often its argmax is the original token. */
  mlmLoss: number;
  perplexity: number;
  mlmAccuracy: number;
  discLoss: number;
  /** Tokens the discriminator classifies right (threshold 0.5). */
  discAccuracy: number;
  /** Fraction of tokens the generator's samples actually replaced. */
  replaced: number;
}

/**
 * A task that trains `model` (generator + discriminator) on `streams.train` and evaluates on `heldOut`.
 * Call `dispose()` when done: it frees the evaluation tensors and the generator and heads (`model.dispose()`),
 * not the discriminator.
 */
export function electraTask(model: ElectraModel, tokenizer: BertTokenizer, streams: { train: Int32Array; heldOut: Int32Array }, options: ElectraTaskOptions): TrainingTask<ElectraBatch> & { dispose(): void } {
  const { batchSize, seqLength, wholeWord = false, evalWindows = 32, maskRate = 0.15, discWeight = 50 } = options;
  const masking = maskingOptionsFor(tokenizer, { wholeWord, rate: maskRate });
  const cls = requireId(tokenizer, tokenizer.clsToken);
  const sep = requireId(tokenizer, tokenizer.sepToken);

  const evalRng = new Rng(12345); // fixed masks and samples: held-out numbers are comparable across steps and runs
  const heldOut = consecutiveWindows(streams.heldOut, seqLength, cls, sep, evalWindows);
  const evalBatches: { batch: ElectraBatch; tensors: ElectraBatchTensors }[] = [];
  for (let i = 0; i < heldOut.length; i += batchSize) {
    const batch = electraBatch(heldOut.slice(i, i + batchSize), evalRng, masking);
    evalBatches.push({ batch, tensors: electraTensors(batch) });
  }

  const evaluate = (): ElectraMetrics => {
    const sums = { mlm: 0, mlmHits: 0, masked: 0, disc: 0, discHits: 0, tokens: 0, replaced: 0 };
    for (const { batch, tensors } of evalBatches) {
      tf.tidy(() => {
        const out = electraForward(model, tensors, batch.originalIds, batch.uniforms, { discWeight });
        const m = batch.flatPositions.length;
        const tokens = tensors.maskedIds.size;
        const labels = tf.tensor2d(out.replaced.labels.flat(), out.discLogits.shape, "int32");
        sums.mlm += (out.mlmLoss.dataSync()[0] as number) * m;
        sums.mlmHits += tf.sum(tf.equal(tf.argMax(out.generatorLogits, -1), tensors.maskedLabels).toInt()).dataSync()[0] as number;
        sums.disc += (out.discLoss.dataSync()[0] as number) * tokens;
        sums.discHits += tf.sum(tf.equal(tf.greater(out.discLogits, 0).toInt(), labels).toInt()).dataSync()[0] as number;
        sums.replaced += out.replaced.labels.flat().reduce((a, x) => a + x, 0);
        sums.masked += m;
        sums.tokens += tokens;
      });
    }
    const mlmLoss = sums.mlm / sums.masked;
    const discLoss = sums.disc / sums.tokens;
    return { loss: mlmLoss + discWeight * discLoss, mlmLoss, perplexity: Math.exp(mlmLoss), mlmAccuracy: sums.mlmHits / sums.masked, discLoss, discAccuracy: sums.discHits / sums.tokens, replaced: sums.replaced / sums.tokens };
  };

  return {
    params: model.params,
    nextBatch: (rng) => electraBatch(randomWindows(streams.train, batchSize, seqLength, rng, cls, sep), rng, masking),
    loss: (batch, rng) => electraForward(model, electraTensors(batch), batch.originalIds, batch.uniforms, { discWeight, rng }).loss,
    batchSize: (batch) => batch.maskedIds.length * seqLength,
    evaluate: evalBatches.length > 0 ? () => ({ ...evaluate() }) : undefined,
    dispose: () => {
      evalBatches.forEach((b) => tf.dispose(Object.values(b.tensors)));
      model.dispose();
    },
  };
}
