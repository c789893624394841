/**
 * Code-point classes of BERT's BasicTokenizer, exactly as Hugging Face `tokenizers` (Rust) defines them.
 * One byte per code point (1.1 MB, built once): the hot loops look a class up instead of running a regex per char.
 * The ranges come from `unicode-tables.ts` (generated from the Rust binding, whose Unicode tables are older than
 * Node's ICU), so `\p{P}` or `\p{Mn}` in a newer Node never changes our ids.
 */
import {
  NONSPACING_MARK_RANGES,
  NO_DECOMPOSITION_RANGES,
  PUNCTUATION_RANGES,
  REMOVED_RANGES,
  WHITESPACE_RANGES,
} from "./unicode-tables";

/** Deleted by `clean_text`: \0, U+FFFD and the C* categories Cc, Cf, Co except \t \n \r. */
export const CHAR_REMOVED = 1;
/** Becomes a space under `clean_text`; a word boundary for the pre-tokeniser. */
export const CHAR_WHITESPACE = 2;
/** Isolated as its own word: ASCII punctuation ranges plus Unicode P* (HF `is_bert_punc`). */
export const CHAR_PUNCTUATION = 4;
/** Mn, dropped by `strip_accents` after NFD. */
export const CHAR_NONSPACING_MARK = 8;
/** A "Chinese character" (CJK ideograph) that gets spaces around it. */
export const CHAR_CJK = 16;
/** Has an NFD in Node's ICU that Rust's tables do not know yet: left as is. */
export const CHAR_NO_DECOMPOSITION = 32;
/** Whitespace for the pre-tokeniser only (Rust `char::is_whitespace` but a control char that `clean_text` deletes). */
export const CHAR_SPLIT_SPACE = 64;

/**
 * HF's CJK ranges (`tokenizers/src/normalizers/bert.rs`). Note 0x2B920, not google-research/bert's 0x2B820:
 * we copy the Rust crate, whose ids we promise to reproduce.
 */
export const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b920, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

function buildTable(): Uint8Array {
  const table = new Uint8Array(0x110000);
  const mark = (ranges: readonly (readonly [number, number])[], flag: number): void => {
    for (const [from, to] of ranges) for (let cp = from; cp <= to; cp++) table[cp]! |= flag;
  };
  mark(REMOVED_RANGES, CHAR_REMOVED);
  mark(WHITESPACE_RANGES, CHAR_WHITESPACE | CHAR_SPLIT_SPACE);
  mark([[0x0b, 0x0c], [0x85, 0x85]], CHAR_SPLIT_SPACE); // `char::is_whitespace`, only seen when clean_text is off
  mark(PUNCTUATION_RANGES, CHAR_PUNCTUATION);
  mark(NONSPACING_MARK_RANGES, CHAR_NONSPACING_MARK);
  mark(CJK_RANGES, CHAR_CJK);
  mark(NO_DECOMPOSITION_RANGES, CHAR_NO_DECOMPOSITION);
  // Lone surrogates: the Rust binding receives them as U+FFFD, which clean_text deletes.
  mark([[0xd800, 0xdfff]], CHAR_REMOVED);
  return table;
}

/** Class bits per code point (`CHAR_*` flags). */
export const CHAR_CLASS: Uint8Array = buildTable();

/** True for characters BERT's pre-tokeniser isolates as punctuation. */
export function isBertPunctuation(codePoint: number): boolean {
  return (CHAR_CLASS[codePoint]! & CHAR_PUNCTUATION) !== 0;
}

/** True for characters BERT's normaliser treats as whitespace (they become a plain space). */
export function isBertWhitespace(codePoint: number): boolean {
  return (CHAR_CLASS[codePoint]! & CHAR_WHITESPACE) !== 0;
}

/** True for characters BERT's `clean_text` deletes (control, format, private use, \0, U+FFFD). */
export function isBertControl(codePoint: number): boolean {
  return (CHAR_CLASS[codePoint]! & CHAR_REMOVED) !== 0;
}

/** True for CJK ideographs, which BERT surrounds with spaces (one token per character). */
export function isCjkCharacter(codePoint: number): boolean {
  return (CHAR_CLASS[codePoint]! & CHAR_CJK) !== 0;
}
