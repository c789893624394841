/**
 * Post-training int8 weight quantisation, symmetric and per output channel (Jacob et al. 2018, §2; the scheme
 * onnxruntime's `quantize_dynamic(per_channel=True)` uses for weights):
 *   scale_c = max_i |W[i, c]| / 127,   q[i, c] = round(W[i, c] / scale_c) ∈ [−127, 127],   zero point 0
 * so `W ≈ q · scale` column by column. Embedding tables are quantised per row (a row is a token's vector).
 * `quantizeWeightsInt8` applies it to a tfjs BERT (weight-only: the model computes in float32 on the
 * dequantised weights, so it measures the accuracy cost, and `bytes` the size an int8 file would have).
 */
import * as tf from "@tensorflow/tfjs";
import { BertModel } from "../model/bert";

/** Int8 values and one float scale per channel. */
export interface Int8Tensor {
  q: Int8Array;
  scales: Float32Array;
}

/** Symmetric int8 of `data` `[rows, cols]` (row-major), one scale per column (`axis: 1`) or per row (`axis: 0`). */
export function quantizeInt8(data: Float32Array, rows: number, cols: number, axis: 0 | 1): Int8Tensor {
  if (data.length !== rows * cols) throw new Error(`quantizeInt8: ${data.length} values for [${rows}, ${cols}]`);
  const channels = axis === 1 ? cols : rows;
  const maxAbs = new Float32Array(channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = axis === 1 ? c : r;
      const v = Math.abs(data[r * cols + c] as number);
      if (v > (maxAbs[k] as number)) maxAbs[k] = v;
    }
  }
  // An all-zero channel keeps scale 1 (any scale reproduces zeros; 0 would divide by zero).
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const s = scales[axis === 1 ? c : r] as number;
      q[r * cols + c] = Math.max(-127, Math.min(127, Math.round((data[r * cols + c] as number) / s)));
    }
  }
  return { q, scales };
}

/** `q · scale` back to float32 (the inverse of `quantizeInt8` up to rounding, ≤ scale/2 per value). */
export function dequantizeInt8(t: Int8Tensor, rows: number, cols: number, axis: 0 | 1): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = (t.q[r * cols + c] as number) * (t.scales[axis === 1 ? c : r] as number);
  }
  return out;
}

/** True for a parameter quantised by the int8 schemes here: every rank-2 weight (Linear and embedding tables). */
export function isQuantizable(name: string, shape: readonly number[]): boolean {
  return shape.length === 2 && name.endsWith(".weight");
}

/** Channel axis of a rank-2 parameter: embedding tables per row (token), Linear `[in, out]` weights per column (output). */
export function channelAxis(name: string): 0 | 1 {
  return name.endsWith("_embeddings.weight") ? 0 : 1;
}

/** What `quantizeWeightsInt8` returns. */
export interface QuantizedBert {
  /** A float32 model on the dequantised weights (caller disposes). */
  model: BertModel;
  /** Bytes of the int8 form: int8 weights + float32 scales + float32 biases and LayerNorms. */
  bytes: number;
  /** Bytes of the float32 parameters (the same tensors). */
  fp32Bytes: number;
  /** Largest |W − dequantised W| over all weights. */
  maxWeightError: number;
}

/**
 * Weight-only int8 of a tfjs BERT: every rank-2 weight per output channel (embeddings per row), the rest
 * kept float32. Reads the variables synchronously; the input model is untouched.
 * @returns the dequantised model (caller disposes it) and the sizes
 */
export function quantizeWeightsInt8(model: BertModel): QuantizedBert {
  const tensors = new Map<string, tf.Tensor>();
  let bytes = 0;
  let fp32Bytes = 0;
  let maxWeightError = 0;
  try {
    for (const [name, variable] of model.params) {
      const data = variable.dataSync() as Float32Array;
      fp32Bytes += data.length * 4;
      if (!isQuantizable(name, variable.shape)) {
        bytes += data.length * 4;
        tensors.set(name, tf.tensor(data, variable.shape, "float32"));
        continue;
      }
      const [rows, cols] = variable.shape as [number, number];
      const axis = channelAxis(name);
      const quantized = quantizeInt8(data, rows, cols, axis);
      bytes += quantized.q.length + quantized.scales.length * 4;
      const restored = dequantizeInt8(quantized, rows, cols, axis);
      for (let i = 0; i < restored.length; i++) maxWeightError = Math.max(maxWeightError, Math.abs((restored[i] as number) - (data[i] as number)));
      tensors.set(name, tf.tensor(restored, variable.shape, "float32"));
    }
    return { model: BertModel.fromParams(model.config, tensors), bytes, fp32Bytes, maxWeightError };
  } finally {
    tf.dispose([...tensors.values()]);
  }
}
