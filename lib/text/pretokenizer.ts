/**
 * BERT pre-tokenisation (HF `BertPreTokenizer`) fused with normalisation: one pass over the ORIGINAL text that
 * yields the normalised words and, for every UTF-16 unit of a word, the span of original text it came from.
 * Words split on whitespace (removed) and punctuation (kept as one-char words); CJK ideographs are one word each.
 * ASCII takes a table-driven fast path and a word that needs no rewriting is one `slice` (+ `toLowerCase`).
 */
import { CHAR_CJK, CHAR_CLASS, CHAR_PUNCTUATION, CHAR_REMOVED, CHAR_SPLIT_SPACE } from "./char-classes";
import { type BertNormalizerOptions, type ResolvedNormalizerOptions, resolveNormalizerOptions, normalizeCodePoint } from "./normalizer";

/** A normalised word and the span `[start, end)` of the original text (UTF-16 indices) it covers. */
export interface PreTokenizedWord {
  text: string;
  start: number;
  end: number;
}

/**
 * Receives one word: its normalised text and, for unit `k < text.length`, `unitStarts[k]`/`unitEnds[k]`, the
 * original span of the character that produced it. The arrays are scratch space, valid only during the call.
 */
export type WordSink = (text: string, unitStarts: Int32Array, unitEnds: Int32Array) => void;

const PLAIN = 1; // one output code point that is neither whitespace nor punctuation
interface Mapped {
  text: string;
  kind: number;
}

/** Splits texts into BERT words with offsets; keeps per-code-point caches, so reuse one instance. */
export class BertWordSplitter {
  readonly options: ResolvedNormalizerOptions;
  private readonly cache = new Map<number, Mapped>();
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);

  constructor(options: BertNormalizerOptions = {}) {
    this.options = resolveNormalizerOptions(options);
  }

  private mapped(codePoint: number): Mapped {
    let m = this.cache.get(codePoint);
    if (m === undefined) {
      const text = normalizeCodePoint(codePoint, this.options);
      const first = text.codePointAt(0) ?? 0;
      const single = text.length > 0 && text.length === (first > 0xffff ? 2 : 1);
      const plain = single && !(CHAR_CLASS[first]! & (CHAR_SPLIT_SPACE | CHAR_PUNCTUATION));
      m = { text, kind: plain ? PLAIN : 0 };
      this.cache.set(codePoint, m);
    }
    return m;
  }

  private grow(need: number): void {
    let size = this.starts.length;
    while (size < need) size *= 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  /**
   * Calls `sink` for every word of `text.slice(from, to)`, in order; offsets are indices into `text`.
   */
  split(text: string, sink: WordSink, from = 0, to = text.length): void {
    const { lowercase, cleanText, handleChineseChars } = this.options;
    let n = 0; // units in the current word
    let simple = true; // the word is text.slice(starts[0], ends[n-1]), lowercased if uncased
    let word = ""; // the word so far once it is not simple
    const materialize = (): void => {
      const raw = text.slice(this.starts[0]!, this.ends[n - 1]!);
      word = lowercase ? raw.toLowerCase() : raw;
      simple = false;
    };
    const flush = (): void => {
      if (n === 0) return;
      if (simple) {
        const raw = text.slice(this.starts[0]!, this.ends[n - 1]!);
        word = lowercase ? raw.toLowerCase() : raw;
      }
      sink(word, this.starts, this.ends);
      n = 0;
      word = "";
      simple = true;
    };
    const single = (piece: string, start: number, end: number): void => {
      if (this.starts.length < piece.length) this.grow(piece.length);
      for (let k = 0; k < piece.length; k++) {
        this.starts[k] = start;
        this.ends[k] = end;
      }
      sink(piece, this.starts, this.ends);
    };
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const cls = CHAR_CLASS[c]!;
        if (cleanText && cls & CHAR_REMOVED) {
          if (n > 0 && simple) materialize();
        } else if (cls & CHAR_SPLIT_SPACE) {
          flush();
        } else if (cls & CHAR_PUNCTUATION) {
          flush();
          single(text[i]!, i, i + 1);
        } else {
          if (n === this.starts.length) this.grow(n + 1);
          this.starts[n] = i;
          this.ends[n] = i + 1;
          n++;
          if (!simple) word += lowercase && c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i]!;
        }
        continue;
      }
      let cp = c;
      let end = i + 1;
      if (c >= 0xd800 && c <= 0xdbff && end < to) {
        const low = text.charCodeAt(end);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          end++;
        }
      }
      const m = this.mapped(cp);
      if (handleChineseChars && CHAR_CLASS[cp]! & CHAR_CJK) {
        flush();
        if (m.text.length > 0) single(m.text, i, end);
      } else if (m.kind === PLAIN) {
        if (n > 0 && simple) materialize();
        simple = false;
        if (n + 2 > this.starts.length) this.grow(n + 2);
        for (let k = 0; k < m.text.length; k++, n++) {
          this.starts[n] = i;
          this.ends[n] = end;
        }
        word += m.text;
      } else if (m.text.length === 0) {
        if (n > 0 && simple) materialize();
      } else {
        for (const ch of m.text) {
          const cls = CHAR_CLASS[ch.codePointAt(0)!]!;
          if (cls & CHAR_SPLIT_SPACE) flush();
          else if (cls & CHAR_PUNCTUATION) {
            flush();
            single(ch, i, end);
          } else {
            if (n > 0 && simple) materialize();
            simple = false;
            if (n + 2 > this.starts.length) this.grow(n + 2);
            for (let k = 0; k < ch.length; k++, n++) {
              this.starts[n] = i;
              this.ends[n] = end;
            }
            word += ch;
          }
        }
      }
      i = end - 1;
    }
    flush();
  }

  /** The words of `text` with their original spans (a convenience over {@link split}). */
  words(text: string): PreTokenizedWord[] {
    const out: PreTokenizedWord[] = [];
    this.split(text, (word, starts, ends) => out.push({ text: word, start: starts[0]!, end: ends[word.length - 1]! }));
    return out;
  }
}

/**
 * Normalises and pre-tokenises like HF's `BertNormalizer` + `BertPreTokenizer`.
 * @returns the words, each with the `[start, end)` span of `text` it came from
 */
export function preTokenizeBert(text: string, options: BertNormalizerOptions = {}): PreTokenizedWord[] {
  return new BertWordSplitter(options).words(text);
}
