/**
 * Adapters on disk in Hugging Face `peft`'s format (`PeftModel.save_pretrained` / `from_pretrained`):
 *   adapter_config.json        `peft_type`, `task_type`, `base_model_name_or_path`, `modules_to_save`, `inference_mode`
 *                              and the method's fields (`r`, `lora_alpha`, `target_modules`, …)
 *   adapter_model.safetensors  `base_model.model.<module>.<tensor>` with NO adapter name, PyTorch layout
 *                              (prompt learning: `prompt_embeddings` and `base_model.<module>`)
 *   labels.json                ours (`peft` ignores other files): `id2label`, for `course forward`
 * Key names follow `peft`'s `get_peft_model_state_dict` (peft/utils/save_and_load.py): it keeps the adapter's
 * tensors (`…query.lora_A.default.weight`) and the `modules_to_save` copies (`classifier.modules_to_save.default.weight`),
 * drops `modules_to_save.`, then removes `.default` — so `base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight`
 * and `base_model.model.classifier.weight` (the head, restored on load: losing it is `peft` users' top complaint).
 * Written to a sibling temp folder and renamed into place.
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { transpose2d } from "../checkpoint/hf-bert";
import { readSafetensors, writeSafetensors, type SafetensorsInput } from "../checkpoint/safetensors";
import type { Params } from "../nn/params";
import { loadTaskBase, resolveCheckpoint } from "../tasks/base-model";
import { saveTaskCheckpoint } from "../tasks/checkpoint";
import type { BertTokenizer } from "../text/tokenizer";
import { PEFT_LOADERS } from "./registry";
import { PeftModel, TASK_TYPES } from "./peft-model";
import { Lora } from "./lora";
import type { PeftType } from "./method";

export const ADAPTER_CONFIG = "adapter_config.json";
export const ADAPTER_WEIGHTS = "adapter_model.safetensors";

/** Options of `saveAdapter`. */
export interface SaveAdapterOptions {
  /** Which adapter (default the active one). */
  adapter?: string;
  /** `base_model_name_or_path`: the base checkpoint folder or hub id (default null). */
  baseModelNameOrPath?: string | null;
  /** Label names by class id (written to labels.json). */
  labels?: readonly string[];
}

/** The adapter's tensors as `peft` saves them (keys with `base_model.model.`; plain arrays, nothing to dispose). */
export function adapterStateDict(model: PeftModel, adapter = model.activeAdapter): Map<string, SafetensorsInput> {
  const a = model.adapter(adapter);
  const out = new Map<string, SafetensorsInput>();
  const prefix = a.method.modulesPrefix;
  for (const [name, entry] of a.method.stateDict()) out.set(name, entry);
  for (const [name, v] of a.modules) {
    const data = v.dataSync() as Float32Array;
    if (v.rank === 2) {
      const [inSize, outSize] = v.shape as [number, number];
      out.set(prefix + name, { dtype: "F32", shape: [outSize, inSize], data: transpose2d(data, inSize, outSize) }); // Linear: [out, in]
    } else out.set(prefix + name, { dtype: "F32", shape: [...v.shape], data: Float32Array.from(data) });
  }
  return out;
}

/** Writes `files` into a sibling temp folder of `dir`, then swaps it into place. */
function writeFolder(dir: string, files: (tmp: string) => void): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = `${target}.tmp-${suffix}`;
  const old = `${target}.old-${suffix}`;
  mkdirSync(tmp);
  try {
    files(tmp);
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Saves one adapter of `model` in `dir` (see the file comment). Reads variables synchronously; disposes nothing.
 * @returns the bytes of `adapter_model.safetensors`
 */
export function saveAdapter(dir: string, model: PeftModel, options: SaveAdapterOptions = {}): number {
  const { adapter = model.activeAdapter, baseModelNameOrPath = null, labels } = options;
  const a = model.adapter(adapter);
  if (labels !== undefined && labels.length !== model.numLabels) throw new Error(`saveAdapter: ${labels.length} labels for a head with ${model.numLabels} classes`);
  const config = { ...a.method.configJson(), task_type: TASK_TYPES[model.kind], base_model_name_or_path: baseModelNameOrPath, modules_to_save: a.modulesToSave, inference_mode: true, revision: null, auto_mapping: null };
  const weights = adapterStateDict(model, adapter);
  writeFolder(dir, (tmp) => {
    writeFileSync(join(tmp, ADAPTER_CONFIG), JSON.stringify(config, null, 2) + "\n");
    writeSafetensors(join(tmp, ADAPTER_WEIGHTS), weights, { metadata: { format: "pt" } });
    if (labels !== undefined) writeFileSync(join(tmp, "labels.json"), JSON.stringify({ id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])) }, null, 2) + "\n");
  });
  return statSync(join(dir, ADAPTER_WEIGHTS)).size;
}

/** An adapter folder's config, tensors (file names) and labels, checked. */
export function readAdapter(dir: string): { config: Record<string, unknown>; tensors: Map<string, { shape: number[]; data: Float32Array }>; labels: string[] | undefined; file: string } {
  const configPath = join(dir, ADAPTER_CONFIG);
  const file = join(dir, ADAPTER_WEIGHTS);
  if (!existsSync(configPath)) throw new Error(`${dir}: no ${ADAPTER_CONFIG} (an adapter folder from \`course finetune --peft\` or peft's save_pretrained)`);
  if (!existsSync(file)) throw new Error(`${dir}: no ${ADAPTER_WEIGHTS} (adapter_model.bin is pickle; convert it with peft and safetensors)`);
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${configPath}: not valid JSON (${(error as Error).message})`);
  }
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of readSafetensors(file).tensors) {
    if (!(t.data instanceof Float32Array)) throw new Error(`${file}: tensor ${name} is ${t.dtype}; adapters must be a float dtype`);
    tensors.set(name, { shape: t.shape, data: t.data });
  }
  const labelsPath = join(dir, "labels.json");
  let labels: string[] | undefined;
  if (existsSync(labelsPath)) {
    const id2label = (JSON.parse(readFileSync(labelsPath, "utf8")) as { id2label?: Record<string, string> }).id2label ?? {};
    labels = Object.keys(id2label).sort((x, y) => Number(x) - Number(y)).map((k) => id2label[k] as string);
  }
  return { config, tensors, labels, file };
}

/** The saved `modules_to_save` tensors (everything the method does not own, under `prefix`) as variables in our layout. */
function moduleParams(tensors: ReadonlyMap<string, { shape: number[]; data: Float32Array }>, owned: ReadonlySet<string>, prefix: string, file: string): Params {
  const modules: Params = new Map();
  for (const [saved, t] of tensors) {
    if (owned.has(saved)) continue;
    if (!saved.startsWith(prefix)) {
      tf.dispose([...modules.values()]);
      throw new Error(`${file}: tensor ${saved} is neither the method's nor a module under peft's "${prefix}" prefix`);
    }
    const name = saved.slice(prefix.length);
    if (t.shape.length === 2) {
      const [outSize, inSize] = t.shape as [number, number];
      modules.set(name, tf.tidy(() => tf.variable(tf.tensor(transpose2d(t.data, outSize, inSize), [inSize, outSize]), true)));
    } else modules.set(name, tf.tidy(() => tf.variable(tf.tensor(t.data, t.shape), true)));
  }
  if (!modules.has("classifier.weight")) {
    tf.dispose([...modules.values()]);
    throw new Error(`${file}: no ${prefix}classifier.weight — the head was not saved (add "classifier" to modules_to_save when training)`);
  }
  return modules;
}

/**
 * Adds the adapter saved in `dir` to `model` under `name` (several adapters on one base, switched by
 * `setAdapter` or per request with `logits(…, { adapter })`).
 * @returns its label names, when the folder has labels.json
 * @throws naming the file when the method is unknown, or a tensor is missing or misshapen (each adapter has its own
 *   head, so label sets may differ)
 */
export function loadAdapterInto(model: PeftModel, dir: string, name: string): string[] | undefined {
  const { config, tensors, labels, file } = readAdapter(dir);
  const type = String(config["peft_type"]) as PeftType;
  const loader = PEFT_LOADERS[type];
  if (loader === undefined) throw new Error(`${join(dir, ADAPTER_CONFIG)}: peft_type ${JSON.stringify(config["peft_type"])} is not one of ${Object.keys(PEFT_LOADERS).join(", ")}`);
  const method = loader(config, model.bert.config, tensors, file);
  const owned = new Set(method.stateDict().keys());
  let modules: Params;
  try {
    modules = moduleParams(tensors, owned, method.modulesPrefix, file);
  } catch (error) {
    method.dispose();
    throw error;
  }
  model.addAdapter(name, method, modules, (config["modules_to_save"] as string[] | null) ?? ["classifier"]);
  return labels;
}

/** The base fields an adapter's tensors do not pin down but its behaviour depends on (a vocabulary of another size reads other ids). */
const BASE_SHAPE = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_position_embeddings"];

/**
 * @throws when `base` differs in shape from the adapter's own base (`base_model_name_or_path`, when that resolves
 *   here): the adapter was trained on another model
 */
function refuseOtherShape(dir: string, config: Record<string, unknown>, base: string): void {
  const own = config["base_model_name_or_path"];
  if (typeof own !== "string" || resolve(own) === resolve(base) || !existsSync(join(own, "config.json"))) return;
  const read = (folder: string) => JSON.parse(readFileSync(join(folder, "config.json"), "utf8")) as Record<string, unknown>;
  const [ours, theirs] = [read(own), read(base)];
  const differ = BASE_SHAPE.filter((key) => ours[key] !== theirs[key]);
  const list = (c: Record<string, unknown>) => differ.map((k) => `${k} ${String(c[k])}`).join(", ");
  if (differ.length > 0) throw new Error(`${join(dir, ADAPTER_CONFIG)}: the adapter was trained on ${own} (${list(ours)}), but the base ${base} has ${list(theirs)}; pass the base it was trained on`);
}

/**
 * Loads an adapter folder over its base: `base` (a folder or `course:*`) or else the config's
 * `base_model_name_or_path`.
 * @returns the model (caller disposes), its tokenizer (the base's) and label names
 * @throws when the base does not resolve (pass `base`), naming both paths
 */
export async function loadPeftModel(dir: string, options: { base?: string; name?: string } = {}): Promise<{ model: PeftModel; tokenizer: BertTokenizer; labels: string[]; base: string }> {
  const { config } = readAdapter(dir);
  const named = options.base ?? (config["base_model_name_or_path"] as string | null) ?? undefined;
  if (named === undefined) throw new Error(`${join(dir, ADAPTER_CONFIG)}: base_model_name_or_path is null; pass the base checkpoint (--base DIR)`);
  const base = await resolveCheckpoint(named);
  if (!existsSync(join(base, "config.json"))) {
    throw new Error(options.base !== undefined ? `--base ${options.base}: not a checkpoint folder (no config.json there)` : `${join(dir, ADAPTER_CONFIG)}: base_model_name_or_path ${JSON.stringify(named)} is not a checkpoint folder here; pass the base (--base DIR)`);
  }
  refuseOtherShape(dir, config, base);
  const kind = config["task_type"] === TASK_TYPES.token ? "token" : config["task_type"] === TASK_TYPES.sequence ? "sequence" : undefined;
  if (kind === undefined) throw new Error(`${join(dir, ADAPTER_CONFIG)}: task_type ${JSON.stringify(config["task_type"])}; only SEQ_CLS and TOKEN_CLS adapters are supported`);
  const { bert, tokenizer } = loadTaskBase(base);
  const model = new PeftModel(bert, kind);
  try {
    const labels = loadAdapterInto(model, dir, options.name ?? "default");
    return { model, tokenizer, labels: labels ?? Array.from({ length: model.numLabels }, (_, i) => `LABEL_${i}`), base };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Saves the active LoRA adapter merged into its base as a plain Hugging Face `BertFor…Classification` folder
 * (what `course export-onnx` and `from_pretrained` take). The base is restored afterwards.
 * @throws when the active adapter is not LoRA
 */
export function saveMergedCheckpoint(dir: string, model: PeftModel, options: { labels?: readonly string[]; tokenizerDir?: string } = {}): void {
  const a = model.adapter();
  if (!(a.method instanceof Lora)) throw new Error(`saveMergedCheckpoint: adapter "${model.activeAdapter}" is ${a.method.peftType}; only LoRA merges into the base weights`);
  const lora = a.method;
  const swapped = new Map<string, tf.Tensor>();
  lora.merge(model.bert.params);
  try {
    for (const [name, v] of a.modules) {
      const target = model.bert.params.get(name); // e.g. an adapter's own pooler
      if (target === undefined) continue;
      swapped.set(name, tf.clone(target));
      target.assign(v);
    }
    saveTaskCheckpoint(dir, model, options);
  } finally {
    for (const [name, original] of swapped) (model.bert.params.get(name) as tf.Variable).assign(original);
    tf.dispose([...swapped.values()]);
    lora.unmerge();
  }
}
