/**
 * The pretraining corpus as documents with their source, cleaned: Gutenberg credits and license lines dropped,
 * books not in English dropped, exact duplicates (after normalising case, width and spaces) kept once, and every
 * document that is also a validation or test sentence of ANY course task dropped — a pretrained model must not
 * have read the sentences it is later scored on (Financial PhraseBank's agreement levels are split separately,
 * so the 50 % level's *train* split holds sentences of the all-agree *test* split).
 * Plain arrays in and out: `cleanCorpus` is the rule, `loadPretrainingCorpus` feeds it from the registry.
 */
import { datasetTexts } from "../data/texts";
import { loadGutenberg, type GutenbergDataset } from "../data/gutenberg";
import type { LoadOptions } from "../data/files";
import type { ChineseScript } from "../text/chinese-script";
import { ENGLISH_STOPWORDS } from "../text/stopwords";

/** One document (a paragraph of a book, a task sentence) and the dataset it came from. */
export interface CorpusDocument {
  source: string;
  text: string;
}

/** What cleaning did to one source. */
export interface SourceCleaning {
  source: string;
  /** Documents before cleaning. */
  documents: number;
  kept: number;
  /** Credits, license and marker lines, text-free lines. */
  boilerplate: number;
  /** Copies of a document kept earlier (this source or one before it). */
  duplicates: number;
  /** Documents that are a validation or test sentence of a task. */
  leaked: number;
  /** Books left out whole, with why (e.g. `pg24823.txt (not English)`). */
  droppedBooks: string[];
}

/** A cleaned corpus: its documents in source order, and the cleaning report per source. */
export interface PretrainingCorpus {
  documents: CorpusDocument[];
  cleaning: SourceCleaning[];
}

/** The datasets whose validation and test sentences no corpus may hold: every course task's. */
export const TASK_TEXT_DATASETS = ["financial_phrasebank", "sst2", "banking77", "conll2003", "clue_tnews_fewclue", "clue_eprstmt_fewclue"] as const;

/** The comparison key of a document: Unicode NFKC (full-width → ASCII), lower case, runs of space as one. */
export function documentKey(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Project Gutenberg's own lines inside a book's markers: producer credits, editor's notes, the "End of …" line, links. */
export function isGutenbergBoilerplate(paragraph: string): boolean {
  return (
    /project gutenberg|gutenberg\.org|\bpglaf\b/i.test(paragraph) ||
    /^(produced|transcribed|prepared|e-?text prepared) (by|from)\b/i.test(paragraph) ||
    /^cover$/i.test(paragraph.trim()) ||
    /https?:\/\/|www\.|\S+@\S+\.[a-z]{2,}/i.test(paragraph) ||
    /\*\*\*\s*$/.test(paragraph) // the tail of a START marker wrapped onto a second line
  );
}

/** Share of the words of `texts` that are English stopwords (`ENGLISH_STOPWORDS`): 0.44–0.58 for the 41 English books of the registry, 0.03 for the Spanish one. */
export function englishStopwordShare(texts: readonly string[]): number {
  let words = 0;
  let hits = 0;
  for (const text of texts) {
    for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
      words++;
      if (ENGLISH_STOPWORDS.has(word)) hits++;
    }
  }
  return words === 0 ? 0 : hits / words;
}

/** A book counts as English when at least this share of its words are English stopwords. */
export const ENGLISH_BOOK_MIN_STOPWORD_SHARE = 0.15;

/**
 * Cleans sources in order (see the file comment): a duplicate is dropped from the later source.
 * @param sources each source's documents; a source may give `books` instead (Gutenberg), checked for English first
 * @param evaluationTexts the task sentences no document may equal (after `documentKey`)
 */
export function cleanCorpus(sources: readonly { source: string; texts?: readonly string[]; books?: readonly { file: string; paragraphs: readonly string[] }[] }[], evaluationTexts: Iterable<string>): PretrainingCorpus {
  const forbidden = new Set<string>();
  for (const text of evaluationTexts) forbidden.add(documentKey(text));
  const seen = new Set<string>();
  const documents: CorpusDocument[] = [];
  const cleaning: SourceCleaning[] = [];
  for (const { source, texts = [], books = [] } of sources) {
    const report: SourceCleaning = { source, documents: texts.length, kept: 0, boilerplate: 0, duplicates: 0, leaked: 0, droppedBooks: [] };
    const candidates = [...texts];
    for (const book of books) {
      report.documents += book.paragraphs.length;
      if (englishStopwordShare(book.paragraphs) < ENGLISH_BOOK_MIN_STOPWORD_SHARE) {
        report.droppedBooks.push(`${book.file} (not English)`);
        continue;
      }
      for (const paragraph of book.paragraphs) {
        if (isGutenbergBoilerplate(paragraph)) report.boilerplate++;
        else candidates.push(paragraph);
      }
    }
    for (const text of candidates) {
      const key = documentKey(text);
      if (!/[\p{L}\p{N}]/u.test(key)) report.boilerplate++;
      else if (forbidden.has(key)) report.leaked++;
      else if (seen.has(key)) report.duplicates++;
      else {
        seen.add(key);
        documents.push({ source, text });
        report.kept++;
      }
    }
    cleaning.push(report);
  }
  return { documents, cleaning };
}

/** Options of `loadPretrainingCorpus`. */
export interface PretrainingCorpusOptions extends LoadOptions {
  /** `gutenberg_chinese` in Simplified (default) or its original Traditional characters. */
  script?: ChineseScript;
  /** Datasets whose validation + test sentences are dropped (default: every task's, `TASK_TEXT_DATASETS`). */
  evaluationDatasets?: readonly string[];
}

/**
 * Loads `sources` (datasets of `TEXT_DATASETS`; labelled ones give their TRAIN split) and cleans them (`cleanCorpus`).
 * @throws Error for a dataset without running text, or one missing from the cache/mirror
 */
export async function loadPretrainingCorpus(sources: readonly string[], options: PretrainingCorpusOptions = {}): Promise<PretrainingCorpus> {
  const { script, evaluationDatasets = TASK_TEXT_DATASETS, ...load } = options;
  const loaded = [];
  for (const source of sources) {
    if (source === "gutenberg_english_prose" || source === "gutenberg_english_more") loaded.push({ source, books: await loadGutenberg({ ...load, dataset: source as GutenbergDataset }) });
    else loaded.push({ source, texts: await datasetTexts(source, { ...load, script }) });
  }
  const evaluation: string[] = [];
  for (const name of evaluationDatasets) for (const text of await datasetTexts(name, { ...load, splits: "evaluation" })) evaluation.push(text);
  return cleanCorpus(loaded, evaluation);
}
