/**
 * A resumable training checkpoint: parameters, AdamW's moments and step, the RNG state and the loss history,
 * in one folder (`params.safetensors`, `optimizer.safetensors`, `state.json`). The folder is assembled under a
 * temporary name and swapped in by rename, so a run killed at any moment leaves the previous checkpoint whole.
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RngState } from "../core/rng";
import type { Params } from "../nn/params";
import { readSafetensors, writeSafetensors, type SafetensorsInput } from "../checkpoint/safetensors";
import type { AdamW } from "./adamw";

export interface TrainState {
  /** Updates done. */
  step: number;
  rng: RngState;
  /** Per-step records so far (the run's JSONL metrics, kept so a resumed run can redraw its curves). */
  history: Record<string, number>[];
  /** Free-form facts about the run (config, seed), checked on resume. */
  run: Record<string, unknown>;
  /** Seconds the training loop has run so far (a time-budgeted run resumes its schedule from here). */
  elapsedSeconds?: number;
}

function tensorsOf(variables: Iterable<[string, tf.Variable]>): Map<string, SafetensorsInput> {
  const out = new Map<string, SafetensorsInput>();
  for (const [name, variable] of variables) out.set(name, { dtype: "F32", shape: variable.shape, data: variable.dataSync() as Float32Array });
  return out;
}

/** Writes the checkpoint folder `dir` atomically (see file comment). */
export function saveTrainState(dir: string, params: Params, optimizer: AdamW, state: TrainState): void {
  const temp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  writeSafetensors(join(temp, "params.safetensors"), tensorsOf(params));
  const { m, v, step } = optimizer.state();
  writeSafetensors(join(temp, "optimizer.safetensors"), tensorsOf([...[...m].map(([k, t]) => [`m.${k}`, t] as [string, tf.Variable]), ...[...v].map(([k, t]) => [`v.${k}`, t] as [string, tf.Variable])]));
  writeFileSync(join(temp, "state.json"), JSON.stringify({ ...state, optimizerStep: step }) + "\n");
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(temp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** The checkpoint folder to resume from: `dir`, or `dir.old` if a crash hit between the two renames. */
export function findTrainState(dir: string): string | undefined {
  if (existsSync(join(dir, "state.json"))) return dir;
  if (existsSync(join(`${dir}.old`, "state.json"))) return `${dir}.old`;
  return undefined;
}

/**
 * Loads a checkpoint into existing `params` and `optimizer` (names and shapes must match).
 * @returns the saved state.
 */
export function loadTrainState(dir: string, params: Params, optimizer: AdamW): TrainState {
  const found = findTrainState(dir);
  if (found === undefined) throw new Error(`${dir}: no training checkpoint (state.json) to resume from; start without --resume`);
  const state = JSON.parse(readFileSync(join(found, "state.json"), "utf8")) as TrainState & { optimizerStep: number };
  const saved = readSafetensors(join(found, "params.safetensors")).tensors;
  for (const [name, variable] of params) {
    const tensor = saved.get(name);
    if (tensor === undefined) throw new Error(`${found}/params.safetensors lacks parameter ${name}: the checkpoint belongs to another model`);
    if (tensor.shape.join() !== variable.shape.join()) throw new Error(`${found}/params.safetensors: ${name} is [${tensor.shape}], the model has [${variable.shape}]`);
    tf.tidy(() => variable.assign(tf.tensor(tensor.data, tensor.shape, "float32")));
  }
  const moments = readSafetensors(join(found, "optimizer.safetensors")).tensors;
  optimizer.restore(state.optimizerStep, (kind, name) => {
    const tensor = moments.get(`${kind}.${name}`);
    return tensor === undefined ? undefined : tf.tensor(tensor.data, tensor.shape, "float32");
  }, [...params.keys()]);
  return { step: state.step, rng: state.rng, history: state.history, run: state.run, ...(state.elapsedSeconds === undefined ? {} : { elapsedSeconds: state.elapsedSeconds }) };
}
