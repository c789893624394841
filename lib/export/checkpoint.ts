/**
 * Opens a checkpoint folder for export: a `BertForMaskedLM` (ours from `course pretrain`, or Hugging Face's)
 * for fill-mask, or a Hugging Face `BertForSequenceClassification` / `BertForTokenClassification` folder
 * (`classifier.weight` `[C, H]` + `classifier.bias` in `model.safetensors`, `id2label` in `config.json`) for
 * the classification tasks. The task comes from `config.json`'s `architectures` unless given.
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBertCheckpoint, transpose2d } from "../checkpoint/hf-bert";
import { readSafetensors } from "../checkpoint/safetensors";
import { Rng } from "../core/rng";
import type { BertModel } from "../model/bert";
import { withHead, type TaskModel } from "../tasks/heads";
import type { OnnxTask } from "./bert-onnx";
import { taskFromConfig } from "./export";

/** A model ready for `exportBertOnnx`, and what the folder said about it. */
export interface ExportSource {
  model: BertModel | TaskModel;
  task: OnnxTask;
  /** Label names from `id2label` (classification). */
  labels?: string[];
  /** The folder, when it holds tokenizer files. */
  tokenizerDir?: string;
}

/**
 * Loads `dir` for export (caller disposes `model`).
 * @throws naming the file when `config.json` or the classifier is missing, or labels disagree with the head
 */
export function loadExportSource(dir: string, options: { task?: OnnxTask } = {}): ExportSource {
  const configPath = join(dir, "config.json");
  if (!existsSync(configPath)) throw new Error(`--model ${dir}: no config.json (a checkpoint folder from \`course pretrain\` / \`course finetune\` or Hugging Face)`);
  const json = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  const task = options.task ?? taskFromConfig(json);
  const tokenizerDir = existsSync(join(dir, "tokenizer.json")) || existsSync(join(dir, "vocab.txt")) ? dir : undefined;
  // Fill-mask needs the MLM head from the file; classification ignores it (and needs the pooler for sequences).
  const bert = loadBertCheckpoint(dir, { missingHeads: task === "fill-mask" ? "error" : "init", onReport: () => {} });
  if (task === "fill-mask") return { model: bert, task, ...(tokenizerDir ? { tokenizerDir } : {}) };

  const file = join(dir, "model.safetensors");
  const tensors = readSafetensors(file).tensors;
  const weight = tensors.get("classifier.weight");
  const bias = tensors.get("classifier.bias");
  if (weight === undefined || bias === undefined || !(weight.data instanceof Float32Array) || !(bias.data instanceof Float32Array)) {
    bert.dispose();
    throw new Error(`${file}: no float classifier.weight / classifier.bias for ${task} (export a fine-tuned checkpoint, or use --task fill-mask)`);
  }
  const [numLabels, hidden] = weight.shape as [number, number];
  const id2label = json["id2label"] as Record<string, string> | undefined;
  const labels = id2label ? Array.from({ length: numLabels }, (_, i) => id2label[String(i)] ?? `LABEL_${i}`) : undefined;
  if (id2label && Object.keys(id2label).length !== numLabels) {
    bert.dispose();
    throw new Error(`${configPath}: id2label has ${Object.keys(id2label).length} labels but classifier.weight has ${numLabels} rows`);
  }
  const model = withHead(task === "text-classification" ? "sequence" : "token", bert, numLabels, new Rng(0));
  // PyTorch stores Linear weights `[C, H]`; ours are `[H, C]`.
  tf.tidy(() => {
    model.head.get("classifier.weight")?.assign(tf.tensor(transpose2d(weight.data as Float32Array, numLabels, hidden), [hidden, numLabels]));
    model.head.get("classifier.bias")?.assign(tf.tensor(bias.data as Float32Array, [numLabels]));
  });
  return { model, task, ...(labels ? { labels } : {}), ...(tokenizerDir ? { tokenizerDir } : {}) };
}
