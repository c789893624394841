/**
 * Activation recomputation, a.k.a. gradient checkpointing (Chen et al. 2016; `torch.utils.checkpoint`): a
 * checkpointed block keeps only its input during the forward pass and frees its intermediate activations; the
 * backward pass runs the block's forward again to get them back. Memory for activations drops from every
 * intermediate of every layer to the layer boundaries plus one layer's intermediates; compute grows by about one
 * extra forward (≈ a third of a training step, since backward costs about two forwards).
 */
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "../model/config";
import { encoderLayer } from "../nn/encoder-layer";
import type { Params } from "../nn/params";
import { valueAndGrads } from "../train/grads";
import { embed, layerConfigOf, mlmHeadLoss, type MlmRowsBatch } from "./bert-stages";

/**
 * Runs `tf.grads` inside another gradient's backward pass. tfjs (4.22, `engine.gradients`) starts a fresh tape
 * for a gradient computed at depth 0 and drops it when done, which would lose the outer backward's tape; so the
 * outer tape is put back afterwards. (There is no public API for this; the equality test fails if it breaks.)
 */
function nestedGrads<T>(compute: () => T): T {
  // any: the engine's state is internal to tfjs-core; we touch only `activeTape`, and check that it exists.
  const state = (tf.engine() as unknown as { state: { activeTape?: unknown } }).state;
  if (!("activeTape" in state)) throw new Error("checkpointed: this tfjs version has no engine.state.activeTape (recomputation needs tfjs 4.x)");
  const outer = state.activeTape;
  try {
    return compute();
  } finally {
    state.activeTape = outer;
  }
}

/**
 * `block(x, weights, constants)` checkpointed: the forward keeps only the inputs, the backward recomputes the
 * block under `tf.grads` to get the gradients of `x` and of every weight (`constants`, e.g. an attention mask,
 * get none). `block` must be deterministic (no dropout draws).
 */
export function checkpointed(block: (x: tf.Tensor, weights: tf.Tensor[], constants: tf.Tensor[]) => tf.Tensor, constantCount = 0): (x: tf.Tensor, weights: tf.Tensor[], constants?: tf.Tensor[]) => tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc; // tfjs appends its `save` function
    const inputs = args.slice(0, -1) as tf.Tensor[];
    const split = (ts: tf.Tensor[]) => [ts[0]!, ts.slice(1, ts.length - constantCount), ts.slice(ts.length - constantCount)] as const;
    save(inputs); // only what `save` keeps outlives the forward pass
    return {
      value: tf.tidy(() => block(...split(inputs))), // the block's intermediates are freed here
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [x, weights, constants] = split(saved);
        const grads = nestedGrads(() => tf.grads((...ts: tf.Tensor[]) => block(ts[0]!, ts.slice(1), constants))([x, ...weights], dy as tf.Tensor));
        return [...grads, ...constants.map((c) => tf.zerosLike(c))];
      },
    };
  });
  return (x, weights, constants = []) => {
    if (constants.length !== constantCount) throw new Error(`checkpointed: expected ${constantCount} constant(s), got ${constants.length}`);
    return op(x, ...weights, ...constants);
  };
}

/** The MLM loss of `rows` on `params` (dropout off), each encoder layer checkpointed when `recompute`. */
export function recomputedMlmLoss(params: Params, rows: MlmRowsBatch, config: BertConfig, recompute: boolean): tf.Scalar {
  const mask = tf.tensor2d(rows.attentionMask, undefined, "float32");
  let hidden = embed(params, rows.inputIds, config);
  for (let l = 0; l < config.numLayers; l++) {
    const prefix = `bert.encoder.layer.${l}.`;
    const names = [...params.keys()].filter((n) => n.startsWith(prefix));
    const weights = names.map((n) => params.get(n)!);
    const layer = (x: tf.Tensor, ws: tf.Tensor[], [m]: tf.Tensor[]) => encoderLayer(x as tf.Tensor3D, new Map(names.map((n, i) => [n, ws[i] as tf.Variable])), prefix, layerConfigOf(config), { attentionMask: m as tf.Tensor2D }).hidden;
    hidden = (recompute ? checkpointed(layer, 1)(hidden, weights, [mask]) : layer(hidden, weights, [mask])) as tf.Tensor3D;
  }
  return mlmHeadLoss(params, hidden, rows, config);
}

/** Peak memory and time of one forward + backward, with and without recomputation. */
export interface RecomputeMeasurement {
  recompute: boolean;
  /** Peak of `tf.memory().numBytes` above the starting point during forward + backward (activations + gradients). */
  peakBytes: number;
  ms: number;
  loss: number;
  grads: Map<string, Float32Array>;
}

/**
 * The peak of `tf.memory().numBytes` after any kernel while `run` executes, as `tf.profile` records it
 * (`totalBytesSnapshot` per kernel), without awaiting every kernel's timer as `tf.profile` does (in a long-lived
 * notebook kernel one of those promises was seen never to settle). Uses tfjs 4's engine state; checked to exist.
 */
function peakBytesDuring(run: () => void): number {
  // any: the engine's profiling state is internal to tfjs-core; only `profiling` and `activeProfile.kernels` are touched.
  const state = (tf.engine() as unknown as { state: { profiling?: boolean; activeProfile?: { kernels: { totalBytesSnapshot: number }[] } } }).state;
  if (state.activeProfile === undefined || !("profiling" in state)) throw new Error("measureRecompute: this tfjs version has no engine profiling state (tfjs 4.x needed)");
  const start = tf.memory().numBytes;
  state.activeProfile.kernels = [];
  state.profiling = true;
  try {
    run();
  } finally {
    state.profiling = false;
  }
  const peak = state.activeProfile.kernels.reduce((max, k) => Math.max(max, k.totalBytesSnapshot), start);
  state.activeProfile.kernels = [];
  return peak - start;
}

/** Runs one forward + backward of `recomputedMlmLoss` and measures its memory peak and time. Leaves no tensor behind. */
export async function measureRecompute(params: Params, rows: MlmRowsBatch, config: BertConfig, recompute: boolean): Promise<RecomputeMeasurement> {
  let loss = 0;
  const grads = new Map<string, Float32Array>();
  const start = performance.now();
  const peakBytes = peakBytesDuring(() => {
    const out = valueAndGrads(params, () => recomputedMlmLoss(params, rows, config, recompute));
    loss = (out.value.dataSync() as Float32Array)[0] as number;
    for (const [name, g] of Object.entries(out.grads)) grads.set(name, new Float32Array(g.dataSync() as Float32Array));
    tf.dispose([out.value, ...Object.values(out.grads)]);
  });
  return { recompute, peakBytes, ms: performance.now() - start, loss, grads };
}
