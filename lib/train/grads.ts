/**
 * Loss and gradients keyed by *our* parameter names. (tfjs keys `variableGrads` by its own global variable
 * names, which must be unique per process, so two models could not share Hugging Face's names there.)
 */
import * as tf from "@tensorflow/tfjs";
import type { Params } from "../nn/params";

/**
 * Runs `loss` and differentiates it with respect to every parameter that influences it.
 * @returns the loss and gradients by parameter name (caller disposes both); parameters the loss does not
 * touch (e.g. the pooler under MLM) get no entry.
 */
export function valueAndGrads(params: Params, loss: () => tf.Scalar): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const { value, grads } = tf.variableGrads(loss, [...params.values()]);
  const named: Record<string, tf.Tensor> = {};
  for (const [name, variable] of params) {
    const grad = grads[variable.name];
    if (grad !== undefined) named[name] = grad;
  }
  return { value, grads: named };
}
