/**
 * An element-wise operation with a hand-written backward pass (`tf.customGrad` for one input), the building
 * block of Megatron's `f`/`g` operators and of precision emulation (round forward, round the gradient backward).
 */
import * as tf from "@tensorflow/tfjs";

/**
 * `y = forward(x)` whose gradient is `backward(dy)` instead of autodiff's. Both run synchronously (they may read
 * tensor values or communicate); `forward` must return a new tensor.
 */
export function unaryOp(forward: (x: tf.Tensor) => tf.Tensor, backward: (dy: tf.Tensor) => tf.Tensor): <T extends tf.Tensor>(x: T) => T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: forward(args[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => backward(dy as tf.Tensor),
  }));
  return <T extends tf.Tensor>(x: T) => op(x) as T;
}
