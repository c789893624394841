/**
 * The building blocks of a transformer, as plain functions of tensors (call them inside `tf.tidy`).
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `I` intermediate, `V` vocabulary.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import { DROPOUT_MASK, fusedKernel, GELU, LAYER_NORM } from "../core/native-fused";

/** `x·W + b`: x `[..., in]`, weight `[in, out]` (PyTorch stores `[out, in]`; checkpoints transpose), bias `[out]`. */
export function linear(x: tf.Tensor, weight: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const [inSize, outSize] = weight.shape;
  const flat = x.reshape([-1, inSize]); // [N, in]
  const y = bias ? tf.add(tf.matMul(flat, weight), bias) : tf.matMul(flat, weight); // [N, out]
  return y.reshape([...x.shape.slice(0, -1), outSize]); // [..., out]
}

/**
 * LayerNorm over the last axis: `(x − mean) / sqrt(var + eps) · gamma + beta` (BERT: eps 1e-12). On wasm with
 * the native engine one fused kernel each way (`CourseLayerNorm`, its gradient keeping only the row mean and
 * 1/σ); elsewhere tfjs's ops.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-12): tf.Tensor {
  if (x.dtype === "float32" && gamma.dtype === "float32" && beta.dtype === "float32" && x.rank >= 1 && fusedKernel(LAYER_NORM)) {
    const [out] = tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon: eps }) as tf.Tensor[]; // [..., H], mean and rstd [rows]
    return out as tf.Tensor;
  }
  const { mean, variance } = tf.moments(x, -1, true); // [..., 1]
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/**
 * Exact GELU, `x · Φ(x) = 0.5·x·(1 + erf(x/√2))` (BERT's, not the tanh approximation). On wasm with the
 * native engine one kernel each way (`CourseGelu`); elsewhere tfjs's ops.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (x.dtype === "float32" && fusedKernel(GELU)) return tf.engine().runKernel(GELU, { x }) as tf.Tensor;
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/**
 * Inverted dropout with a mask drawn from `rng` (so runs replay exactly): kept units are scaled by
 * `1/(1 − rate)`. Identity when `rate` is 0 or no `rng` is given (evaluation).
 */
export function dropout(x: tf.Tensor, rate: number, rng?: Rng): tf.Tensor {
  if (rate <= 0 || rng === undefined) return x;
  if (rate >= 1) throw new Error(`dropout rate must be < 1, got ${rate}`);
  if (fusedKernel(DROPOUT_MASK)) {
    // The same draws in C (sfc32 as Rng.uniform), straight into the heap: no JS loop, no upload.
    const state = Uint32Array.from(rng.state());
    const mask = tf.engine().runKernel(DROPOUT_MASK, {}, { shape: x.shape, rate, state: state as unknown as number[] }) as tf.Tensor;
    rng.setState([...state] as [number, number, number, number]);
    return tf.mul(x, mask);
  }
  const scale = 1 / (1 - rate);
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < rate ? 0 : scale;
  return tf.mul(x, tf.tensor(mask, x.shape));
}
