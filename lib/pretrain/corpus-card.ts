/**
 * A corpus card (in the spirit of datasheets for datasets, Gebru et al. 2021): per source, how much text it gives
 * after cleaning, in which language, under which license, and what cleaning removed. Sizes are counted the way
 * the small-data literature counts them: words for English (BabyLM's "10 M words"), Han characters for Chinese.
 */
import { datasetSpec } from "../data/manifest";
import type { BertTokenizer } from "../text/tokenizer";
import type { PretrainingCorpus } from "./pretraining-corpus";

/** One row of the card. */
export interface CorpusCardRow {
  source: string;
  /** `zh` when most letters are Han characters, else `en`. */
  language: "en" | "zh";
  documents: number;
  /** UTF-16 code units (= characters here: no text of the course lies outside the BMP). */
  characters: number;
  /** Runs of non-Han letters or digits (English words). */
  words: number;
  hanCharacters: number;
  /** WordPiece tokens, when a tokenizer was given. */
  tokens?: number;
  /** This source's share of the corpus in words + Han characters. */
  share: number;
  /** Removed by cleaning: credits/markers, duplicates, task validation/test sentences; books left out. */
  removed: { boilerplate: number; duplicates: number; leaked: number; books: string[] };
  license: string;
}

/** The card: rows per source, a total row, and each language's share (words + Han characters). */
export interface CorpusCard {
  rows: CorpusCardRow[];
  total: Omit<CorpusCardRow, "source" | "language" | "license" | "removed"> & { removed: { boilerplate: number; duplicates: number; leaked: number; books: number } };
  languageShare: Record<string, number>;
}

const HAN = /\p{Script=Han}/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** Words (non-Han letter/digit runs) and Han characters of `text`. */
export function countWordsAndHan(text: string): { words: number; han: number } {
  const han = text.match(HAN)?.length ?? 0;
  const words = text.replace(HAN, " ").match(WORD)?.length ?? 0;
  return { words, han };
}

/**
 * The card of a cleaned corpus.
 * @param options `tokenizer` adds a token count (one `pieces` pass over the corpus: seconds for millions of words);
 * `license` overrides where a source's license is read from (default: the dataset registry's `license` field)
 */
export function corpusCard(corpus: PretrainingCorpus, options: { tokenizer?: BertTokenizer; license?: (source: string) => string } = {}): CorpusCard {
  const { tokenizer, license = (source: string) => datasetSpec(source).license } = options;
  const rows: CorpusCardRow[] = corpus.cleaning.map((c) => ({
    source: c.source,
    language: "en",
    documents: 0,
    characters: 0,
    words: 0,
    hanCharacters: 0,
    ...(tokenizer === undefined ? {} : { tokens: 0 }),
    share: 0,
    removed: { boilerplate: c.boilerplate, duplicates: c.duplicates, leaked: c.leaked, books: c.droppedBooks },
    license: license(c.source),
  }));
  const bySource = new Map(rows.map((r) => [r.source, r]));
  for (const { source, text } of corpus.documents) {
    const row = bySource.get(source);
    if (row === undefined) continue;
    const { words, han } = countWordsAndHan(text);
    row.documents++;
    row.characters += text.length;
    row.words += words;
    row.hanCharacters += han;
    if (row.tokens !== undefined && tokenizer !== undefined) row.tokens += tokenizer.pieces(text).ids.length;
  }
  const units = (r: { words: number; hanCharacters: number }) => r.words + r.hanCharacters;
  const all = rows.reduce((n, r) => n + units(r), 0);
  const languageShare: Record<string, number> = {};
  for (const row of rows) {
    row.language = row.hanCharacters > row.words ? "zh" : "en";
    row.share = all === 0 ? 0 : units(row) / all;
    languageShare[row.language] = (languageShare[row.language] ?? 0) + row.share;
  }
  const sum = (f: (r: CorpusCardRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const total = {
    documents: sum((r) => r.documents),
    characters: sum((r) => r.characters),
    words: sum((r) => r.words),
    hanCharacters: sum((r) => r.hanCharacters),
    ...(tokenizer === undefined ? {} : { tokens: sum((r) => r.tokens ?? 0) }),
    share: all === 0 ? 0 : 1,
    removed: { boilerplate: sum((r) => r.removed.boilerplate), duplicates: sum((r) => r.removed.duplicates), leaked: sum((r) => r.removed.leaked), books: sum((r) => r.removed.books.length) },
  };
  return { rows, total, languageShare };
}

/** The card as table rows for `lib/plot`'s `table` / console.table (numbers rounded, license shortened to its first clause). */
export function corpusCardTable(card: CorpusCard): Record<string, string | number>[] {
  const row = (r: CorpusCardRow) => ({
    source: r.source,
    language: r.language,
    documents: r.documents,
    words: r.words,
    "Han chars": r.hanCharacters,
    ...(r.tokens === undefined ? {} : { tokens: r.tokens }),
    share: `${(100 * r.share).toFixed(1)} %`,
    "dropped (dup / leak / boilerplate)": `${r.removed.duplicates} / ${r.removed.leaked} / ${r.removed.boilerplate}${r.removed.books.length > 0 ? `; ${r.removed.books.join(", ")}` : ""}`,
    license: r.license.split(/;| \(/)[0]?.trim() ?? r.license,
  });
  const t = card.total;
  return [
    ...card.rows.map(row),
    {
      source: "total",
      language: Object.entries(card.languageShare).map(([l, s]) => `${l} ${(100 * s).toFixed(0)} %`).join(", "),
      documents: t.documents,
      words: t.words,
      "Han chars": t.hanCharacters,
      ...(t.tokens === undefined ? {} : { tokens: t.tokens }),
      share: "100 %",
      "dropped (dup / leak / boilerplate)": `${t.removed.duplicates} / ${t.removed.leaked} / ${t.removed.boilerplate}${t.removed.books > 0 ? `; ${t.removed.books} book(s)` : ""}`,
      license: "",
    },
  ];
}
