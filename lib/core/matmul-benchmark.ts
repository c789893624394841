/**
 * How fast the active backend multiplies matrices: the number that bounds training speed.
 * An `n×n` by `n×n` product costs `2n³` floating-point operations.
 */
import * as tf from "@tensorflow/tfjs";

export interface MatmulMeasurement {
  n: number;
  /** Best time of one product, milliseconds. */
  ms: number;
  gflops: number;
}

/**
 * Times `n×n` float32 products on the active backend (best of `repeats` after one warm-up, results read back
 * so asynchronous backends finish). Leaves no tensor behind.
 */
export async function measureMatmul(n: number, options: { repeats?: number } = {}): Promise<MatmulMeasurement> {
  const { repeats = 5 } = options;
  const a = tf.randomUniform([n, n], -1, 1, "float32", 1);
  const b = tf.randomUniform([n, n], -1, 1, "float32", 2);
  let best = Infinity;
  for (let r = 0; r <= repeats; r++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    const ms = performance.now() - start;
    c.dispose();
    if (r > 0) best = Math.min(best, ms); // r = 0 warms up (kernel setup, memory growth)
  }
  tf.dispose([a, b]);
  return { n, ms: best, gflops: (2 * n ** 3) / (best * 1e6) };
}
