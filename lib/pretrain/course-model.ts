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
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureBackend } from "../core/backend";
import { courseOutDir } from "../core/paths";
import type { CourseMode } from "../core/mode";
import { datasetTexts } from "../data/texts";
import { bertConfig, type BertPreset } from "../model/config";
import { trainWordPiece } from "../text/wordpiece-trainer";
import type { StepRecord } from "../train/trainer";
import { pretrain } from "./pretrain";

export interface CourseModelSpec {
  preset: BertPreset;
  vocabSize: number;
  steps: number;
  batchSize: number;
  seqLength: number;
  lr: number;
  seed: number;
  /** Text datasets of the corpus (train splits; Gutenberg whole). */
  corpus: readonly string[];
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

export interface CourseCheckpointOptions {
  mode: CourseMode;
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
  const { mode, log = (m: string) => process.stderr.write(`${m}\n`) } = options;
  const spec: CourseModelSpec = { ...COURSE_MODELS[mode], ...options.spec };
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
  const texts: string[] = [];
  for (const name of spec.corpus) texts.push(...(await datasetTexts(name)));
  log(`course model (${mode}): ${texts.length} texts; training a ${spec.vocabSize}-entry WordPiece vocabulary…`);
  const tokenizer = trainWordPiece(texts, { vocabSize: spec.vocabSize });
  const config = bertConfig(spec.preset, { vocabSize: tokenizer.vocabSize, maxPositions: Math.max(128, spec.seqLength) });
  log(`course model (${mode}): pretraining BERT-${spec.preset} for ${spec.steps} steps of ${spec.batchSize}×${spec.seqLength} tokens…`);
  const result = pretrain(config, tokenizer, texts, {
    steps: spec.steps,
    batchSize: spec.batchSize,
    seqLength: spec.seqLength,
    lr: spec.lr,
    seed: spec.seed,
    outDir: partial,
    resume: true,
    checkpointEvery: Math.max(50, Math.floor(spec.steps / 10)),
    evalEvery: Math.max(50, Math.floor(spec.steps / 10)),
    onStep: options.onStep,
    onEval: options.onEval,
  });
  const final = result.evaluations.at(-1)?.metrics ?? {};
  writeFileSync(join(partial, "course-model.json"), JSON.stringify({ mode, spec, final, corpusTokens: result.corpusTokens, wallSeconds: (Date.now() - began) / 1000 }, null, 2) + "\n");
  rmSync(join(partial, "checkpoint"), { recursive: true, force: true }); // the resumable state is not needed once done
  result.model.dispose();
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`course model (${mode}): done in ${((Date.now() - began) / 1000).toFixed(0)} s → ${dir}`);
  return dir;
}

/** The `course-model.json` of a built checkpoint folder. */
export function courseModelInfo(dir: string): { mode: CourseMode; spec: CourseModelSpec; final: Record<string, number>; wallSeconds: number } {
  return JSON.parse(readFileSync(join(dir, "course-model.json"), "utf8"));
}
