/**
 * Exports a BERT (with or without a classification head) to a folder in the layout transformers.js reads
 * (`pipeline(task, "<folder name>")` with `env.localModelPath` = the parent):
 *
 *   config.json                  Hugging Face `BertConfig` (+ `id2label` / `label2id` for classification)
 *   tokenizer.json, vocab.txt, tokenizer_config.json, special_tokens_map.json
 *   onnx/model.onnx              float32 (`pipeline(..., { quantized: false })`)
 *   onnx/model_quantized.onnx    dynamic int8 (transformers.js' default), when `quantize: "int8"`
 *
 * The folder is assembled under a sibling temp name and renamed into place, so a crash never leaves half an
 * export; an existing folder is replaced as a whole.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TOKENIZER_FILES } from "../checkpoint/hf-bert";
import { BertModel } from "../model/bert";
import { configToHf } from "../model/config";
import type { TaskModel } from "../tasks/heads";
import { saveTokenizer } from "../text/hf-files";
import type { BertTokenizer } from "../text/tokenizer";
import { buildBertOnnx, type BertOnnxSource, type OnnxTask } from "./bert-onnx";

/** Options of `exportBertOnnx`. */
export interface ExportOnnxOptions {
  /** Default: `fill-mask` for a `BertModel`, `text-classification` / `token-classification` for a `TaskModel`. */
  task?: OnnxTask;
  /** Label names, index = class id (default `LABEL_0`, …); written as `id2label` / `label2id`. */
  labels?: readonly string[];
  /** ONNX opset, 13–18 (default 14: LayerNorm composed; ≥ 17 uses `LayerNormalization`). */
  opset?: number;
  /** Also write `onnx/model_quantized.onnx` (dynamic int8). */
  quantize?: "int8";
  /** The tokenizer to save beside the model (transformers.js pipelines need one) … */
  tokenizer?: BertTokenizer;
  /** … or a folder to copy the tokenizer files from. */
  tokenizerDir?: string;
}

/** What was written. */
export interface ExportReport {
  dir: string;
  task: OnnxTask;
  opset: number;
  /** Relative path → bytes on disk. */
  files: Record<string, number>;
  /** Node count per op type of the float32 graph. */
  ops: Record<string, number>;
}

/** A `BertModel` → fill-mask source; a `TaskModel` → its encoder and classifier. */
export function onnxSource(model: BertModel | TaskModel): { source: BertOnnxSource; kind: "mlm" | "sequence" | "token" } {
  if (model instanceof BertModel) return { source: { bert: model }, kind: "mlm" };
  const weight = model.head.get("classifier.weight");
  const bias = model.head.get("classifier.bias");
  if (weight === undefined || bias === undefined) throw new Error("TaskModel has no classifier.weight / classifier.bias in its head");
  return {
    source: { bert: model.bert, classifier: { weight: weight.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, numLabels: model.numLabels } },
    kind: model.kind,
  };
}

/** `architectures` entry of each task (what Hugging Face's `save_pretrained` writes). */
const ARCHITECTURE: Record<OnnxTask, string> = {
  "fill-mask": "BertForMaskedLM",
  "text-classification": "BertForSequenceClassification",
  "token-classification": "BertForTokenClassification",
};

/** The task an exported or checkpoint `config.json` describes (its `architectures`); fill-mask by default. */
export function taskFromConfig(json: Record<string, unknown>): OnnxTask {
  const arch = Array.isArray(json["architectures"]) ? String(json["architectures"][0]) : "";
  const found = (Object.entries(ARCHITECTURE) as [OnnxTask, string][]).find(([, name]) => name === arch);
  return found?.[0] ?? "fill-mask";
}

/**
 * Writes the transformers.js folder for `model` (see the file comment). Reads the variables synchronously;
 * disposes nothing of the caller's.
 * @returns the files written and their sizes
 * @throws when the task needs a head the model lacks, or `labels` disagrees with the head's size
 */
export function exportBertOnnx(model: BertModel | TaskModel, dir: string, options: ExportOnnxOptions = {}): ExportReport {
  const { opset = 14, quantize, tokenizer, tokenizerDir } = options;
  const { source, kind } = onnxSource(model);
  const task = options.task ?? (kind === "mlm" ? "fill-mask" : kind === "sequence" ? "text-classification" : "token-classification");
  if (task === "text-classification" && kind !== "sequence") throw new Error(`exportBertOnnx: text-classification needs a sequence-classification TaskModel, got ${kind === "mlm" ? "a bare BertModel" : "a token-classification head"}`);
  if (task === "token-classification" && kind !== "token") throw new Error(`exportBertOnnx: token-classification needs a token-classification TaskModel, got ${kind === "mlm" ? "a bare BertModel" : "a sequence-classification head"}`);
  const extra: Record<string, unknown> = { architectures: [ARCHITECTURE[task]] };
  if (source.classifier !== undefined) {
    const n = source.classifier.numLabels;
    const labels = options.labels ?? Array.from({ length: n }, (_, i) => `LABEL_${i}`);
    if (labels.length !== n) throw new Error(`exportBertOnnx: ${labels.length} labels given for a head with ${n} classes`);
    extra["id2label"] = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    extra["label2id"] = Object.fromEntries(labels.map((l, i) => [l, i]));
  }
  const fp32 = buildBertOnnx(source, { task, opset });
  const int8 = quantize === "int8" ? buildBertOnnx(source, { task, opset, quantize }) : undefined;

  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "onnx"), { recursive: true });
  try {
    writeFileSync(join(tmp, "config.json"), JSON.stringify(configToHf(source.bert.config, extra), null, 2) + "\n");
    if (tokenizer !== undefined) saveTokenizer(tokenizer, tmp, { modelMaxLength: source.bert.config.maxPositions });
    else if (tokenizerDir !== undefined) {
      const present = TOKENIZER_FILES.filter((f) => existsSync(join(tokenizerDir, f)));
      if (!present.includes("tokenizer.json") && !present.includes("vocab.txt")) throw new Error(`${tokenizerDir}: no tokenizer.json or vocab.txt to copy into the export`);
      for (const f of present) copyFileSync(join(tokenizerDir, f), join(tmp, f));
    }
    writeFileSync(join(tmp, "onnx", "model.onnx"), fp32.bytes);
    if (int8 !== undefined) writeFileSync(join(tmp, "onnx", "model_quantized.onnx"), int8.bytes);
    // Swap in: the old folder (if any) moves aside first, so `target` is always either old or new, whole.
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const files: Record<string, number> = {};
  for (const f of ["config.json", ...TOKENIZER_FILES, "onnx/model.onnx", "onnx/model_quantized.onnx"]) {
    const path = join(target, f);
    if (existsSync(path)) files[f] = statSync(path).size;
  }
  return { dir: target, task, opset, files, ops: fp32.ops };
}

/** The folder name and parent transformers.js needs (`pipeline(task, name)` with `env.localModelPath = parent`). */
export function transformersJsLocation(dir: string): { parent: string; name: string } {
  const full = resolve(dir);
  return { parent: `${dirname(full)}/`, name: basename(full) };
}
