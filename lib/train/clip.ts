/**
 * Global-norm gradient clipping (Pascanu et al. 2013): if ‖g‖₂ over all parameters exceeds `maxNorm`, every
 * gradient is scaled by `maxNorm / ‖g‖₂`, so the update keeps its direction.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * @returns the clipped gradients (new tensors; the caller disposes them and the inputs) and the norm before
 * clipping.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  const norm = tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return squares.length ? Math.sqrt(tf.addN(squares).dataSync()[0] as number) : 0;
  });
  const scale = Number.isFinite(norm) && norm > maxNorm ? maxNorm / norm : 1;
  const clipped: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(grads)) clipped[name] = scale === 1 ? g.clone() : tf.tidy(() => tf.mul(g, scale));
  return { grads: clipped, norm };
}
