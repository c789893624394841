/**
 * Structured pruning: remove whole attention heads and FFN neurons, so the matrices shrink and a dense
 * runtime gets faster (unlike `pruneMagnitude`'s scattered zeros).
 * Importance (magnitude criteria, no data needed; Michel et al. 2019 use a gradient-based score instead):
 *   head h of a layer:   L1 norm of its `D` rows of the attention output projection `W_O` (`[N·D, H]` here) —
 *                        everything the head writes to the residual stream passes through those rows.
 *   FFN neuron j:        ‖W₁[:, j]‖₁ · ‖W₂[j, :]‖₁ (its input column times its output row).
 * The same number of heads and neurons is kept in every layer (uniform shapes; `CompactBertConfig` could hold
 * per-layer sizes, but uniform ones time and explain more simply). The kept units keep their original order.
 * Shape legend: `H` hidden, `N` heads, `D` head size, `I` intermediate.
 */
import * as tf from "@tensorflow/tfjs";
import type { TaskModel } from "../tasks/heads";
import { CompactBertClassifier, type CompactBertConfig } from "./compact-bert";

/** L1 norms of row blocks `[start, start+len)` of a row-major `[rows, cols]` matrix. */
function rowBlockL1(data: Float32Array, cols: number, start: number, len: number): number {
  let s = 0;
  for (let r = start; r < start + len; r++) for (let c = 0; c < cols; c++) s += Math.abs(data[r * cols + c] as number);
  return s;
}

/** Per layer, per head: the L1 norm of the head's rows of `attention.output.dense.weight`. Reads synchronously. */
export function headImportance(model: TaskModel): number[][] {
  const { numLayers, numHeads, hiddenSize: H } = model.bert.config;
  const D = H / numHeads;
  return Array.from({ length: numLayers }, (_, i) => {
    const wo = model.params.get(`bert.encoder.layer.${i}.attention.output.dense.weight`)?.dataSync() as Float32Array; // [N·D, H]
    return Array.from({ length: numHeads }, (_, h) => rowBlockL1(wo, H, h * D, D));
  });
}

/** Per layer, per FFN neuron `j`: `‖W₁[:, j]‖₁ · ‖W₂[j, :]‖₁`. Reads synchronously. */
export function neuronImportance(model: TaskModel): number[][] {
  const { numLayers, intermediateSize: I, hiddenSize: H } = model.bert.config;
  return Array.from({ length: numLayers }, (_, i) => {
    const w1 = model.params.get(`bert.encoder.layer.${i}.intermediate.dense.weight`)?.dataSync() as Float32Array; // [H, I]
    const w2 = model.params.get(`bert.encoder.layer.${i}.output.dense.weight`)?.dataSync() as Float32Array; // [I, H]
    const inL1 = new Float64Array(I);
    for (let r = 0; r < H; r++) for (let j = 0; j < I; j++) inL1[j] = (inL1[j] as number) + Math.abs(w1[r * I + j] as number);
    return Array.from({ length: I }, (_, j) => (inL1[j] as number) * rowBlockL1(w2, H, j, 1));
  });
}

/** Indices of the `k` largest scores, in ascending index order (ties: the lower index wins). */
export function topIndices(scores: readonly number[], k: number): number[] {
  return scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k)
    .map((x) => x.i)
    .sort((a, b) => a - b);
}

/** Options of `pruneStructured`: how many units every layer keeps. */
export interface StructuredPruneOptions {
  /** Heads kept per layer (default: all). */
  heads?: number;
  /** FFN neurons kept per layer (default: all). */
  intermediate?: number;
}

/** What `pruneStructured` returns. */
export interface StructuredPruneResult {
  /** The smaller model (caller disposes). */
  model: CompactBertClassifier;
  /** Per layer, the original indices of the heads and neurons kept. */
  keptHeads: number[][];
  keptNeurons: number[][];
  /** Scalar parameters before (the MLM head `cls.*` not counted) and after. */
  parametersBefore: number;
  parametersAfter: number;
}

/**
 * Keeps the `heads` most important heads and `intermediate` most important FFN neurons of every layer of a
 * sequence classifier, and copies them into a `CompactBertClassifier` whose matrices are that much smaller.
 * The MLM head (`cls.*`) is dropped: a classifier does not use it. The input model is untouched.
 * @returns the compact model (caller disposes) and what was kept
 * @throws for a token-classification model, or sizes outside `0…numHeads` / `1…intermediateSize`
 */
export function pruneStructured(model: TaskModel, options: StructuredPruneOptions = {}): StructuredPruneResult {
  const c = model.bert.config;
  const { heads = c.numHeads, intermediate = c.intermediateSize } = options;
  if (model.kind !== "sequence") throw new Error("pruneStructured: needs a sequence-classification model (CompactBertClassifier has the pooler + classifier head)");
  if (!(Number.isInteger(heads) && heads >= 0 && heads <= c.numHeads)) throw new Error(`pruneStructured: heads must be an integer in 0…${c.numHeads}, got ${heads}`);
  if (!(Number.isInteger(intermediate) && intermediate >= 1 && intermediate <= c.intermediateSize)) throw new Error(`pruneStructured: intermediate must be an integer in 1…${c.intermediateSize}, got ${intermediate}`);
  const D = c.hiddenSize / c.numHeads;
  const keptHeads = headImportance(model).map((scores) => topIndices(scores, heads));
  const keptNeurons = neuronImportance(model).map((scores) => topIndices(scores, intermediate));
  const params = new Map<string, tf.Variable>();
  const keep = (name: string, value: tf.Tensor) => params.set(name, tf.variable(value, true));
  try {
    tf.tidy(() => {
      for (const [name, variable] of model.params) {
        if (name.startsWith("cls.")) continue;
        const layer = /^bert\.encoder\.layer\.(\d+)\.(.*)$/.exec(name);
        if (layer === null) {
          keep(name, variable.clone());
          continue;
        }
        const i = Number(layer[1]);
        const part = layer[2] as string;
        const columns = (keptHeads[i] as number[]).flatMap((h) => Array.from({ length: D }, (_, d) => h * D + d));
        const neurons = keptNeurons[i] as number[];
        const pick = (indices: number[], axis: number) => (indices.length === 0 ? tf.zeros(variable.shape.map((s, a) => (a === axis ? 0 : s))) : tf.gather(variable, tf.tensor1d(indices, "int32"), axis));
        if (/^attention\.self\.(query|key|value)\.weight$/.test(part)) keep(name, pick(columns, 1)); // [H, n·D]
        else if (/^attention\.self\.(query|key|value)\.bias$/.test(part)) keep(name, pick(columns, 0)); // [n·D]
        else if (part === "attention.output.dense.weight") keep(name, pick(columns, 0)); // [n·D, H]
        else if (part === "intermediate.dense.weight") keep(name, pick(neurons, 1)); // [H, I']
        else if (part === "intermediate.dense.bias") keep(name, pick(neurons, 0)); // [I']
        else if (part === "output.dense.weight") keep(name, pick(neurons, 0)); // [I', H]
        else keep(name, variable.clone()); // LayerNorms, output biases
      }
    });
  } catch (error) {
    tf.dispose([...params.values()]);
    throw error;
  }
  const config: CompactBertConfig = { base: { ...c }, headSize: D, layers: keptHeads.map((h, i) => ({ numHeads: h.length, intermediateSize: (keptNeurons[i] as number[]).length })) };
  const compact = new CompactBertClassifier(config, params, model.numLabels);
  let before = 0;
  for (const [name, v] of model.params) if (!name.startsWith("cls.")) before += v.size; // a classifier's parameters
  return { model: compact, keptHeads, keptNeurons, parametersBefore: before, parametersAfter: compact.numParams() };
}
