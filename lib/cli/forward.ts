/**
 * `course forward --model DIR --ids FILE.jsonl --out FILE.json`: the MLM logits of a checkpoint for given id
 * sequences — what the PyTorch parity test (`tests/checkpoint/torch-parity.test.ts`) compares.
 *
 * Input: one sequence per line, a JSON array of ids or `{"input_ids": [...], "token_type_ids"?: [...]}`.
 * Output: `[{"logits": [[V floats] per position]}]`, one entry per line, written to a temp name then renamed.
 * Sequences of different lengths are padded into batches with an attention mask.
 */
import type { Command } from "commander";
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { initBackend, describeBackend } from "../core";
import { loadBertCheckpoint } from "../checkpoint";
import type { BertModel } from "../model";
import { writeFileAtomic } from "../core/atomic";
import { isBlankLine } from "../text/format-whitespace";

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
 * MLM logits of each sequence: `[sequence][position][V]`, only real positions (padding dropped).
 * Batches of `batchSize` are padded with `padTokenId` and masked. Leaves no tensor behind.
 * @throws when an id is outside the vocabulary or a sequence is longer than `maxPositions`
 */
export function forwardLogits(model: BertModel, inputs: ForwardInput[], options: { batchSize?: number } = {}): number[][][] {
  const { batchSize = 16 } = options;
  const { vocabSize, maxPositions, padTokenId } = model.config;
  for (const [i, { inputIds }] of inputs.entries()) {
    const bad = inputIds.find((id) => id >= vocabSize);
    if (bad !== undefined) throw new Error(`sequence ${i + 1}: id ${bad} is outside the vocabulary (vocabSize ${vocabSize})`);
    if (inputIds.length > maxPositions) throw new Error(`sequence ${i + 1}: ${inputIds.length} ids exceed maxPositions ${maxPositions}`);
  }
  const out: number[][][] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const t = Math.max(...batch.map((row) => row.inputIds.length));
    const pad = (values: number[], fill: number) => [...values, ...Array<number>(t - values.length).fill(fill)];
    const logits = tf.tidy(() => {
      const inputIds = tf.tensor2d(batch.map((row) => pad(row.inputIds, padTokenId)), [batch.length, t], "int32"); // [B, T]
      const attentionMask = tf.tensor2d(batch.map((row) => pad(row.inputIds.map(() => 1), 0)), [batch.length, t], "int32"); // [B, T]
      const tokenTypeIds = tf.tensor2d(batch.map((row) => pad(row.tokenTypeIds ?? row.inputIds.map(() => 0), 0)), [batch.length, t], "int32");
      const { hidden } = model.encode({ inputIds, attentionMask, tokenTypeIds }); // [B, T, H]
      return model.mlmLogits(hidden); // [B, T, V]
    });
    const values = logits.arraySync() as number[][][];
    logits.dispose();
    for (const [b, row] of batch.entries()) out.push((values[b] as number[][]).slice(0, row.inputIds.length));
  }
  return out;
}


/** Registers `course forward`. */
export function registerForward(program: Command): void {
  program
    .command("forward")
    .description("MLM logits of a BERT checkpoint for id sequences (JSONL in, JSON out)")
    .requiredOption("--model <dir>", "checkpoint folder (config.json + model.safetensors)")
    .requiredOption("--ids <file>", "JSONL: one array of token ids (or {\"input_ids\": [...]}) per line")
    .requiredOption("--out <file>", "JSON output: [{\"logits\": [[V floats] per position]}]")
    .option("--batch-size <n>", "sequences per forward pass", "16")
    .action(async (options: { model: string; ids: string; out: string; batchSize: string }) => {
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch-size must be a positive integer, got ${options.batchSize}`);
      const report = await initBackend();
      const inputs = parseIdsJsonl(readFileSync(options.ids, "utf8"), options.ids);
      const model = loadBertCheckpoint(options.model);
      try {
        const logits = forwardLogits(model, inputs, { batchSize });
        writeFileAtomic(options.out, JSON.stringify(logits.map((l) => ({ logits: l }))));
        console.error(`course forward: ${inputs.length} sequence(s) → ${options.out} (${describeBackend(report)})`);
      } finally {
        model.dispose();
      }
    });
}
