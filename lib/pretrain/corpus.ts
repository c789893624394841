/**
 * A pretraining corpus as one stream of token ids (documents joined by `[SEP]`), from which training
 * examples are cut as random windows `[CLS] w₁ … w_{T−2} [SEP]` — every token of every batch is real text,
 * so no compute is spent on padding. Held-out documents (`splitTexts`) are never trained on.
 */
import type { Rng } from "../core/rng";
import type { BertTokenizer } from "../text/tokenizer";

export interface CorpusSplit {
  train: Int32Array;
  heldOut: Int32Array;
}

/** Tokenises `texts` (no special tokens inside) into one stream, documents separated by `[SEP]`. */
export function tokenStream(tokenizer: BertTokenizer, texts: readonly string[]): Int32Array {
  const sep = requireId(tokenizer, tokenizer.sepToken);
  const ids: number[] = [];
  for (const text of texts) {
    const pieces = tokenizer.pieces(text).ids;
    if (pieces.length === 0) continue;
    for (const id of pieces) ids.push(id);
    ids.push(sep);
  }
  return Int32Array.from(ids);
}

/**
 * Holds out `heldOutFraction` of the documents (at least one of two or more), spread evenly over the list — not
 * its tail: a corpus is usually several datasets one after another, and a tail would hold out the last
 * dataset whole (the course corpus ends with its Chinese texts), so the model would never see it and the
 * held-out score would measure that dataset alone.
 */
export function splitTexts<T>(texts: readonly T[], heldOutFraction = 0.05): { train: T[]; heldOut: T[] } {
  const n = texts.length;
  const k = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(n * heldOutFraction)));
  const train: T[] = [];
  const heldOut: T[] = [];
  // Document i is held out when it is the last of one of k equal blocks: floor((i+1)·k/n) > floor(i·k/n).
  texts.forEach((text, i) => (Math.floor(((i + 1) * k) / n) > Math.floor((i * k) / n) ? heldOut : train).push(text));
  return { train, heldOut };
}

/** Splits a stream: the last `heldOutFraction` of it is for evaluation only (one document; see `splitTexts` for a corpus). */
export function splitStream(stream: Int32Array, heldOutFraction = 0.05): CorpusSplit {
  const cut = Math.floor(stream.length * (1 - heldOutFraction));
  return { train: stream.subarray(0, cut), heldOut: stream.subarray(cut) };
}

/** The id of a token the tokenizer must have. */
export function requireId(tokenizer: BertTokenizer, token: string): number {
  const id = tokenizer.tokenToId(token);
  if (id === undefined) throw new Error(`the tokenizer has no ${token} token; train it with the BERT special tokens`);
  return id;
}

/** `count` random windows of `seqLength` tokens (`[CLS]` + `seqLength − 2` stream tokens + `[SEP]`). */
export function randomWindows(stream: Int32Array, count: number, seqLength: number, rng: Rng, cls: number, sep: number): number[][] {
  const body = seqLength - 2;
  if (stream.length < body) throw new Error(`the corpus has ${stream.length} tokens, fewer than one window of ${body}: add text or lower the sequence length`);
  return Array.from({ length: count }, () => {
    const start = rng.int(stream.length - body + 1);
    return [cls, ...stream.subarray(start, start + body), sep];
  });
}

/** Consecutive non-overlapping windows (deterministic evaluation data), at most `maxCount`. */
export function consecutiveWindows(stream: Int32Array, seqLength: number, cls: number, sep: number, maxCount = Infinity): number[][] {
  const body = seqLength - 2;
  const windows: number[][] = [];
  for (let start = 0; start + body <= stream.length && windows.length < maxCount; start += body) {
    windows.push([cls, ...stream.subarray(start, start + body), sep]);
  }
  return windows;
}
