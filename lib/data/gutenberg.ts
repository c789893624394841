/**
 * Project Gutenberg plain-text books: UTF-8 with BOM, CRLF, hard-wrapped lines. The book is what lies strictly
 * between the `*** START OF ...` and `*** END OF ...` marker lines (the rest is the Gutenberg header and license;
 * older releases write `***START OF` with no space, and the license's own `*** START: FULL LICENSE` is no marker);
 * paragraphs are runs of non-blank lines, re-joined with single spaces. "Blank" and trimming mean ASCII spaces and
 * tabs only: a line holding U+00A0 or U+2028 is text, as the file says.
 */
import { isBlankLine, trimFormatWhitespace } from "../text/format-whitespace";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";
import { datasetSpec } from "./manifest";

/** The marker lines (`gutenberg_english_more/SOURCE.md`: all three spellings occur; `*** START:` is the license's). */
const START = /^\s*\*\*\*\s*START OF/;
const END = /^\s*\*\*\*\s*END OF/;

/** The registered folders of English Gutenberg books `loadGutenberg` reads. */
export type GutenbergDataset = "gutenberg_english_prose" | "gutenberg_english_more";

/** One book without the Gutenberg boilerplate. */
export interface GutenbergBook {
  /** File name, e.g. `pg1342.txt`. */
  file: string;
  /** From the `Title:` header line ("" when absent). */
  title: string;
  /** From the `Author:` header line ("" when absent). */
  author: string;
  /** Paragraphs of the book, each on one line. */
  paragraphs: string[];
  /** 1-based lines of the START and END markers. */
  startLine: number;
  endLine: number;
}

/**
 * Strips the header and footer of a Gutenberg text and splits it into paragraphs.
 * @throws DataFormatError naming the file (and line) when the START or END marker is missing or out of order
 */
export function parseGutenberg(text: string, options: { file?: string } = {}): GutenbergBook {
  const { file = "<gutenberg>" } = options;
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataFormatError(file, 0, "file is empty.");
  const start = lines.findIndex((l) => START.test(l));
  if (start < 0) throw new DataFormatError(file, 0, 'no "*** START OF ..." marker line; is this a Project Gutenberg text?');
  const endRel = lines.slice(start + 1).findIndex((l) => END.test(l));
  if (endRel < 0) throw new DataFormatError(file, start + 1, 'no "*** END OF ..." marker after the START marker here.');
  const end = start + 1 + endRel;
  const header = (key: string): string => trimFormatWhitespace(lines.slice(0, start).find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1) ?? "");
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of lines.slice(start + 1, end)) {
    if (isBlankLine(line)) {
      if (current.length > 0) paragraphs.push(current.join(" "));
      current = [];
    } else {
      current.push(trimFormatWhitespace(line));
    }
  }
  if (current.length > 0) paragraphs.push(current.join(" "));
  return { file, title: header("Title"), author: header("Author"), paragraphs, startLine: start + 1, endLine: end + 1 };
}

/** Every book of `gutenberg_english_prose` (or of `options.dataset`, e.g. `gutenberg_english_more`), boilerplate stripped. */
export async function loadGutenberg(options: LoadOptions & { dataset?: GutenbergDataset } = {}): Promise<GutenbergBook[]> {
  const { dataset: name = "gutenberg_english_prose", ...load } = options;
  const dir = await datasetDir(name, load);
  const books: GutenbergBook[] = [];
  for (const { path } of datasetSpec(name).files) {
    const book = parseGutenberg(await readDatasetFile(name, dir, path), { file: `${dir}/${path}` });
    books.push({ ...book, file: path });
  }
  return books;
}
