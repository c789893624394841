/**
 * BERT checkpoints in Hugging Face's layout, so a model trained here opens in `transformers` /
 * transformers.js and a Hugging Face BERT opens here:
 *
 *   config.json         `BertConfig` JSON (`configToHf`)
 *   model.safetensors   `BertForMaskedLM` state-dict names; Linear weights `[out, in]` as PyTorch stores them
 *   tokenizer.json, vocab.txt, tokenizer_config.json, special_tokens_map.json   (copied when given)
 *
 * Our parameters keep Linear weights `[in, out]` (x·W), so every rank-2 `*.weight` that is not an embedding
 * table is transposed on the way out and back in. The tied decoder (`cls.predictions.decoder.weight` = word
 * embeddings) is not written, as `save_pretrained` does not write tied tensors.
 */
import * as tf from "@tensorflow/tfjs";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Rng } from "../core/rng";
import { readVocabTxt } from "../text/hf-files";
import { BertModel, configFromHf, configToHf, parameterShapes, type BertConfig } from "../model";
import { readSafetensors, writeSafetensors, type SafetensorsInput, type SafetensorsTensor } from "./safetensors";

/** Tokenizer files copied beside the model when `tokenizerDir` is given (the first two: at least one). */
export const TOKENIZER_FILES = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"] as const;

/** True for parameters stored `[in, out]` here and `[out, in]` in PyTorch: rank-2 weights but embedding tables. */
export function isLinearWeight(name: string, rank: number): boolean {
  return rank === 2 && name.endsWith(".weight") && !name.endsWith("_embeddings.weight");
}

/** `[rows, cols]` row-major → `[cols, rows]` row-major. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[from + c] as number;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Saving

/** Options of `saveBertCheckpoint`. */
export interface SaveBertOptions {
  /** A folder holding `tokenizer.json` and/or `vocab.txt` (+ `tokenizer_config.json`, `special_tokens_map.json`). */
  tokenizerDir?: string;
  /** Extra `config.json` keys (e.g. `{ "course": { "step": 1000 } }`), merged over `configToHf`'s. */
  extraConfig?: Record<string, unknown>;
}

/**
 * The model's parameters as safetensors inputs under Hugging Face names and layouts (Linear weights transposed
 * to `[out, in]`); reads the variables synchronously, returns plain arrays (no tensors to dispose).
 */
export function bertStateDict(model: BertModel): Map<string, SafetensorsInput> {
  const out = new Map<string, SafetensorsInput>();
  for (const [name, variable] of model.params) {
    const data = variable.dataSync() as Float32Array;
    const shape = variable.shape;
    if (isLinearWeight(name, shape.length)) {
      const [inSize, outSize] = shape as [number, number];
      out.set(name, { dtype: "F32", shape: [outSize, inSize], data: transpose2d(data, inSize, outSize) });
    } else {
      out.set(name, { dtype: "F32", shape: [...shape], data: Float32Array.from(data) });
    }
  }
  return out;
}

/**
 * Saves `model` as a Hugging Face BERT checkpoint in `dir` (see the file comment for the layout). Never leaves
 * a half-written checkpoint: a new `dir` is assembled in a sibling temp folder and renamed into place; an
 * existing `dir` gets every file written to a temp name first, then renamed (other files in it are kept).
 * Reads the variables synchronously; disposes nothing of the caller's.
 * @throws when `tokenizerDir` holds neither `tokenizer.json` nor `vocab.txt`, or its vocabulary is larger
 *   than the model's `vocabSize`
 */
export function saveBertCheckpoint(dir: string, model: BertModel, options: SaveBertOptions = {}): void {
  const { tokenizerDir, extraConfig = {} } = options;
  const copies = tokenizerDir === undefined ? [] : tokenizerFiles(tokenizerDir, model.config);
  const config = JSON.stringify(configToHf(model.config, extraConfig), null, 2) + "\n";
  const weights = bertStateDict(model);
  const write = (target: string) => {
    writeFileSync(join(target, "config.json"), config);
    // `format: pt` is what `transformers` checks before it loads a safetensors file.
    writeSafetensors(join(target, "model.safetensors"), weights, { metadata: { format: "pt" } });
    for (const file of copies) copyFileSync(file, join(target, basename(file)));
  };

  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) {
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    try {
      write(tmp);
      renameSync(tmp, target);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return;
  }
  // Existing folder: stage every file under a temp name, then rename them all (weights last).
  const stage = join(target, `.tmp-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage);
  try {
    write(stage);
    const names = ["config.json", ...copies.map((f) => basename(f)), "model.safetensors"];
    for (const name of names) renameSync(join(stage, name), join(target, name));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function tokenizerFiles(tokenizerDir: string, config: BertConfig): string[] {
  const present = TOKENIZER_FILES.map((name) => join(tokenizerDir, name)).filter((path) => existsSync(path));
  if (!present.some((path) => /(tokenizer\.json|vocab\.txt)$/.test(path))) {
    throw new Error(`${tokenizerDir}: no tokenizer.json or vocab.txt to copy into the checkpoint (save the tokenizer there first, or omit tokenizerDir)`);
  }
  const vocabTxt = join(tokenizerDir, "vocab.txt");
  if (existsSync(vocabTxt)) {
    const count = readVocabTxt(readFileSync(vocabTxt, "utf8"), vocabTxt).length; // the reader loadTokenizer uses
    if (count > config.vocabSize) throw new Error(`${vocabTxt}: ${count} tokens but the model's vocabSize is ${config.vocabSize}; they must agree (build the model with vocabSize: ${count})`);
  }
  return present;
}

// ---------------------------------------------------------------------------------------------------------
// Loading

/** What loading found beyond the parameters it used. */
export interface CheckpointReport {
  /** The checkpoint folder. */
  dir: string;
  /** Head parameters the file lacks, initialised fresh (Hugging Face's "newly initialized" warning). */
  initialized: string[];
  /** Tensors in the file that the model does not use (buffers, the tied decoder, the NSP head, ...). */
  unused: string[];
}

/** Options of `loadBertCheckpoint`. */
export interface LoadBertOptions {
  /** Draws the head parameters the file lacks (pooler, MLM transform); default `new Rng(0)`. */
  rng?: Rng;
  /** Missing pooler / MLM-head parameters: `"init"` them (default, as Hugging Face does) or raise an `"error"`. */
  missingHeads?: "init" | "error";
  /** Receives the report; by default a one-line warning is printed when parameters were initialised. */
  onReport?: (report: CheckpointReport) => void;
}

/** Parameters a bare-encoder or `BertForMaskedLM` file may lack: we initialise them instead of failing. */
function isHeadParameter(name: string): boolean {
  return name.startsWith("bert.pooler.") || name.startsWith("cls.predictions.");
}

/**
 * Maps a checkpoint's tensor names onto ours: `LayerNorm.gamma/beta` (checkpoints converted from TensorFlow)
 * → `weight/bias`, a bare `BertModel` (no `bert.` prefix) → prefixed, and the decoder's bias when
 * `cls.predictions.bias` is absent.
 */
function canonicalNames(tensors: Map<string, SafetensorsTensor>): Map<string, { source: string; tensor: SafetensorsTensor }> {
  const bare = ![...tensors.keys()].some((name) => name.startsWith("bert."));
  const out = new Map<string, { source: string; tensor: SafetensorsTensor }>();
  for (const [source, tensor] of tensors) {
    let name = source.replace(/\.gamma$/, ".weight").replace(/\.beta$/, ".bias");
    if (bare && !name.startsWith("cls.")) name = `bert.${name}`;
    out.set(name, { source, tensor });
  }
  const decoderBias = out.get("cls.predictions.decoder.bias");
  if (!out.has("cls.predictions.bias") && decoderBias !== undefined) out.set("cls.predictions.bias", decoderBias);
  return out;
}

/** The tensors of `model.safetensors`, or of every shard listed in `model.safetensors.index.json`. */
function readWeights(dir: string): { tensors: Map<string, SafetensorsTensor>; file: string } {
  const single = join(dir, "model.safetensors");
  if (existsSync(single)) return { tensors: readSafetensors(single).tensors, file: single };
  const index = join(dir, "model.safetensors.index.json");
  if (existsSync(index)) {
    const weightMap = (JSON.parse(readFileSync(index, "utf8")) as { weight_map?: Record<string, string> }).weight_map;
    if (weightMap === undefined) throw new Error(`${index}: no "weight_map" (expected Hugging Face's sharded-checkpoint index)`);
    const tensors = new Map<string, SafetensorsTensor>();
    for (const shard of new Set(Object.values(weightMap))) for (const [name, t] of readSafetensors(join(dir, shard)).tensors) tensors.set(name, t);
    return { tensors, file: index };
  }
  const bin = existsSync(join(dir, "pytorch_model.bin")) ? " (it has pytorch_model.bin: convert it with safetensors' `convert.py`, or save_pretrained(..., safe_serialization=True))" : "";
  throw new Error(`${dir}: no model.safetensors${bin}`);
}

/**
 * Loads a BERT checkpoint — ours, or a Hugging Face `BertForMaskedLM` / `BertForPreTraining` / `BertModel`
 * folder with `config.json` and `model.safetensors` — into a `BertModel` (caller disposes it).
 * Unused tensors (`bert.embeddings.position_ids`, `cls.predictions.decoder.*`, `cls.seq_relationship.*`) are
 * skipped and reported; missing encoder parameters are an error naming each one.
 * @throws on a missing file, a missing encoder parameter, a shape that disagrees with `config.json`, or a
 *   `config.json` key whose value changes the computation and is not implemented (`configFromHf`: an untied
 *   decoder, relative position embeddings, another activation, ...), each naming the file and the tensor or key
 */
export function loadBertCheckpoint(dir: string, options: LoadBertOptions = {}): BertModel {
  const { rng = new Rng(0), missingHeads = "init", onReport = warnIfInitialized } = options;
  const configPath = join(dir, "config.json");
  if (!existsSync(configPath)) throw new Error(`${dir}: no config.json (is this a checkpoint folder? saveBertCheckpoint writes one)`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${configPath}: not valid JSON (${(error as Error).message})`);
  }
  const config = configFromHf(json, configPath);
  const { tensors: raw, file } = readWeights(dir);
  const named = canonicalNames(raw);

  const expected = parameterShapes(config);
  const missing = [...expected.keys()].filter((name) => !named.has(name));
  const missingEncoder = missing.filter((name) => !isHeadParameter(name));
  if (missingEncoder.length > 0 || (missingHeads === "error" && missing.length > 0)) {
    const list = missingEncoder.length > 0 ? missingEncoder : missing;
    throw new Error(`${file}: missing ${list.length} parameter(s) the config needs: ${list.join(", ")}`);
  }

  const used = new Set<string>();
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const [name, shape] of expected) {
      const found = named.get(name);
      if (found === undefined) {
        tensors.set(name, freshHead(name, shape, config, rng));
        continue;
      }
      const { source, tensor } = found;
      used.add(source);
      if (!(tensor.data instanceof Float32Array)) throw new Error(`${file}: tensor "${source}" is ${tensor.dtype}; parameters must be a float dtype (F32, F16, BF16, F64)`);
      // Stored shape: PyTorch's `[out, in]` for Linear weights.
      const stored = isLinearWeight(name, shape.length) ? [shape[1] as number, shape[0] as number] : shape;
      if (tensor.shape.join() !== stored.join()) {
        throw new Error(`${file}: tensor "${source}" has shape [${tensor.shape.join(", ")}] but config.json needs [${stored.join(", ")}]`);
      }
      const data = isLinearWeight(name, shape.length) ? transpose2d(tensor.data, stored[0] as number, stored[1] as number) : tensor.data;
      tensors.set(name, tf.tensor(data, shape, "float32"));
    }
    const model = BertModel.fromParams(config, tensors);
    onReport({ dir, initialized: missing, unused: [...raw.keys()].filter((name) => !used.has(name)) });
    return model;
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** A head parameter the file lacks, initialised as `BertModel.init` would (biases 0, LayerNorm 1, else normal). */
function freshHead(name: string, shape: number[], config: BertConfig, rng: Rng): tf.Tensor {
  if (name.endsWith(".bias")) return tf.zeros(shape);
  if (name.includes("LayerNorm")) return tf.ones(shape);
  return tf.tensor(rng.truncatedNormal(shape.reduce((a, b) => a * b, 1), config.initializerRange), shape);
}

function warnIfInitialized(report: CheckpointReport): void {
  if (report.initialized.length === 0) return;
  console.warn(`${report.dir}: ${report.initialized.length} parameter(s) not in the checkpoint were newly initialised (train before use): ${report.initialized.join(", ")}`);
}
