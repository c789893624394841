/**
 * Added tokens, as Hugging Face `tokenizers` treats them (`tokenizer/added_vocabulary.rs`): tokens matched in the
 * text BEFORE pre-tokenisation and WordPiece, each becoming one token (and one word) of its own.
 *
 * 1. Tokens with `normalized: false` (special tokens, usually) are found in the raw text.
 * 2. In each stretch of raw text between them, tokens with `normalized: true` are found in the NORMALISED text
 *    (their own content normalised too: `HelloXXX` matches the token `helloxxx` under a lowercasing normaliser).
 * Matching is leftmost-longest and non-overlapping (Aho–Corasick `LeftmostLongest`); a `single_word` token whose
 * match touches a word character (`\w`: letters, marks, digits, connector punctuation) on either side is dropped
 * (the scan does not retry inside it); `lstrip` / `rstrip` widen a kept match over the Unicode White_Space on its
 * left / right (never into the previous match), so those spaces belong to the token's offsets.
 * `special` decides only what `decode(..., { skipSpecialTokens: true })` leaves out.
 */
import { CHAR_CJK, CHAR_CLASS } from "./char-classes";
import { normalizeCodePoint, type ResolvedNormalizerOptions } from "./normalizer";

/** One entry of `tokenizer.json`'s `added_tokens` (HF's field names in camelCase). */
export interface AddedToken {
  id: number;
  content: string;
  /** Match only when no word character touches the match. Default false. */
  singleWord?: boolean;
  /** Swallow the whitespace on the match's left. Default false. */
  lstrip?: boolean;
  /** Swallow the whitespace on the match's right. Default false. */
  rstrip?: boolean;
  /** Match against the normalised text (true) or the raw text (false). HF's default: `!special`. */
  normalized?: boolean;
  /** Left out by `decode` with `skipSpecialTokens`. Default false. */
  special?: boolean;
}

/** A stretch of the input: plain text for the pre-tokeniser, or one added token. `[start, end)` in UTF-16 units. */
export type AddedSplit = { id: null; start: number; end: number } | { id: number; start: number; end: number; text: string };

// Rust `regex`'s Unicode `\w` and `\s` (what `added_vocabulary.rs` uses).
const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const WHITE_SPACE = /\p{White_Space}/u;

interface Pattern {
  text: string;
  token: Required<AddedToken>;
}

/** Patterns plus the UTF-16 units they start with, so the scan skips every other position with one lookup. */
interface PatternSet {
  patterns: Pattern[];
  firsts: Set<number>;
}

function patternSet(patterns: Pattern[]): PatternSet {
  return { patterns, firsts: new Set(patterns.map((p) => p.text.charCodeAt(0))) };
}

/** The added tokens of a tokenizer, ready to split texts. */
export class AddedVocabulary {
  readonly tokens: readonly Required<AddedToken>[];
  private readonly raw: PatternSet;
  private readonly normalized: PatternSet;
  private readonly options: ResolvedNormalizerOptions;

  /**
   * @param tokens the added tokens (ids already checked by the caller)
   * @param options the normaliser that `normalized` tokens (and the text they are matched in) go through
   */
  constructor(tokens: readonly AddedToken[], options: ResolvedNormalizerOptions) {
    this.options = options;
    this.tokens = tokens.map((t) => ({
      id: t.id,
      content: t.content,
      singleWord: t.singleWord ?? false,
      lstrip: t.lstrip ?? false,
      rstrip: t.rstrip ?? false,
      special: t.special ?? false,
      normalized: t.normalized ?? !(t.special ?? false),
    }));
    const usable = this.tokens.filter((t) => t.content !== "");
    this.raw = patternSet(usable.filter((t) => !t.normalized).map((token) => ({ text: token.content, token })));
    this.normalized = patternSet(
      usable
        .filter((t) => t.normalized)
        .map((token) => ({ text: normalizeWithOffsets(token.content, 0, token.content.length, options).text, token }))
        .filter((p) => p.text !== ""),
    );
  }

  /**
   * Splits `text.slice(from, to)` into plain stretches and added tokens (both passes, see the file comment).
   * @returns the splits in order; they cover `[from, to)` except for text a normalised match covers only in part
   */
  split(text: string, from = 0, to = text.length): AddedSplit[] {
    if (this.raw.patterns.length === 0 && this.normalized.patterns.length === 0) return [{ id: null, start: from, end: to }];
    const out: AddedSplit[] = [];
    const rawSplits = findMatches(text.slice(from, to), this.raw).map((s) => ({ ...s, start: s.start + from, end: s.end + from }));
    for (const split of rawSplits) {
      if (split.id !== null || this.normalized.patterns.length === 0) {
        out.push(split);
        continue;
      }
      const norm = normalizeWithOffsets(text, split.start, split.end, this.options);
      let cursor = split.start;
      for (const m of findMatches(norm.text, this.normalized)) {
        if (m.id === null) continue;
        // Where the raw text is cut: before and after whole original characters. A match that starts or ends
        // inside the expansion of one character (the second unit of "İ" → "i̇") cannot be cut out of the raw
        // text; such a (rare) match is left as text.
        const cutStart = norm.cuts[m.start]!;
        const cutEnd = norm.cuts[m.end]!;
        if (cutStart < 0 || cutEnd < 0 || cutStart < cursor) continue;
        if (cursor < cutStart) out.push({ id: null, start: cursor, end: cutStart });
        // Offsets as HF aligns them: a CJK padding space counts as its ideograph, so they may overlap a neighbour.
        out.push({ id: m.id, start: norm.starts[m.start]!, end: norm.ends[m.end - 1]!, text: m.text });
        cursor = cutEnd;
      }
      if (cursor < split.end) out.push({ id: null, start: cursor, end: split.end });
    }
    return out;
  }
}

/**
 * HF's `find_matches` on one sentence: leftmost-longest non-overlapping matches, `single_word` filter, `lstrip` /
 * `rstrip` widening; returns splits covering the sentence (`id` null for plain stretches).
 */
function findMatches(sentence: string, { patterns, firsts }: PatternSet): AddedSplit[] {
  const splits: AddedSplit[] = [];
  let startOffset = 0;
  if (patterns.length > 0) {
    let i = 0;
    while (i < sentence.length) {
      let best: Pattern | undefined;
      if (firsts.has(sentence.charCodeAt(i))) for (const p of patterns) if (sentence.startsWith(p.text, i) && (best === undefined || p.text.length > best.text.length)) best = p;
      if (best === undefined) {
        i++;
        continue;
      }
      let start = i;
      let stop = i + best.text.length;
      i = stop; // non-overlapping: the next search starts after this match, kept or not
      const { token } = best;
      if (token.singleWord) {
        const before = start > 0 && WORD_CHAR.test(lastCodePoint(sentence, start));
        const after = stop < sentence.length && WORD_CHAR.test(String.fromCodePoint(sentence.codePointAt(stop)!));
        if (before || after) continue;
      }
      if (token.lstrip) {
        let s = start;
        while (s > 0 && WHITE_SPACE.test(lastCodePoint(sentence, s))) s -= lastCodePoint(sentence, s).length;
        start = Math.max(s, startOffset);
      }
      if (token.rstrip) {
        while (stop < sentence.length && WHITE_SPACE.test(String.fromCodePoint(sentence.codePointAt(stop)!))) stop += String.fromCodePoint(sentence.codePointAt(stop)!).length;
        i = Math.max(i, stop);
      }
      if (startOffset < start) splits.push({ id: null, start: startOffset, end: start });
      splits.push({ id: token.id, start, end: stop, text: sentence.slice(start, stop) });
      startOffset = stop;
    }
  }
  if (startOffset < sentence.length || splits.length === 0) splits.push({ id: null, start: startOffset, end: sentence.length });
  return splits;
}

/** The code point that ends just before UTF-16 index `at`. */
function lastCodePoint(text: string, at: number): string {
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(at - 2, at);
  }
  return text[at - 1]!;
}

/**
 * `text.slice(from, to)` through BERT's normaliser (spaces around CJK included, as `normalizeBert`), with, for
 * every output unit k, the original span `[starts[k], ends[k])` HF aligns it to (a CJK padding space: its
 * ideograph's span) and `cuts[k]`, the raw index where a cut just before unit k falls (-1 inside the expansion of
 * one character; `cuts[text.length]` is `to`).
 */
export function normalizeWithOffsets(
  text: string,
  from: number,
  to: number,
  options: ResolvedNormalizerOptions,
): { text: string; starts: number[]; ends: number[]; cuts: number[] } {
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  const cuts: number[] = [];
  const push = (piece: string, start: number, end: number, cut: number): void => {
    out += piece;
    for (let k = 0; k < piece.length; k++) {
      starts.push(start);
      ends.push(end);
      cuts.push(k === 0 ? cut : -1);
    }
  };
  for (let i = from; i < to; ) {
    const cp = text.codePointAt(i)!;
    const end = i + (cp > 0xffff && i + 1 < to ? 2 : 1);
    const mapped = normalizeCodePoint(cp > 0xffff && end - i === 1 ? text.charCodeAt(i) : cp, options);
    if (options.handleChineseChars && CHAR_CLASS[cp]! & CHAR_CJK) {
      push(" ", i, end, i);
      push(mapped, i, end, i);
      push(" ", i, end, end);
    } else {
      push(mapped, i, end, i);
    }
    i = end;
  }
  cuts.push(to);
  return { text: out, starts, ends, cuts };
}
