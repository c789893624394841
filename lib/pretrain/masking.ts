/**
 * Masked-language-model inputs, by BERT's rule (Devlin et al. 2019, §3.1; `create_pretraining_data.py`).
 * Plain arrays in and out: no tensors, fast to test.
 *
 * - Choose 15% of the real tokens of each sequence (at least one), never `[CLS]`, `[SEP]`, `[PAD]` or other
 *   special tokens. With whole-word masking, choose whole words (a token and its `##` continuations).
 * - Of the chosen: 80% become `[MASK]`, 10% a random token, 10% stay unchanged (so the model cannot rely on
 *   seeing `[MASK]` at fine-tuning time, when there is none).
 * - Labels hold the original id at chosen positions and −100 everywhere else.
 * - `replacement: "mask"` (BabyBERTa, Huebner et al. 2021; Cramming): every chosen token becomes `[MASK]`, so the
 *   loss is on `[MASK]` positions only — for a small model and budget the 10 % random / 10 % kept are noise.
 * Masks are drawn anew each time a batch is made ("dynamic" masking, RoBERTa §4.1), from the `rng` passed in.
 */
import type { Rng } from "../core/rng";

export interface MaskingOptions {
  vocabSize: number;
  maskTokenId: number;
  /** Ids never chosen (specials and padding). */
  specialIds: ReadonlySet<number>;
  /** Fraction of tokens to predict (BERT: 0.15). */
  rate?: number;
  /** For whole-word masking: `continuation[id]` true for `##` pieces. */
  isContinuation?: (id: number) => boolean;
  /** `bert` (default): 80 % `[MASK]`, 10 % random, 10 % kept; `mask`: always `[MASK]`. */
  replacement?: "bert" | "mask";
}

export interface MaskedSequence {
  inputIds: number[];
  /** The original id where a prediction is asked, −100 elsewhere. */
  labels: number[];
  /** The chosen positions, ascending. */
  positions: number[];
}

/** Masks one sequence. */
export function maskSequence(ids: readonly number[], rng: Rng, options: MaskingOptions): MaskedSequence {
  const { vocabSize, maskTokenId, specialIds, rate = 0.15, isContinuation, replacement = "bert" } = options;
  // Candidate units: single positions, or whole words when `isContinuation` is given.
  const units: number[][] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (specialIds.has(id)) continue;
    const last = units[units.length - 1];
    if (isContinuation?.(id) && last !== undefined && last[last.length - 1] === i - 1) last.push(i);
    else units.push([i]);
  }
  const realTokens = units.reduce((n, u) => n + u.length, 0);
  const target = Math.max(1, Math.round(realTokens * rate));
  rng.shuffle(units);
  const chosen: number[] = [];
  for (const unit of units) {
    if (chosen.length >= target) break;
    if (chosen.length + unit.length > target && chosen.length > 0) continue; // a whole word would overshoot
    chosen.push(...unit);
  }
  chosen.sort((a, b) => a - b);

  const inputIds = [...ids];
  const labels = ids.map(() => -100);
  for (const position of chosen) {
    labels[position] = ids[position] as number;
    if (replacement === "mask") {
      inputIds[position] = maskTokenId;
      continue;
    }
    const r = rng.uniform();
    if (r < 0.8) inputIds[position] = maskTokenId; // 80%: [MASK]
    else if (r < 0.9) inputIds[position] = randomToken(rng, vocabSize, specialIds); // 10%: a random token
    // else 10%: unchanged
  }
  return { inputIds, labels, positions: chosen };
}

/** A uniformly random non-special token id. */
function randomToken(rng: Rng, vocabSize: number, specialIds: ReadonlySet<number>): number {
  for (;;) {
    const id = rng.int(vocabSize);
    if (!specialIds.has(id)) return id;
  }
}

export interface MaskedBatch {
  inputIds: number[][];
  labels: number[][];
  /** Flat indices `b·T + t` of the chosen positions across the batch (for gathering before the MLM head). */
  flatPositions: number[];
  /** The labels at `flatPositions`, in the same order. */
  maskedLabels: number[];
}

/** Masks every sequence of a padded batch (all rows of equal length `T`). */
export function maskBatch(batch: readonly (readonly number[])[], rng: Rng, options: MaskingOptions): MaskedBatch {
  const inputIds: number[][] = [];
  const labels: number[][] = [];
  const flatPositions: number[] = [];
  const maskedLabels: number[] = [];
  const width = batch[0]?.length ?? 0;
  batch.forEach((ids, b) => {
    if (ids.length !== width) throw new Error(`maskBatch: row ${b} has length ${ids.length}, row 0 has ${width} (pad the batch first)`);
    const masked = maskSequence(ids, rng, options);
    inputIds.push(masked.inputIds);
    labels.push(masked.labels);
    for (const t of masked.positions) {
      flatPositions.push(b * width + t);
      maskedLabels.push(masked.labels[t] as number);
    }
  });
  return { inputIds, labels, flatPositions, maskedLabels };
}
