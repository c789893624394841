/**
 * Reading a tensor's values out of a `tf.tidy` scope. Returning the values *from* the tidy callback
 * (`tf.tidy(() => t.dataSync())`) is a trap: tidy walks whatever the callback returns, element by element,
 * looking for tensors to keep — about 1 µs per element, so a 1 M-float result costs a second (measured: a
 * 2048×128·128×512 product took 13 ms, and 900 ms when its `dataSync()` was returned from tidy).
 */
import * as tf from "@tensorflow/tfjs";

/** Runs `f` in a tidy scope, reads the tensor it returns, disposes it, and returns the values. */
export function tidyData(f: () => tf.Tensor): Float32Array | Int32Array | Uint8Array {
  const tensor = tf.tidy(f);
  try {
    return tensor.dataSync();
  } finally {
    tensor.dispose();
  }
}

/** Like `tidyData` for a scalar result: the number. */
export function tidyScalar(f: () => tf.Tensor): number {
  return tidyData(f)[0] as number;
}
