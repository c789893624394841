/**
 * BERT normalisation (Hugging Face `BertNormalizer`, google-research/bert `BasicTokenizer`), in this order:
 * 1. `cleanText`: delete \0, U+FFFD and control/format/private-use chars; every whitespace char becomes a space.
 * 2. `handleChineseChars`: a space before and after every CJK ideograph.
 * 3. `stripAccents` (defaults to `lowercase`): NFD, then delete nonspacing marks (Mn).
 * 4. `lowercase`: per character (so no final-sigma rule, as in Rust `char::to_lowercase`).
 * Every step maps one input code point to zero or more output code points, so we cache the result per code point.
 */
import {
  CHAR_CJK,
  CHAR_CLASS,
  CHAR_NONSPACING_MARK,
  CHAR_NO_DECOMPOSITION,
  CHAR_REMOVED,
  CHAR_WHITESPACE,
} from "./char-classes";

/** Options of BERT's normaliser; the names follow HF's `BertNormalizer` JSON fields. */
export interface BertNormalizerOptions {
  /** Delete control chars and map whitespace to a space. Default true. */
  cleanText?: boolean;
  /** Put spaces around CJK ideographs. Default true. */
  handleChineseChars?: boolean;
  /** NFD + drop Mn. Default: the value of `lowercase` (HF's `strip_accents: null`). */
  stripAccents?: boolean;
  /** Lowercase (uncased models). Default true. */
  lowercase?: boolean;
}

/** The options with every default filled in. */
export type ResolvedNormalizerOptions = Required<BertNormalizerOptions>;

/** Fills the defaults of {@link BertNormalizerOptions} (strip accents follows lowercase, as in HF). */
export function resolveNormalizerOptions(options: BertNormalizerOptions = {}): ResolvedNormalizerOptions {
  const { cleanText = true, handleChineseChars = true, lowercase = true } = options;
  return { cleanText, handleChineseChars, lowercase, stripAccents: options.stripAccents ?? lowercase };
}

/**
 * Maps one code point to its normalised text (without the CJK spaces, which the pre-tokeniser adds as word
 * boundaries). Returns "" when the character is deleted and " " for whitespace under `cleanText`.
 */
export function normalizeCodePoint(codePoint: number, options: ResolvedNormalizerOptions): string {
  const cls = CHAR_CLASS[codePoint]!;
  if (options.cleanText) {
    if (cls & CHAR_REMOVED || codePoint === 0 || codePoint === 0xfffd) return "";
    if (cls & CHAR_WHITESPACE) return " ";
  }
  let text = codePoint >= 0xd800 && codePoint <= 0xdfff ? "\ufffd" : String.fromCodePoint(codePoint);
  if (options.stripAccents) {
    const decomposed = cls & CHAR_NO_DECOMPOSITION ? text : text.normalize("NFD");
    let kept = "";
    for (const ch of decomposed) if (!(CHAR_CLASS[ch.codePointAt(0)!]! & CHAR_NONSPACING_MARK)) kept += ch;
    text = kept;
  }
  if (options.lowercase) {
    let lower = "";
    for (const ch of text) lower += ch.toLowerCase();
    text = lower;
  }
  return text;
}

/** A per-options cache of {@link normalizeCodePoint} for non-ASCII code points. */
export class CodePointNormalizer {
  readonly options: ResolvedNormalizerOptions;
  private readonly cache = new Map<number, string>();

  constructor(options: BertNormalizerOptions = {}) {
    this.options = resolveNormalizerOptions(options);
  }

  /** The normalised text of one code point (cached). */
  map(codePoint: number): string {
    let out = this.cache.get(codePoint);
    if (out === undefined) {
      out = normalizeCodePoint(codePoint, this.options);
      this.cache.set(codePoint, out);
    }
    return out;
  }
}

/**
 * Normalises a text the way HF's `BertNormalizer` does (spaces around CJK included).
 * @param text any JS string (lone surrogates count as U+FFFD, as they do when they reach Rust)
 * @returns the normalised string
 */
export function normalizeBert(text: string, options: BertNormalizerOptions = {}): string {
  const resolved = resolveNormalizerOptions(options);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    const mapped = normalizeCodePoint(cp, resolved);
    out += resolved.handleChineseChars && CHAR_CLASS[cp]! & CHAR_CJK ? ` ${mapped} ` : mapped;
  }
  return out;
}
