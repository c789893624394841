/**
 * The course's own pretrained BERT, built once and cached: a WordPiece tokenizer trained on the course corpus
 * (Gutenberg prose + the *train* splits of the task datasets, never their test text) and an MLM pretrained on
 * it. Notebooks 03–06 and `course finetune --from course` use it.
 *
 * `quick` builds in a few minutes on a laptop CPU (BERT-Tiny shape, short sequences); `full` is the real one
 * (BERT-Tiny, T=128: 1600 steps of 32×128 tokens ≈ 6.6 M tokens, about 2.8 passes over the 2.3 M-token corpus), about an hour
 * at the ≈2000 tokens/s one wasm thread trains it at on this course's 2-core machine (`course bench train
 * --config tiny --vocab 16000`). Why Tiny and not Mini: for an hour of one core (≈1e14 FLOPs) the
 * compute-optimal size (Hoffmann et al. 2022: ≈20 tokens per parameter) is ≈1 M non-embedding parameters;
 * Mini (3.2 M) trains at ≈555 tokens/s, 3.7× slower (`course bench train --config mini`), and would see ≈2 M
 * tokens — under one token per parameter.
 *
 * Four recipes (`COURSE_RECIPES`, `course course-model --recipe`): `bert` (the first one, above: a step count on
 * the smaller corpus, whose FPB 50Agree text holds the AllAgree test sentences — see README) and three that train
 * for a budget of CPU-minutes on the larger cleaned corpus (`loadPretrainingCorpus`: no task validation/test text):
 * `mlm` (BERT's masked LM), `babyberta` (BabyBERTa, Huebner et al. 2021, and Cramming, Geiping & Goldstein 2022:
 * no dropout, always `[MASK]`, short inputs, a vocabulary sized to the budget) and `electra` (Clark et al. 2020).
 * The budget's fraction spent drives the learning-rate schedule. `DEFAULT_COURSE_RECIPE` says which one each mode
 * builds; the full model's is the measured winner (README, "Pretraining corpus and recipes").
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureBackend } from "../core/backend";
import { courseOutDir } from "../core/paths";
import type { CourseMode } from "../core/mode";
import { datasetTexts } from "../data/texts";
import type { ChineseScript } from "../text/chinese-script";
import { bertConfig, type BertPreset } from "../model/config";
import { trainWordPiece } from "../text/wordpiece-trainer";
import type { StepRecord } from "../train/trainer";
import { pretrain } from "./pretrain";
import { loadPretrainingCorpus } from "./pretraining-corpus";

/**
 * The course model's recipes: `bert` (the first recipe: a step count on the smaller corpus), and three that train
 * for a CPU-minute budget on the cleaned larger corpus — `mlm` (BERT's masked LM), `babyberta` (BabyBERTa /
 * Cramming settings) and `electra` (replaced-token detection), the objectives `bench/pretrain-objectives.ts` compares.
 */
export type CourseRecipe = "bert" | "mlm" | "babyberta" | "electra";

export interface CourseModelSpec {
  preset: BertPreset;
  /** Entries of the WordPiece vocabulary, or `budget`: `budgetVocabSize` of the corpus and `budgetMinutes`. */
  vocabSize: number | "budget";
  /** Optimizer steps; with `budgetMinutes`, an upper bound. */
  steps: number;
  batchSize: number;
  seqLength: number;
  lr: number;
  seed: number;
  /** Text datasets of the corpus (train splits; Gutenberg whole). */
  corpus: readonly string[];
  // The fields below are absent from the `bert` recipe (so its cache folder, a hash of the spec, is unchanged).
  /** The recipe this spec came from, when not `bert`. */
  recipe?: CourseRecipe;
  /** Train for this many wall-clock minutes (the schedule follows the fraction spent; resumable). */
  budgetMinutes?: number;
  /** Load the corpus through `loadPretrainingCorpus`: boilerplate, duplicates and task val/test sentences dropped. */
  cleanCorpus?: boolean;
  /** `gutenberg_chinese` in `simplified` (default) or `original` Traditional characters. */
  script?: ChineseScript;
  /** `mask`: always `[MASK]` instead of 80/10/10. */
  replacement?: "bert" | "mask";
  /** false: no dropout while pretraining. */
  dropout?: boolean;
  /** Keep the WordPiece alphabet to this many most frequent characters (`trainWordPiece`'s `limitAlphabet`). */
  limitAlphabet?: number;
  /** `electra`: replaced-token detection (the discriminator is the checkpoint); absent: masked LM. */
  objective?: "mlm" | "electra";
  /** What a budget minute is: `cpu` (this process's CPU time) or wall-clock (absent). */
  budgetClock?: "cpu";
}

/** The larger corpus: 42 English books, the four Chinese classics, and the task datasets' training text. */
export const COURSE_CORPUS_LARGE = ["gutenberg_english_prose", "gutenberg_english_more", "gutenberg_chinese", "sst2", "banking77", "financial_phrasebank", "conll2003", "clue_tnews_fewclue", "clue_eprstmt_fewclue"] as const;

/**
 * A vocabulary sized to the budget: every character of the corpus (the WordPiece alphabet is kept whole; the
 * Chinese novels alone bring ≈ 5,700 Han characters) plus one merged entry per `tokensPerEntry` tokens the budget
 * will train on (at `tokensPerSecond`), between 2,000 and 12,000 merges, rounded to 1,000. A heuristic in
 * BabyBERTa's spirit (a small vocabulary for a small budget: 8,192 entries for 5 M words), not a measured optimum.
 */
export function budgetVocabSize(minutes: number, alphabet: number, options: { tokensPerSecond?: number; tokensPerEntry?: number } = {}): number {
  const { tokensPerSecond = 2000, tokensPerEntry = 1000 } = options; // ≈ BERT-Tiny on one wasm thread (see above)
  const merges = Math.min(12000, Math.max(2000, Math.round((minutes * 60 * tokensPerSecond) / tokensPerEntry / 1000) * 1000));
  return 5 + alphabet + merges; // + the five special tokens
}

const CORPUS = ["gutenberg_english_prose", "sst2", "banking77", "financial_phrasebank", "conll2003", "clue_tnews_fewclue", "clue_eprstmt_fewclue"] as const;

/**
 * quick: ≈ 2 minutes. Chosen by fine-tuning FPB and SST-2 (2,000 examples, 2 epochs, lr 1e-3) from six recipes of
 * 75–150 s (2026-11-28): 200×16 at 2e-3 left FPB at the majority class (test 0.615); 150×32 at 1e-3 reached 0.752
 * and SST-2 0.579 — the best on SST-2 (the others 0.509–0.514), within a point of the best on FPB (0.761).
 * full: ≈ an hour of one thread (see README).
 */
export const COURSE_MODELS: Readonly<Record<CourseMode, Readonly<CourseModelSpec>>> = Object.freeze({
  quick: Object.freeze({ preset: "tiny", vocabSize: 8000, steps: 150, batchSize: 32, seqLength: 64, lr: 1e-3, seed: 0, corpus: CORPUS }),
  full: Object.freeze({ preset: "tiny", vocabSize: 16000, steps: 1600, batchSize: 32, seqLength: 128, lr: 2e-3, seed: 0, corpus: CORPUS }),
});

/**
 * BabyBERTa / Cramming settings, same model size as `bert`: inputs of 32 (quick) or 64 (full) tokens (BabyBERTa:
 * single sentences; a paragraph of the corpus averages ≈ 70 tokens) and twice the batch, so a step holds the same
 * tokens at less attention cost; the budget replaces the step count (the step cap is a guard). Peak rate 1e-3: at
 * 2e-3 a 30-minute run's loss spiked at step ≈ 930 and never recovered (2026-11-30, README).
 */
export const BABYBERTA_MODELS: Readonly<Record<CourseMode, Readonly<CourseModelSpec>>> = Object.freeze({
  quick: Object.freeze({ recipe: "babyberta" as const, preset: "tiny" as const, vocabSize: "budget" as const, limitAlphabet: 3000, steps: 100000, budgetMinutes: 2, budgetClock: "cpu" as const, batchSize: 64, seqLength: 32, lr: 1e-3, seed: 0, corpus: COURSE_CORPUS_LARGE, cleanCorpus: true, replacement: "mask" as const, dropout: false }),
  full: Object.freeze({ recipe: "babyberta" as const, preset: "tiny" as const, vocabSize: "budget" as const, limitAlphabet: 3000, steps: 100000, budgetMinutes: 60, budgetClock: "cpu" as const, batchSize: 64, seqLength: 64, lr: 1e-3, seed: 0, corpus: COURSE_CORPUS_LARGE, cleanCorpus: true, replacement: "mask" as const, dropout: false }),
});

/**
 * BERT-Tiny for a budget of CPU-minutes (quick 2, full 60; `process.cpuUsage`, so a busy machine does not shrink
 * it) on the cleaned larger corpus, a 10,000-entry vocabulary over its 3,000 most frequent characters, 32
 * sequences of 128 tokens (64 in quick) a step, peak rate 2e-3 (ELECTRA 5e-4, as in `OBJECTIVE_RECIPES`): the settings of the objective comparison.
 */
function budgeted(recipe: "mlm" | "electra"): Readonly<Record<CourseMode, Readonly<CourseModelSpec>>> {
  const base = { recipe, preset: "tiny" as const, vocabSize: 10000, limitAlphabet: 3000, steps: 10_000_000, budgetClock: "cpu" as const, batchSize: 32, lr: 2e-3, seed: 0, corpus: COURSE_CORPUS_LARGE, cleanCorpus: true, ...(recipe === "electra" ? { objective: "electra" as const, lr: 5e-4 } : {}) };
  return Object.freeze({ quick: Object.freeze({ ...base, budgetMinutes: 2, seqLength: 64 }), full: Object.freeze({ ...base, budgetMinutes: 60, seqLength: 128 }) });
}

/** Masked LM with BERT's settings (80/10/10, dropout) for a CPU-minute budget. */
export const MLM_MODELS = budgeted("mlm");
/** ELECTRA (the discriminator is the checkpoint) for a CPU-minute budget. */
export const ELECTRA_MODELS = budgeted("electra");

/** Every recipe's specs by mode. */
export const COURSE_RECIPES: Readonly<Record<CourseRecipe, Readonly<Record<CourseMode, Readonly<CourseModelSpec>>>>> = Object.freeze({ bert: COURSE_MODELS, mlm: MLM_MODELS, babyberta: BABYBERTA_MODELS, electra: ELECTRA_MODELS });

/**
 * The recipe `courseCheckpoint` builds when none is given. Full: the winner of the objective comparison at equal
 * CPU-minutes (README, "Pretraining corpus and recipes"). Quick: `bert`, the two-minute model every notebook's
 * quick mode and the README's quick-mode tables were measured on (chosen by its own fine-tuning measurement).
 */
export const DEFAULT_COURSE_RECIPE: Readonly<Record<CourseMode, CourseRecipe>> = Object.freeze({ quick: "bert", full: "mlm" });

export interface CourseCheckpointOptions {
  mode: CourseMode;
  /** A key of `COURSE_RECIPES` (default `DEFAULT_COURSE_RECIPE[mode]`). */
  recipe?: CourseRecipe;
  /** Override parts of the mode's spec (a different cache folder results). */
  spec?: Partial<CourseModelSpec>;
  onStep?(record: StepRecord): void;
  onEval?(step: number, metrics: Record<string, number>): void;
  /** Progress messages (default: stderr). */
  log?(message: string): void;
}

/** The cache folder of a spec: `out/models/course-<mode>-<hash of the spec>`. */
export function courseCheckpointDir(mode: CourseMode, spec: CourseModelSpec): string {
  const hash = createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 8);
  return courseOutDir("models", `course-${mode}-${hash}`);
}

/**
 * The folder of the course checkpoint for `mode` (config.json, model.safetensors, tokenizer files,
 * course-model.json with the spec and the final held-out metrics), building it first when it is not cached.
 * An interrupted build resumes from its last checkpoint.
 */
export async function courseCheckpoint(options: CourseCheckpointOptions): Promise<string> {
  const { mode, recipe = DEFAULT_COURSE_RECIPE[mode], log = (m: string) => process.stderr.write(`${m}\n`) } = options;
  const recipes = COURSE_RECIPES[recipe];
  if (recipes === undefined) throw new Error(`unknown recipe "${recipe}": use ${Object.keys(COURSE_RECIPES).join(" or ")}`);
  const spec: CourseModelSpec = { ...recipes[mode], ...options.spec };
  const dir = courseCheckpointDir(mode, spec);
  if (existsSync(join(dir, "course-model.json"))) return dir;
  const release = await acquireBuildLock(dir, log);
  try {
    if (existsSync(join(dir, "course-model.json"))) return dir; // another process built it while we waited
    await ensureBackend(log);
    return await build(mode, spec, dir, options, log);
  } finally {
    release();
  }
}

/**
 * One builder at a time per checkpoint folder (two notebooks, or a notebook and a test, may ask at once):
 * `mkdir` of `<dir>.lock` is atomic; a lock whose process is gone is stale and taken over.
 */
async function acquireBuildLock(dir: string, log: (message: string) => void): Promise<() => void> {
  const lock = `${dir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(existsSync(join(lock, "pid")) ? readFileSync(join(lock, "pid"), "utf8") : NaN);
    if (Number.isInteger(owner) && !processAlive(owner)) {
      rmSync(lock, { recursive: true, force: true }); // stale: its builder died; the partial run resumes
      continue;
    }
    if (waited === 0) log(`course model: another process (pid ${owner}) is building ${dir}; waiting for it`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function build(mode: CourseMode, spec: CourseModelSpec, dir: string, options: CourseCheckpointOptions, log: (message: string) => void): Promise<string> {
  const partial = `${dir}.partial`;
  const began = Date.now();
  if (spec.vocabSize === "budget" && spec.budgetMinutes === undefined) throw new Error('course model: vocabSize "budget" needs budgetMinutes (--minutes); or give a number of entries');
  let texts: string[] = [];
  if (spec.cleanCorpus === true) texts = (await loadPretrainingCorpus(spec.corpus, { script: spec.script })).documents.map((d) => d.text);
  else for (const name of spec.corpus) texts = texts.concat(await datasetTexts(name, { script: spec.script })); // not push(...): 10⁵ arguments overflow the stack
  const alphabet = Math.min(alphabetSize(texts), spec.limitAlphabet ?? Infinity);
  const vocabSize = spec.vocabSize === "budget" ? budgetVocabSize(spec.budgetMinutes ?? 0, alphabet) : spec.vocabSize;
  log(`course model (${mode}): ${texts.length} texts; training a ${vocabSize}-entry WordPiece vocabulary…`);
  const tokenizer = trainWordPiece(texts, { vocabSize, limitAlphabet: spec.limitAlphabet });
  const config = bertConfig(spec.preset, { vocabSize: tokenizer.vocabSize, maxPositions: Math.max(128, spec.seqLength) });
  log(`course model (${mode}): pretraining BERT-${spec.preset} for ${spec.budgetMinutes === undefined ? `${spec.steps} steps` : `${spec.budgetMinutes} minutes`} of ${spec.batchSize}×${spec.seqLength}-token steps…`);
  const every = spec.budgetMinutes === undefined ? Math.max(50, Math.floor(spec.steps / 10)) : 100; // a budgeted run has no step count to divide
  const result = pretrain(config, tokenizer, texts, {
    steps: spec.steps,
    budgetMinutes: spec.budgetMinutes,
    budgetClock: spec.budgetClock,
    objective: spec.objective,
    replacement: spec.replacement,
    dropout: spec.dropout,
    batchSize: spec.batchSize,
    seqLength: spec.seqLength,
    lr: spec.lr,
    seed: spec.seed,
    outDir: partial,
    resume: true,
    checkpointEvery: every,
    evalEvery: every,
    onStep: options.onStep,
    onEval: options.onEval,
  });
  const final = result.evaluations.at(-1)?.metrics ?? {};
  writeFileSync(join(partial, "course-model.json"), JSON.stringify({ mode, spec, final, corpusTokens: result.corpusTokens, steps: result.history.at(-1)?.step ?? 0, trainSeconds: result.elapsedSeconds, wallSeconds: (Date.now() - began) / 1000 }, null, 2) + "\n");
  rmSync(join(partial, "checkpoint"), { recursive: true, force: true }); // the resumable state is not needed once done
  result.model.dispose();
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`course model (${mode}): done in ${((Date.now() - began) / 1000).toFixed(0)} s → ${dir}`);
  return dir;
}

/** Distinct characters of `texts` (what the WordPiece alphabet holds). */
function alphabetSize(texts: readonly string[]): number {
  const seen = new Set<string>();
  for (const text of texts) for (const ch of text) if (!/\s/.test(ch)) seen.add(ch);
  return seen.size;
}

/** The `course-model.json` of a built checkpoint folder. */
export function courseModelInfo(dir: string): { mode: CourseMode; spec: CourseModelSpec; final: Record<string, number>; wallSeconds: number; steps?: number; trainSeconds?: number } {
  return JSON.parse(readFileSync(join(dir, "course-model.json"), "utf8"));
}
