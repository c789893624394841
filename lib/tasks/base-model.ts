/**
 * Where fine-tuning starts: a pretrained BERT checkpoint folder (ours from `courseCheckpoint` / `course
 * pretrain`, or a Hugging Face BERT with `model.safetensors`), or a random initialisation of the SAME
 * configuration — the control that shows what pretraining bought.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBertCheckpoint } from "../checkpoint/hf-bert";
import { courseMode, type CourseMode } from "../core/mode";
import { Rng } from "../core/rng";
import { BertModel } from "../model/bert";
import { bertConfig, configFromHf } from "../model/config";
import { courseCheckpoint } from "../pretrain/course-model";
import { loadTokenizer } from "../text/hf-files";
import type { BertTokenizer } from "../text/tokenizer";

/** An encoder and its tokenizer, ready for a head. */
export interface TaskBase {
  bert: BertModel;
  tokenizer: BertTokenizer;
  /** The checkpoint folder, or `"scratch"`. */
  source: string;
  /**
   * Parameters that were not pretrained, so must be trained with the head (`lib/peft` puts them in
   * `modules_to_save`): those the checkpoint lacked, drawn fresh (the pooler of a Hugging Face `BertForMaskedLM`),
   * and — in a course checkpoint — the pooler, saved at its random init (see `POOLER_PARAMETERS`).
   */
  initialized: string[];
}

/**
 * The pooler's parameters — what a course checkpoint (`config.json` has `course.objective`) saves but never trained.
 * No course objective reads the pooler: masked LM and ELECTRA's discriminator score every token, causal LM the next
 * one; only BERT's next-sentence prediction (not implemented) trains it (Devlin et al. 2019, §3.1).
 */
export const POOLER_PARAMETERS: readonly string[] = Object.freeze(["bert.pooler.dense.weight", "bert.pooler.dense.bias"]);

/**
 * Resolves the course's aliases to a folder: `course` (the mode `courseMode()` says), `course:quick`,
 * `course:full` build or reuse `courseCheckpoint`; anything else is returned as is.
 */
export async function resolveCheckpoint(from: string): Promise<string> {
  const match = /^course(?::(quick|full))?$/.exec(from);
  if (match === null) return from;
  const mode = (match[1] as CourseMode | undefined) ?? courseMode();
  return courseCheckpoint({ mode });
}

/**
 * Loads the encoder to fine-tune (caller disposes `bert`).
 * @param from a checkpoint folder (config.json + model.safetensors + tokenizer files), or `"scratch"`
 * @param options tokenizerDir: for `"scratch"`, the folder whose tokenizer — and `config.json`, when it has one —
 *   the random model copies (default BERT-Mini with that vocabulary); seed: draws the random model and any
 *   head parameters the checkpoint lacks
 * @throws naming the folder when files are missing
 */
export function loadTaskBase(from: string, options: { tokenizerDir?: string; seed?: number } = {}): TaskBase {
  const { tokenizerDir, seed = 0 } = options;
  const rng = new Rng(seed);
  if (from === "scratch") {
    if (tokenizerDir === undefined) throw new Error('from "scratch" needs a tokenizer folder (--tokenizer DIR; pass the pretrained checkpoint to copy its config too)');
    const tokenizer = loadTokenizer(tokenizerDir);
    const configPath = join(tokenizerDir, "config.json");
    const config = existsSync(configPath) ? configFromHf(JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>, configPath) : bertConfig("mini", { vocabSize: tokenizer.vocabSize });
    if (config.vocabSize < tokenizer.vocabSize) throw new Error(`${configPath}: vocab_size ${config.vocabSize} is smaller than the tokenizer's ${tokenizer.vocabSize}`);
    return { bert: BertModel.init({ ...config, causal: false }, rng), tokenizer, source: "scratch", initialized: [] };
  }
  if (!existsSync(join(from, "config.json"))) throw new Error(`--from ${from}: no config.json there (a checkpoint folder from \`course pretrain\` or Hugging Face, "course", or "scratch")`);
  let initialized: string[] = [];
  const bert = loadBertCheckpoint(from, { rng, onReport: (r) => (initialized = r.initialized) });
  const course = (JSON.parse(readFileSync(join(from, "config.json"), "utf8")) as { course?: { objective?: unknown } }).course;
  if (typeof course?.objective === "string") initialized = [...new Set([...initialized, ...POOLER_PARAMETERS])];
  if (bert.config.causal) {
    bert.dispose();
    throw new Error(`${from}: a causal (GPT-style) checkpoint; classification heads here need a bidirectional BERT`);
  }
  try {
    return { bert, tokenizer: loadTokenizer(from), source: from, initialized };
  } catch (error) {
    bert.dispose();
    throw error;
  }
}
