/**
 * Parameters as a flat, named map of variables (`"layer.0.attention.query.weight"` → `tf.Variable`), so that
 * optimizers, checkpoints and data-parallel workers all address the same names.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";

export type Params = Map<string, tf.Variable>;

/**
 * A variable of `shape` from BERT's initializer: truncated normal, std 0.02 by default (caller disposes).
 * `name` is for messages only: tfjs's global variable names must be unique, and two models share ours.
 */
export function normalVariable(name: string, shape: number[], rng: Rng, std = 0.02): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.variable(tf.tensor(rng.truncatedNormal(size, std), shape), true));
}

/** A variable filled with `value` (zeros for biases, ones for LayerNorm gains) (caller disposes). */
export function constantVariable(name: string, shape: number[], value: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true));
}

/** The variable called `name`; throws naming the missing parameter and what exists. */
export function param(params: Params, name: string): tf.Variable {
  const value = params.get(name);
  if (value === undefined) {
    const known = [...params.keys()].slice(0, 8).join(", ");
    throw new Error(`parameter "${name}" is missing (have: ${known}${params.size > 8 ? ", …" : ""})`);
  }
  return value;
}

/** Disposes every variable of `params`. */
export function disposeParams(params: Params): void {
  for (const variable of params.values()) variable.dispose();
  params.clear();
}

/** Total number of scalars in `params`. */
export function countParams(params: Params): number {
  let total = 0;
  for (const variable of params.values()) total += variable.size;
  return total;
}
