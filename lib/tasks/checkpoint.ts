/**
 * A fine-tuned `TaskModel` as a Hugging Face `BertForSequenceClassification` / `BertForTokenClassification`
 * folder — what `save_pretrained` writes and what `loadExportSource` (lib/export) and `from_pretrained` read:
 *   config.json         `BertConfig` + `architectures`, `id2label`, `label2id`
 *   model.safetensors   encoder + pooler under `bert.*` (Linear `[out, in]`), `classifier.weight` `[C, H]`,
 *                       `classifier.bias` `[C]`; no MLM head (`cls.*`: a classifier has none)
 *   tokenizer files     copied from `tokenizerDir` when given
 * Written to a sibling temp folder and renamed into place (a replaced folder is swapped whole).
 */
import * as tf from "@tensorflow/tfjs";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { bertStateDict, loadBertCheckpoint, TOKENIZER_FILES, transpose2d } from "../checkpoint/hf-bert";
import { readSafetensors, writeSafetensors } from "../checkpoint/safetensors";
import { Rng } from "../core/rng";
import { configToHf } from "../model/config";
import { withHead, type TaskModel } from "./heads";

const ARCHITECTURES = { sequence: "BertForSequenceClassification", token: "BertForTokenClassification" } as const;

/**
 * Saves `model` in `dir` (see the file comment). Reads the variables synchronously; disposes nothing.
 * @param options labels: names by class id (default `LABEL_i`); tokenizerDir: folder to copy tokenizer files from
 * @throws when `labels` disagrees with the head, or `tokenizerDir` has no tokenizer.json / vocab.txt
 */
export function saveTaskCheckpoint(dir: string, model: TaskModel, options: { labels?: readonly string[]; tokenizerDir?: string } = {}): void {
  const { labels = Array.from({ length: model.numLabels }, (_, i) => `LABEL_${i}`), tokenizerDir } = options;
  if (labels.length !== model.numLabels) throw new Error(`saveTaskCheckpoint: ${labels.length} labels for a head with ${model.numLabels} classes`);
  const copies = tokenizerDir === undefined ? [] : TOKENIZER_FILES.filter((f) => existsSync(join(tokenizerDir, f)));
  if (tokenizerDir !== undefined && !copies.some((f) => f === "tokenizer.json" || f === "vocab.txt")) throw new Error(`${tokenizerDir}: no tokenizer.json or vocab.txt to copy into the checkpoint`);
  const weights = bertStateDict(model.bert);
  for (const name of [...weights.keys()]) if (name.startsWith("cls.")) weights.delete(name);
  const w = model.head.get("classifier.weight") as tf.Variable; // [H, C] here
  const [h, c] = w.shape as [number, number];
  weights.set("classifier.weight", { dtype: "F32", shape: [c, h], data: transpose2d(w.dataSync() as Float32Array, h, c) }); // [C, H] as PyTorch
  weights.set("classifier.bias", { dtype: "F32", shape: [c], data: Float32Array.from((model.head.get("classifier.bias") as tf.Variable).dataSync()) });
  const config = configToHf(model.bert.config, {
    architectures: [ARCHITECTURES[model.kind]],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  });

  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`; // per call: concurrent writers never mix
  const tmp = `${target}.tmp-${suffix}`;
  const old = `${target}.old-${suffix}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    writeFileSync(join(tmp, "config.json"), JSON.stringify(config, null, 2) + "\n");
    writeSafetensors(join(tmp, "model.safetensors"), weights, { metadata: { format: "pt" } });
    for (const f of copies) copyFileSync(join(tokenizerDir as string, f), join(tmp, f));
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Loads a `BertFor{Sequence,Token}Classification` folder (ours or Hugging Face's) into a `TaskModel`.
 * @returns the model (caller disposes) and its label names (from `id2label`, else `LABEL_i`)
 * @throws naming the file when config.json or the classifier tensors are missing or disagree
 */
export function loadTaskCheckpoint(dir: string): { model: TaskModel; labels: string[] } {
  const configPath = join(dir, "config.json");
  if (!existsSync(configPath)) throw new Error(`${dir}: no config.json (a folder from saveTaskCheckpoint or Hugging Face's save_pretrained)`);
  const json = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  const arch = Array.isArray(json["architectures"]) ? String(json["architectures"][0]) : "";
  const kind = arch === ARCHITECTURES.token ? "token" : arch === ARCHITECTURES.sequence ? "sequence" : undefined;
  if (kind === undefined) throw new Error(`${configPath}: architectures is ${JSON.stringify(json["architectures"])}, expected ${ARCHITECTURES.sequence} or ${ARCHITECTURES.token}`);
  const file = join(dir, "model.safetensors");
  const tensors = readSafetensors(file).tensors;
  const weight = tensors.get("classifier.weight");
  const bias = tensors.get("classifier.bias");
  if (weight === undefined || bias === undefined || !(weight.data instanceof Float32Array) || !(bias.data instanceof Float32Array)) throw new Error(`${file}: no float32 classifier.weight / classifier.bias`);
  const [numLabels, hidden] = weight.shape as [number, number];
  const id2label = (json["id2label"] ?? {}) as Record<string, string>;
  if (json["id2label"] !== undefined && Object.keys(id2label).length !== numLabels) throw new Error(`${configPath}: id2label has ${Object.keys(id2label).length} labels but classifier.weight has ${numLabels} rows`);
  const bert = loadBertCheckpoint(dir, { onReport: () => {} }); // the absent MLM head is initialised, unused
  const model = withHead(kind, bert, numLabels, new Rng(0));
  tf.tidy(() => {
    model.head.get("classifier.weight")?.assign(tf.tensor(transpose2d(weight.data as Float32Array, numLabels, hidden), [hidden, numLabels]));
    model.head.get("classifier.bias")?.assign(tf.tensor(bias.data as Float32Array, [numLabels]));
  });
  return { model, labels: Array.from({ length: numLabels }, (_, i) => id2label[String(i)] ?? `LABEL_${i}`) };
}
