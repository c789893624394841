/**
 * Pretraining from text to a Hugging Face checkpoint: hold out 5% of the documents (spread over the corpus),
 * tokenise both parts into streams, train with the masked-LM (BERT) or causal-LM (GPT) objective, save
 * `config.json` + `model.safetensors` + tokenizer files. What `course pretrain` and notebook 03 run.
 */
import { Rng } from "../core/rng";
import { BertModel } from "../model/bert";
import type { BertConfig } from "../model/config";
import { saveBertCheckpoint } from "../checkpoint/hf-bert";
import { saveTokenizer } from "../text/hf-files";
import type { BertTokenizer } from "../text/tokenizer";
import { train, type StepRecord, type TrainResult } from "../train/trainer";
import { clmTask } from "./clm-task";
import { splitTexts, tokenStream } from "./corpus";
import { mlmTask } from "./mlm-task";

export interface PretrainOptions {
  /** Optimizer steps; with `budgetMinutes`, an upper bound (`Infinity` for none). */
  steps: number;
  /** Wall-clock budget of the training loop in minutes (Cramming): stops when spent, the learning rate follows
   * the fraction spent (`budgetWarmupDecay`), resumable (the time spent is checkpointed). */
  budgetMinutes?: number;
  /** With `budgetMinutes`: the warm-up's share of the budget (default 0.1). */
  warmupFraction?: number;
  /** MLM: `bert` (80/10/10, default) or `mask` (always `[MASK]`, BabyBERTa). */
  replacement?: "bert" | "mask";
  /** Dropout while pretraining (default true; BabyBERTa/Cramming: false). */
  dropout?: boolean;
  /** Sequences per optimizer step. */
  batchSize: number;
  /** Sequences per forward/backward pass, accumulated to `batchSize` (default: the largest divisor of
   * `batchSize` up to 16 — what wasm's 32-bit heap holds of BERT-Mini's tape at T=128). */
  microBatchSize?: number;
  seqLength: number;
  /** Peak learning rate (default 1e-3: small models from scratch tolerate more than BERT-Base's 1e-4). */
  lr?: number;
  warmupSteps?: number;
  seed?: number;
  wholeWord?: boolean;
  /** Run folder: metrics, resumable checkpoint and, at the end, the Hugging Face checkpoint. */
  outDir?: string;
  resume?: boolean;
  checkpointEvery?: number;
  evalEvery?: number;
  /** Documents held out for evaluation, spread over the corpus (`splitTexts`; default 0.05). */
  heldOutFraction?: number;
  onStep?(record: StepRecord): void;
  onEval?(step: number, metrics: Record<string, number>): void;
}

function largestDivisorUpTo(n: number, limit: number): number {
  for (let m = Math.min(n, limit); m > 1; m--) if (n % m === 0) return m;
  return 1;
}

export interface PretrainResult extends TrainResult {
  model: BertModel;
  /** Tokens in the training and held-out streams. */
  corpusTokens: { train: number; heldOut: number };
}

/**
 * Pretrains a new model of `config` (MLM, or causal LM when `config.causal`) on `texts`.
 * @returns the trained model (caller disposes) and the run's history.
 */
export function pretrain(config: BertConfig, tokenizer: BertTokenizer, texts: readonly string[], options: PretrainOptions): PretrainResult {
  const { steps, budgetMinutes, warmupFraction, replacement = "bert", dropout = true, batchSize, microBatchSize = largestDivisorUpTo(batchSize, 16), seqLength, lr = 1e-3, warmupSteps, seed = 0, wholeWord = false, outDir, resume = false, checkpointEvery = 0, evalEvery = 0, heldOutFraction = 0.05, onStep, onEval } = options;
  const budget = budgetMinutes === undefined ? {} : { budgetSeconds: budgetMinutes * 60, warmupFraction };
  const recipe = replacement === "bert" && dropout ? {} : { replacement, dropout }; // run facts: absent for the default, so old checkpoints resume
  if (config.vocabSize !== tokenizer.vocabSize) throw new Error(`config.vocabSize ${config.vocabSize} differs from the tokenizer's ${tokenizer.vocabSize}`);
  if (seqLength > config.maxPositions) throw new Error(`seqLength ${seqLength} exceeds the model's maxPositions ${config.maxPositions}`);
  if (batchSize % microBatchSize !== 0) throw new Error(`batchSize ${batchSize} is not a multiple of microBatchSize ${microBatchSize}`);
  const documents = splitTexts(texts, heldOutFraction);
  const streams = { train: tokenStream(tokenizer, documents.train), heldOut: tokenStream(tokenizer, documents.heldOut) };
  const model = BertModel.init(config, new Rng(seed));
  const task = config.causal
    ? { ...clmTask(model, tokenizer, streams, { batchSize: microBatchSize, seqLength }), dispose: () => {} }
    : mlmTask(model, tokenizer, streams, { batchSize: microBatchSize, seqLength, wholeWord, replacement, dropout });
  try {
    const result = train(task, { steps, ...budget, lr, warmupSteps, seed: seed + 1, accumulation: batchSize / microBatchSize, outDir, resume, checkpointEvery, evalEvery, onStep, onEval, run: { config, seqLength, batchSize, wholeWord, ...recipe, ...(budgetMinutes === undefined ? {} : { budgetMinutes }) } });
    if (outDir !== undefined) {
      saveTokenizer(tokenizer, outDir, { modelMaxLength: config.maxPositions });
      saveBertCheckpoint(outDir, model, { extraConfig: { course: { objective: config.causal ? "causal-lm" : "masked-lm", steps: result.history.at(-1)?.step ?? 0, batchSize, seqLength, seed, ...recipe, ...(budgetMinutes === undefined ? {} : { budgetMinutes }) } } });
    }
    return { ...result, model, corpusTokens: { train: streams.train.length, heldOut: streams.heldOut.length } };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    task.dispose();
  }
}
