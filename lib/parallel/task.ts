/**
 * The contract between the data-parallel trainer and a model: a "task module", a TypeScript or JavaScript file
 * that each worker thread loads by absolute path. It exports three functions (and optionally `decay`), either as
 * named exports or as the fields of its default export:
 *
 *   createModel(config, rng) → Params                 every replica builds the same parameters from the same `rng`
 *   lossFn(params, batch, rng, config) → tf.Scalar    mean loss over the batch's `labelCount(batch)` units
 *   labelCount(batch) → number                        how many units (labelled positions, examples) it averages
 *
 * Because `lossFn` is a *mean* over `labelCount(batch)` units, the loss of a batch split into shards is
 * `L = Σᵢ nᵢ·Lᵢ / Σᵢ nᵢ`, hence its gradient is `∇L = Σᵢ (nᵢ/Σⱼnⱼ)·∇Lᵢ` (see `shardWeights`): N workers take
 * exactly the step one worker takes on the whole batch, up to float rounding.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { Params } from "../nn/params";

export interface ParallelTask<Config = unknown, Batch = unknown> {
  /** Creates the model's variables (caller disposes). Must be deterministic given `config` and `rng`. */
  createModel(config: Config, rng: Rng): Params;
  /**
   * The mean loss over the `labelCount(batch)` units of `batch`; runs inside `tf.variableGrads` (the trainer
   * disposes). `rng` drives dropout and any masking done here; it is this worker's stream for this step.
   */
  lossFn(params: Params, batch: Batch, rng: Rng, config: Config): tf.Scalar;
  /** The number of units `lossFn` averages over (labelled positions for MLM, examples for classification). */
  labelCount(batch: Batch): number;
  /** Which parameters get AdamW weight decay (default `decaysByDefault`: all but biases and LayerNorm). */
  decay?(name: string): boolean;
}

/** Reads the task from a loaded module: named exports, or the fields of `default`; throws naming what is missing. */
export function taskFromModule(mod: Record<string, unknown>, path: string): ParallelTask {
  const source = (typeof mod["createModel"] === "function" ? mod : (mod["default"] ?? {})) as Record<string, unknown>;
  const missing = ["createModel", "lossFn", "labelCount"].filter((name) => typeof source[name] !== "function");
  if (missing.length > 0) {
    throw new Error(`task module ${path} does not export ${missing.join(", ")} (export functions createModel(config, rng), lossFn(params, batch, rng, config), labelCount(batch))`);
  }
  return source as unknown as ParallelTask;
}

/**
 * The weight of each shard's gradient in the average: `nᵢ / Σⱼ nⱼ`, where `nᵢ` is the shard's label count.
 * With no labels anywhere every weight is 0 (the one-worker loss is then 0 and so is its gradient).
 */
export function shardWeights(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => (total > 0 ? n / total : 0));
}
