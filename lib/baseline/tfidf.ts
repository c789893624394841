/**
 * TF-IDF features, as scikit-learn's `TfidfVectorizer`: count word n-grams per text, keep the n-grams that enough
 * texts contain, weight each count by its inverse document frequency, normalise each row.
 *
 *   idf(t) = ln((1 + n) / (1 + df(t))) + 1      (`smoothIdf`, the default: as if one extra text held every term)
 *   idf(t) = ln(n / df(t)) + 1                  (without smoothing)
 *   tf     = count, or 1 + ln(count) with `sublinearTf`
 *   row    = tf · idf, divided by its L2 (or L1) norm
 *
 * Tokens: BERT's pre-tokeniser by default (lowercase, accents stripped, punctuation split off, every CJK character
 * its own word — so Chinese gets character n-grams), or the simple regex `simpleWords`, or your own function.
 */
import { BertWordSplitter } from "../text/pretokenizer";
import { simpleWords } from "../text/clean";
import { ENGLISH_STOPWORDS } from "../text/stopwords";
import { csrFromRows } from "./sparse";
import type { SparseMatrix } from "./sparse";

/** Options of {@link TfidfVectorizer}; defaults as scikit-learn's except `ngramRange` (1–2 here, 1–1 there). */
export interface TfidfOptions {
  /** Smallest and largest n-gram length, in words. Default [1, 2]: bigrams catch "not good". */
  ngramRange?: readonly [number, number];
  /** Keep terms in at least this many texts (≥ 1), or this fraction of texts (< 1). Default 1 (keep all). */
  minDf?: number;
  /** Drop terms in more than this fraction of texts (≤ 1) or this many texts (> 1). Default 1.0 (drop none). */
  maxDf?: number;
  /** Keep only the this many most frequent terms (by total count). Default: all. */
  maxFeatures?: number;
  /** tf = 1 + ln(count) instead of count. Default false (scikit-learn's default). */
  sublinearTf?: boolean;
  /** Add one to document frequencies (see the file header). Default true. */
  smoothIdf?: boolean;
  /** Row normalisation. Default "l2". */
  norm?: "l2" | "l1" | null;
  /** Words to drop before n-grams are formed: a set (lowercase), or "english" for lib/text's `ENGLISH_STOPWORDS`. */
  stopwords?: ReadonlySet<string> | "english";
  /** "bert" (default; BERT pre-tokeniser), "words" (`simpleWords`: letters/digits, no punctuation), or a function. */
  tokenizer?: "bert" | "words" | ((text: string) => string[]);
}

/** Words → n-grams joined by one space (scikit-learn's spelling of a bigram: "not good"). */
function ngrams(words: readonly string[], [lo, hi]: readonly [number, number]): string[] {
  const out: string[] = [];
  for (let n = lo; n <= hi; n++) {
    for (let i = 0; i + n <= words.length; i++) out.push(n === 1 ? words[i]! : words.slice(i, i + n).join(" "));
  }
  return out;
}

/** Converts texts into TF-IDF rows. `fit` learns the vocabulary and IDF; `transform` applies them. */
export class TfidfVectorizer {
  readonly options: Required<Omit<TfidfOptions, "maxFeatures" | "stopwords">> & Pick<TfidfOptions, "maxFeatures" | "stopwords">;
  /** Term → column, columns in alphabetical (code unit) order of the terms, as scikit-learn. Empty before `fit`. */
  vocabulary = new Map<string, number>();
  /** IDF per column. Empty before `fit`. */
  idf = new Float64Array(0);
  private readonly splitter = new BertWordSplitter();
  private readonly stopSet: ReadonlySet<string> | null;

  constructor(options: TfidfOptions = {}) {
    const { ngramRange = [1, 2], minDf = 1, maxDf = 1.0, sublinearTf = false, smoothIdf = true, norm = "l2", tokenizer = "bert" } = options;
    const [lo, hi] = ngramRange;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1 && hi >= lo)) throw new Error(`TfidfVectorizer: ngramRange must be integers 1 <= lo <= hi, got [${lo}, ${hi}].`);
    if (!(minDf > 0)) throw new Error(`TfidfVectorizer: minDf must be > 0 (a count >= 1 or a fraction < 1), got ${minDf}.`);
    this.options = { ngramRange, minDf, maxDf, sublinearTf, smoothIdf, norm, tokenizer, maxFeatures: options.maxFeatures, stopwords: options.stopwords };
    this.stopSet = options.stopwords === "english" ? ENGLISH_STOPWORDS : options.stopwords ?? null;
  }

  /** The words of one text after tokenisation and stopword removal (before n-grams). */
  words(text: string): string[] {
    const { tokenizer } = this.options;
    const words = tokenizer === "bert" ? this.splitter.words(text).map((w) => w.text) : tokenizer === "words" ? simpleWords(text) : tokenizer(text);
    const stop = this.stopSet;
    return stop === null ? words : words.filter((w) => !stop.has(w.toLowerCase()));
  }

  /** The n-grams of one text, with repeats (what gets counted). */
  terms(text: string): string[] {
    return ngrams(this.words(text), this.options.ngramRange);
  }

  /** Learns vocabulary and IDF from `texts`. @returns this */
  fit(texts: readonly string[]): this {
    this.fitTransform(texts);
    return this;
  }

  /**
   * Learns vocabulary and IDF and returns the TF-IDF matrix of `texts` (one row per text).
   * @throws Error when no term survives `minDf`/`maxDf` (say which to loosen)
   */
  fitTransform(texts: readonly string[]): SparseMatrix {
    const { minDf, maxDf, maxFeatures, smoothIdf } = this.options;
    const n = texts.length;
    if (n === 0) throw new Error("TfidfVectorizer.fit: no texts.");
    const counts = texts.map((t) => this.count(t));
    const df = new Map<string, number>();
    const total = new Map<string, number>();
    for (const row of counts) {
      for (const [term, c] of row) {
        df.set(term, (df.get(term) ?? 0) + 1);
        total.set(term, (total.get(term) ?? 0) + c);
      }
    }
    const minCount = minDf < 1 ? minDf * n : minDf; // scikit-learn keeps df >= min_df·n for a fraction
    const maxCount = maxDf <= 1 ? maxDf * n : maxDf;
    let kept = [...df.keys()].filter((t) => df.get(t)! >= minCount && df.get(t)! <= maxCount);
    if (maxFeatures !== undefined && kept.length > maxFeatures) {
      // Most frequent first; ties by term so the choice does not depend on Map order.
      kept = kept.sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxFeatures);
    }
    if (kept.length === 0) throw new Error(`TfidfVectorizer.fit: no term is in at least minDf=${minDf} and at most maxDf=${maxDf} texts; lower minDf or raise maxDf.`);
    kept.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.vocabulary = new Map(kept.map((t, j) => [t, j]));
    this.idf = Float64Array.from(kept, (t) => {
      const d = df.get(t)!;
      return smoothIdf ? Math.log((1 + n) / (1 + d)) + 1 : Math.log(n / d) + 1;
    });
    return this.weigh(counts);
  }

  /**
   * TF-IDF rows of `texts` with the fitted vocabulary (unknown terms are ignored).
   * @throws Error before `fit`
   */
  transform(texts: readonly string[]): SparseMatrix {
    if (this.vocabulary.size === 0) throw new Error("TfidfVectorizer.transform: call fit(texts) first.");
    return this.weigh(texts.map((t) => this.count(t)));
  }

  /** Column names: `featureNames()[j]` is the term of column `j`. */
  featureNames(): string[] {
    return [...this.vocabulary.keys()];
  }

  private count(text: string): Map<string, number> {
    const row = new Map<string, number>();
    for (const term of this.terms(text)) row.set(term, (row.get(term) ?? 0) + 1);
    return row;
  }

  private weigh(counts: readonly Map<string, number>[]): SparseMatrix {
    const { sublinearTf, norm } = this.options;
    const rows = counts.map((row) => {
      const out = new Map<number, number>();
      for (const [term, c] of row) {
        const j = this.vocabulary.get(term);
        if (j !== undefined) out.set(j, (sublinearTf ? 1 + Math.log(c) : c) * this.idf[j]!);
      }
      if (norm !== null) {
        let s = 0;
        for (const v of out.values()) s += norm === "l2" ? v * v : Math.abs(v);
        const scale = norm === "l2" ? Math.sqrt(s) : s;
        if (scale > 0) for (const [j, v] of out) out.set(j, v / scale); // an all-unknown text stays a zero row
      }
      return out;
    });
    return csrFromRows(rows, this.vocabulary.size);
  }
}
