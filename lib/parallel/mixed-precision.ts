/**
 * Mixed-precision training as on accelerators (Micikevicius et al. 2018; PyTorch's autocast + GradScaler),
 * emulated on tfjs's float32 CPU kernels:
 *   - master weights stay fp32 and AdamW updates them in fp32;
 *   - every Linear of the encoder runs on inputs and weights rounded to fp16/bf16 and its output is rounded too
 *     (autocast's matmul list), while embeddings' sums, LayerNorm, softmax and the loss stay fp32 (its fp32 list);
 *   - gradients flowing back through those roundings are rounded to the same format, which is where fp16 loses
 *     small gradients (below 2⁻²⁴ they become 0) unless the loss is scaled first (`DynamicLossScaler`).
 * Rounding is exact (`lib/parallel/precision`); the speed and memory savings of real fp16 are not emulated.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertModel } from "../model/bert";
import type { EncoderHooks } from "../nn/encoder-layer";
import { linear } from "../nn/layers";
import type { AdamW } from "../train/adamw";
import { valueAndGrads } from "../train/grads";
import { modelMlmLoss, type MlmRowsBatch } from "./bert-stages";
import { hasOverflow, type DynamicLossScaler } from "./loss-scaling";
import { castTo, type PrecisionFormat } from "./precision";
import { unaryOp } from "./unary-op";

/**
 * Hooks that run the encoder's Linears in `format`: `round(round(x)·round(W) + round(b))`, gradients rounded on
 * the way back. `probe`, when given, receives every activation gradient reaching a Linear's output (before
 * rounding): what a histogram of gradient magnitudes is made of.
 */
export function mixedPrecisionHooks(format: PrecisionFormat, probe?: (gradient: Float32Array) => void): EncoderHooks {
  const watch = probe ? unaryOp((x) => x.clone(), (dy) => (probe(dy.dataSync() as Float32Array), dy.clone())) : <T extends tf.Tensor>(x: T) => x;
  return {
    linear: (_name, x, weight, bias) => watch(castTo(linear(castTo(x, format), castTo(weight, format), castTo(bias, format)), format)),
    wordEmbeddings: (words) => castTo(words, format),
  };
}

/** A mixed-precision step's outcome. */
export interface MixedPrecisionStep {
  loss: number;
  /** The loss scale this step used (1 without scaling). */
  scale: number;
  /** Some gradient was ∞ or NaN after unscaling. */
  overflow: boolean;
  /** The optimiser applied the step (false: skipped on overflow). */
  applied: boolean;
  /** The unscaled fp32 gradients, as plain arrays by name (what the optimiser saw, or would have). */
  grads: Map<string, Float32Array>;
}

/**
 * The gradients of one mixed-precision step: loss × `scale` → backward through the rounded encoder → fp32
 * gradients ÷ `scale`. Leaves no tensor behind.
 */
export function mixedPrecisionGrads(model: BertModel, rows: MlmRowsBatch, format: PrecisionFormat, scale = 1, probe?: (gradient: Float32Array) => void): { loss: number; grads: Map<string, Float32Array> } {
  const hooks = mixedPrecisionHooks(format, probe);
  const { value, grads } = valueAndGrads(model.params, () => tf.mul(modelMlmLoss(model, rows, hooks), scale) as tf.Scalar);
  const loss = ((value.dataSync() as Float32Array)[0] as number) / scale;
  const out = new Map<string, Float32Array>();
  for (const [name, g] of Object.entries(grads)) {
    const values = new Float32Array(g.dataSync() as Float32Array);
    for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / scale; // unscale in fp32
    out.set(name, values);
  }
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grads: out };
}

/**
 * One mixed-precision training step on `model`'s fp32 master weights: scaled backward, overflow check, AdamW
 * (skipped on overflow), scale update. Without `scaler` the loss is not scaled (and nothing is skipped).
 */
export function mixedPrecisionStep(model: BertModel, optimizer: AdamW, rows: MlmRowsBatch, options: { format: PrecisionFormat; lr: number; scaler?: DynamicLossScaler }): MixedPrecisionStep {
  const { format, lr, scaler } = options;
  const scale = scaler?.scale ?? 1;
  const { loss, grads } = mixedPrecisionGrads(model, rows, format, scale);
  const overflow = hasOverflow(grads.values());
  const applied = scaler ? scaler.update(overflow) : true;
  if (applied) {
    const tensors = Object.fromEntries([...grads].map(([name, g]) => [name, tf.tensor(g, model.params.get(name)!.shape)]));
    optimizer.apply(model.params, tensors, lr);
    tf.dispose(Object.values(tensors));
  }
  return { loss, scale, overflow, applied, grads };
}

/** The share of gradient entries that are non-zero in `reference` (fp32) but exactly zero in `grads`: underflow. */
export function underflowFraction(reference: Map<string, Float32Array>, grads: Map<string, Float32Array>): number {
  let nonzero = 0, lost = 0;
  for (const [name, ref] of reference) {
    const g = grads.get(name);
    if (g === undefined) continue;
    for (let i = 0; i < ref.length; i++) {
      if (ref[i] !== 0) {
        nonzero++;
        if (g[i] === 0) lost++;
      }
    }
  }
  return nonzero > 0 ? lost / nonzero : 0;
}
