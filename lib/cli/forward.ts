/**
 * `course forward --model DIR --ids FILE.jsonl --out FILE.json`: the logits of any model folder the course writes
 * for given id sequences — what the PyTorch parity tests (`tests/checkpoint/torch-parity.test.ts`,
 * `tests/peft/torch-lora.test.ts`) compare. The folder decides the head:
 *   masked LM (config.json, no classifier)      `[{"logits": [[V floats] per position]}]`
 *   BertForSequenceClassification               `[{"logits": [C floats]}]`
 *   BertForTokenClassification                  `[{"logits": [[C floats] per position]}]`
 *   a peft adapter folder (adapter_config.json) its task's logits over its base (`--base DIR` when
 *                                               `base_model_name_or_path` does not resolve here)
 *
 * Input: one sequence per line, a JSON array of ids or `{"input_ids": [...], "token_type_ids"?: [...]}`.
 * Output: one entry per line, written to a temp name then renamed.
 * Sequences of different lengths are padded into batches with an attention mask.
 */
import type { Command } from "commander";
import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
import { initBackend, describeBackend } from "../core";
import { loadBertCheckpoint } from "../checkpoint";
import { join } from "node:path";
import type { BertInputs, BertModel } from "../model";
import { writeFileAtomic } from "../core/atomic";
import { isBlankLine } from "../text/format-whitespace";
import { ADAPTER_CONFIG, loadPeftModel } from "../peft";
import { loadTaskCheckpoint, type TaskModel } from "../tasks";

/** One input sequence. */
export interface ForwardInput {
  inputIds: number[];
  /** Segment ids (default all 0). */
  tokenTypeIds?: number[];
}

/**
 * Parses the ids JSONL; errors name `file:line`.
 * @throws on bad JSON, an empty sequence, a non-integer id, or token types of another length
 */
export function parseIdsJsonl(text: string, file = "ids.jsonl"): ForwardInput[] {
  const rows: ForwardInput[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (isBlankLine(line)) continue;
    const where = `${file}:${i + 1}`;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message}); each line is [ids...] or {"input_ids": [...]}`);
    }
    const record = item as Record<string, unknown>;
    const ids = Array.isArray(item) ? item : (record["input_ids"] ?? record["inputIds"]);
    const types = Array.isArray(item) ? undefined : (record["token_type_ids"] ?? record["tokenTypeIds"]);
    const isIds = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && x >= 0);
    if (!isIds(ids)) throw new Error(`${where}: expected a non-empty array of non-negative integer ids (or {"input_ids": [...]})`);
    if (types !== undefined && (!isIds(types) || types.length !== ids.length)) throw new Error(`${where}: token_type_ids must be integers, one per id (${ids.length})`);
    rows.push(types === undefined ? { inputIds: ids } : { inputIds: ids, tokenTypeIds: types });
  }
  if (rows.length === 0) throw new Error(`${file}: no sequences (one JSON array of ids per line)`);
  return rows;
}

/**
 * Runs `run` on padded batches of `inputs` and returns each sequence's rows: `[sequence][position][…]` for
 * per-position outputs, `[sequence][…]` when `perPosition` is false. Leaves no tensor behind.
 * @throws when an id is outside the vocabulary or a sequence is longer than `maxPositions`
 */
function batchedLogits(model: BertModel, inputs: ForwardInput[], run: (batch: BertInputs) => tf.Tensor, options: { batchSize?: number; perPosition?: boolean }): unknown[] {
  const { batchSize = 16, perPosition = true } = options;
  const { vocabSize, maxPositions, padTokenId } = model.config;
  for (const [i, { inputIds }] of inputs.entries()) {
    const bad = inputIds.find((id) => id >= vocabSize);
    if (bad !== undefined) throw new Error(`sequence ${i + 1}: id ${bad} is outside the vocabulary (vocabSize ${vocabSize})`);
    if (inputIds.length > maxPositions) throw new Error(`sequence ${i + 1}: ${inputIds.length} ids exceed maxPositions ${maxPositions}`);
  }
  const out: unknown[] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const t = Math.max(...batch.map((row) => row.inputIds.length));
    const pad = (values: number[], fill: number) => [...values, ...Array<number>(t - values.length).fill(fill)];
    const logits = tf.tidy(() => {
      const inputIds = tf.tensor2d(batch.map((row) => pad(row.inputIds, padTokenId)), [batch.length, t], "int32"); // [B, T]
      const attentionMask = tf.tensor2d(batch.map((row) => pad(row.inputIds.map(() => 1), 0)), [batch.length, t], "int32"); // [B, T]
      const tokenTypeIds = tf.tensor2d(batch.map((row) => pad(row.tokenTypeIds ?? row.inputIds.map(() => 0), 0)), [batch.length, t], "int32");
      return run({ inputIds, attentionMask, tokenTypeIds }); // [B, T, …] or [B, C]
    });
    const values = logits.arraySync() as unknown[][];
    logits.dispose();
    for (const [b, row] of batch.entries()) out.push(perPosition ? (values[b] as unknown[]).slice(0, row.inputIds.length) : values[b]);
  }
  return out;
}

/**
 * MLM logits of each sequence: `[sequence][position][V]`, only real positions (padding dropped).
 * Batches of `batchSize` are padded with `padTokenId` and masked. Leaves no tensor behind.
 * @throws when an id is outside the vocabulary or a sequence is longer than `maxPositions`
 */
export function forwardLogits(model: BertModel, inputs: ForwardInput[], options: { batchSize?: number } = {}): number[][][] {
  return batchedLogits(model, inputs, (batch) => model.mlmLogits(model.encode(batch).hidden), options) as number[][][]; // [B, T, V]
}

/**
 * A task model's logits: `[sequence][C]` (sequence classification) or `[sequence][position][C]` (token).
 * @throws as `forwardLogits`
 */
export function taskLogits(model: TaskModel, inputs: ForwardInput[], options: { batchSize?: number } = {}): number[][] | number[][][] {
  return batchedLogits(model.bert, inputs, (batch) => model.logits(batch), { ...options, perPosition: model.kind === "token" }) as number[][] | number[][][];
}

/**
 * The model in `dir` for `course forward`: an adapter folder over its base, a fine-tuned classifier, or a masked LM.
 * @returns the model (caller disposes) and what it is
 */
export async function loadForwardModel(dir: string, options: { base?: string } = {}): Promise<{ kind: "mlm"; model: BertModel } | { kind: "task"; model: TaskModel }> {
  if (!existsSync(dir)) throw new Error(`--model ${dir}: no such folder`);
  if (existsSync(join(dir, ADAPTER_CONFIG))) return { kind: "task", model: (await loadPeftModel(dir, { base: options.base })).model };
  if (existsSync(join(dir, "adapter", ADAPTER_CONFIG))) throw new Error(`--model ${dir}: a fine-tuning run folder; its adapter is --model ${join(dir, "adapter")}`);
  if (!existsSync(join(dir, "config.json"))) throw new Error(`--model ${dir}: neither config.json (a checkpoint: course pretrain, finetune --save-model, Hugging Face) nor ${ADAPTER_CONFIG} (an adapter: finetune --peft writes OUT/adapter)`);
  if (options.base !== undefined) throw new Error(`--base ${options.base}: only for an adapter folder, and ${dir} has no ${ADAPTER_CONFIG}`);
  const arch = (JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { architectures?: string[] }).architectures?.[0] ?? "";
  if (/For(Sequence|Token)Classification$/.test(arch)) return { kind: "task", model: loadTaskCheckpoint(dir).model };
  return { kind: "mlm", model: loadBertCheckpoint(dir) };
}

/** Registers `course forward`. */
export function registerForward(program: Command): void {
  program
    .command("forward")
    .description("logits of a model folder for id sequences (JSONL in, JSON out): masked LM, classifier, or peft adapter")
    .requiredOption("--model <dir>", "checkpoint folder (config.json + model.safetensors), or an adapter folder (adapter_config.json)")
    .option("--base <dir>", "with an adapter folder: its base checkpoint (default: base_model_name_or_path; course, course:quick, course:full too)")
    .requiredOption("--ids <file>", "JSONL: one array of token ids (or {\"input_ids\": [...]}) per line")
    .requiredOption("--out <file>", "JSON output: [{\"logits\": ...}] per sequence: [[V] per position] (MLM), [C] (sequence), [[C] per position] (token)")
    .option("--batch-size <n>", "sequences per forward pass", "16")
    .action(async (options: { model: string; ids: string; out: string; batchSize: string; base?: string }) => {
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch-size must be a positive integer, got ${options.batchSize}`);
      const report = await initBackend();
      const inputs = parseIdsJsonl(readFileSync(options.ids, "utf8"), options.ids);
      const loaded = await loadForwardModel(options.model, { base: options.base });
      try {
        const logits = loaded.kind === "mlm" ? forwardLogits(loaded.model, inputs, { batchSize }) : taskLogits(loaded.model, inputs, { batchSize });
        writeFileAtomic(options.out, JSON.stringify(logits.map((l) => ({ logits: l }))));
        console.error(`course forward: ${inputs.length} sequence(s) → ${options.out} (${loaded.kind === "mlm" ? "masked LM" : `${loaded.model.kind} classifier`}; ${describeBackend(report)})`);
      } finally {
        loaded.model.dispose();
      }
    });
}
