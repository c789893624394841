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
import { train, type StepRecord, type TrainingTask, type TrainResult } from "../train/trainer";
import { clmTask } from "./clm-task";
import { splitTexts, tokenStream } from "./corpus";
import { ElectraModel, generatorShape, type ElectraOptions } from "./electra";
import { electraTask } from "./electra-task";
import { mlmTask } from "./mlm-task";

export interface PretrainOptions {
  /** Optimizer steps; with `budgetMinutes`, an upper bound (`Infinity` for none). */
  steps: number;
  /** Wall-clock budget of the training loop in minutes (Cramming): stops when spent, the learning rate follows
   * the fraction spent (`budgetWarmupDecay`), resumable (the time spent is checkpointed). */
  budgetMinutes?: number;
  /** With `budgetMinutes`: the warm-up's share of the budget (default 0.1). */
  warmupFraction?: number;
  /**
   * With `budgetMinutes`: what a minute is — `wall` (default: wall-clock) or `cpu` (this process's CPU time, every
   * thread summed: `process.cpuUsage()`), which a neighbour on a shared machine does not eat into, so runs made
   * side by side get the same compute.
   */
  budgetClock?: "wall" | "cpu";
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
  /** `"mlm"` (default: BERT's masked LM) or `"electra"` (replaced-token detection, `./electra`: a small generator
   * trains beside the model, which is the discriminator and is what is saved; not for causal configs). */
  objective?: "mlm" | "electra";
  /** ELECTRA's generator width and λ (defaults 0.25 and 50). */
  electra?: ElectraOptions;
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

/** CPU seconds this process has used, user + system, every thread. */
const processCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

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
 * Pretrains a new model of `config` (MLM or ELECTRA by `objective`, or causal LM when `config.causal`) on `texts`.
 * Under ELECTRA the returned and saved model is the discriminator (its MLM head is left untrained).
 * @returns the trained model (caller disposes) and the run's history.
 */
export function pretrain(config: BertConfig, tokenizer: BertTokenizer, texts: readonly string[], options: PretrainOptions): PretrainResult {
  const { steps, budgetMinutes, warmupFraction, budgetClock = "wall", replacement = "bert", dropout = true, batchSize, microBatchSize = largestDivisorUpTo(batchSize, 16), seqLength, lr = 1e-3, warmupSteps, seed = 0, wholeWord = false, objective = "mlm", outDir, resume = false, checkpointEvery = 0, evalEvery = 0, heldOutFraction = 0.05, onStep, onEval } = options;
  if (budgetClock !== "wall" && budgetClock !== "cpu") throw new Error(`pretrain: budgetClock must be "wall" or "cpu", got ${JSON.stringify(budgetClock)}`);
  const budget = budgetMinutes === undefined ? {} : { budgetSeconds: budgetMinutes * 60, warmupFraction, ...(budgetClock === "cpu" ? { clock: processCpuSeconds } : {}) };
  const recipe = replacement === "bert" && dropout ? {} : { replacement, dropout }; // run facts: absent for the default, so old checkpoints resume
  if (config.vocabSize !== tokenizer.vocabSize) throw new Error(`config.vocabSize ${config.vocabSize} differs from the tokenizer's ${tokenizer.vocabSize}`);
  if (seqLength > config.maxPositions) throw new Error(`seqLength ${seqLength} exceeds the model's maxPositions ${config.maxPositions}`);
  if (batchSize % microBatchSize !== 0) throw new Error(`batchSize ${batchSize} is not a multiple of microBatchSize ${microBatchSize}`);
  const documents = splitTexts(texts, heldOutFraction);
  const streams = { train: tokenStream(tokenizer, documents.train), heldOut: tokenStream(tokenizer, documents.heldOut) };
  if (objective !== "mlm" && objective !== "electra") throw new Error(`pretrain: objective must be "mlm" or "electra", got ${JSON.stringify(objective)}`);
  if (objective === "electra" && config.causal) throw new Error("pretrain: ELECTRA needs a bidirectional model; drop `causal` or use objective \"mlm\"");
  const electra = objective === "electra";
  if (electra) generatorShape(config, options.electra?.generatorSize); // throws on a bad size before anything is allocated
  if (electra && (replacement !== "bert" || !dropout)) throw new Error("pretrain: `replacement` and `dropout` are MLM recipe options; ELECTRA's task uses the reference's masking and dropout");
  const initRng = new Rng(seed);
  const model = BertModel.init(config, initRng);
  const task: TrainingTask<unknown> & { dispose(): void } = config.causal
    ? { ...clmTask(model, tokenizer, streams, { batchSize: microBatchSize, seqLength }), dispose: () => {} }
    : electra
      ? electraTask(ElectraModel.init(model, initRng, options.electra), tokenizer, streams, { batchSize: microBatchSize, seqLength, wholeWord, discWeight: options.electra?.discWeight })
      : mlmTask(model, tokenizer, streams, { batchSize: microBatchSize, seqLength, wholeWord, replacement, dropout });
  const objectiveRun = electra ? { objective, electra: options.electra ?? {} } : {}; // MLM runs keep their old resume key set
  const budgetRun = budgetMinutes === undefined ? {} : budgetClock === "cpu" ? { budgetMinutes, budgetClock } : { budgetMinutes };
  try {
    const result = train(task, { steps, ...budget, lr, warmupSteps, seed: seed + 1, accumulation: batchSize / microBatchSize, outDir, resume, checkpointEvery, evalEvery, onStep, onEval, run: { config, seqLength, batchSize, wholeWord, ...objectiveRun, ...recipe, ...budgetRun } });
    if (outDir !== undefined) {
      saveTokenizer(tokenizer, outDir, { modelMaxLength: config.maxPositions });
      const objectiveName = config.causal ? "causal-lm" : electra ? "electra" : "masked-lm";
      saveBertCheckpoint(outDir, model, { extraConfig: { course: { objective: objectiveName, steps: result.history.at(-1)?.step ?? 0, batchSize, seqLength, seed, ...(electra ? { electra: options.electra ?? {} } : {}), ...recipe, ...budgetRun } } });
    }
    return { ...result, model, corpusTokens: { train: streams.train.length, heldOut: streams.heldOut.length } };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    task.dispose();
  }
}
