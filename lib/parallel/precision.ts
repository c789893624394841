/**
 * Floating-point formats of mixed-precision training, emulated: tfjs computes in float32 on the CPU, so a
 * value "in fp16" here is a float32 rounded to the nearest fp16 number (round to nearest, ties to even; overflow
 * to ±∞, gradual underflow through the subnormals to 0), exactly the set of values an fp16 tensor can hold.
 * What the emulation does not show: speed (rounding costs time here, reduced precision saves it on an accelerator)
 * and the rounding inside a matmul's accumulation (tensor cores accumulate fp16 products in fp32, as we do).
 *
 *   format  bits (sign/exponent/mantissa)  largest    smallest normal  smallest subnormal  ε (2^−mantissa)
 *   fp32    1/8/23                         3.4e38     1.2e−38          1.4e−45             1.2e−7
 *   fp16    1/5/10                         65504      6.1e−5           6.0e−8              9.8e−4
 *   bf16    1/8/7                          3.4e38     1.2e−38          (flushed here)      7.8e−3
 *
 * bf16 keeps fp32's exponent, so it underflows and overflows where fp32 does; fp16 trades range for precision.
 */
import * as tf from "@tensorflow/tfjs";
import { unaryOp } from "./unary-op";

export type PrecisionFormat = "fp32" | "fp16" | "bf16";

/** The limits in the table above. */
export const FORMAT_LIMITS: Readonly<Record<PrecisionFormat, { max: number; minNormal: number; minSubnormal: number; epsilon: number }>> = Object.freeze({
  fp32: { max: 3.4028234663852886e38, minNormal: 2 ** -126, minSubnormal: 2 ** -149, epsilon: 2 ** -23 },
  fp16: { max: 65504, minNormal: 2 ** -14, minSubnormal: 2 ** -24, epsilon: 2 ** -10 },
  bf16: { max: 3.3895313892515355e38, minNormal: 2 ** -126, minSubnormal: 2 ** -126, epsilon: 2 ** -7 },
});

const scratch = new Float32Array(1);
const bits = new Uint32Array(scratch.buffer);

/** Rounds half to even. */
function roundHalfEven(y: number): number {
  const f = Math.floor(y);
  const d = y - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

/** The fp16 value nearest to `v` (IEEE 754 binary16, ties to even), as a number. */
export function fp16Round(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  scratch[0] = v;
  const a = Math.abs(scratch[0] as number);
  if (a >= 65520) return Math.sign(v) * Infinity; // 65520 is halfway to the next (absent) step: rounds up to ∞
  const exponent = Math.max((((bits[0] as number) >>> 23) & 0xff) - 127, -14); // below 2⁻¹⁴ the step stays 2⁻²⁴ (subnormals)
  const quantum = 2 ** (exponent - 10);
  return Math.sign(v) * roundHalfEven(a / quantum) * quantum;
}

/** The bf16 value nearest to `v` (the top 16 bits of its float32, ties to even). */
export function bf16Round(v: number): number {
  scratch[0] = v;
  const b = bits[0] as number;
  if ((b & 0x7f800000) === 0x7f800000) return scratch[0] as number; // ∞ and NaN pass through
  bits[0] = ((b + 0x7fff + ((b >>> 16) & 1)) & 0xffff0000) >>> 0;
  return scratch[0] as number;
}

/** `values` rounded to `format` (a new array). */
export function roundArray(values: Float32Array, format: PrecisionFormat): Float32Array {
  if (format === "fp32") return values.slice();
  const round = format === "fp16" ? fp16Round : bf16Round;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = round(values[i] as number);
  return out;
}

/** A tensor's values rounded to `format` (a new tensor; no gradient). */
export function roundTensor(x: tf.Tensor, format: PrecisionFormat): tf.Tensor {
  if (format === "fp32") return x.clone();
  return tf.tensor(roundArray(x.dataSync() as Float32Array, format), x.shape);
}

/**
 * Casts to `format` as mixed-precision training stores a tensor: the forward value is rounded, and so is the
 * gradient flowing back through it (activation gradients live in the same format). This is where fp16 gradients
 * underflow to zero, and where loss scaling rescues them.
 */
export function castTo<T extends tf.Tensor>(x: T, format: PrecisionFormat): T {
  if (format === "fp32") return x;
  return unaryOp((input) => roundTensor(input, format), (dy) => roundTensor(dy, format))(x);
}
