/**
 * CoNLL-2003 (Tjong Kim Sang & De Meulder 2003): one token per line, 4 columns separated by ASCII spaces (tabs tolerated)
 * `token POS chunk NER`; a blank line ends a sentence; `-DOCSTART- -X- -X- O` starts a document.
 * Tags are IOB: IOB1 (the original files: `I-` by default, `B-` only between two adjacent entities of the same
 * type) or IOB2 (every entity starts with `B-`). `iobScheme` tells which one a file uses; `iob1ToIob2` converts.
 */
import { isBlankLine, splitFields } from "../text/format-whitespace";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";

/** One sentence: parallel arrays, one entry per token. */
export interface NerExample {
  tokens: string[];
  /** Penn Treebank part-of-speech tags. */
  pos: string[];
  /** Syntactic chunk tags (IOB). */
  chunks: string[];
  /** Named-entity tags (IOB; `O`, `B-PER`, `I-LOC`, ...). */
  tags: string[];
  /** 0-based document index (counted from `-DOCSTART-` lines). */
  document: number;
  /** 1-based line of the first token. */
  line: number;
}

const TAG = /^(O|[BI]-[A-Za-z]+)$/;

/**
 * Parses CoNLL-2003 text.
 * @returns the sentences and the number of documents
 * @throws DataFormatError naming file and line: not 4 columns, a malformed NER tag, no sentences
 */
export function parseConll(text: string, options: { file?: string } = {}): { sentences: NerExample[]; documents: number } {
  const { file = "<conll>" } = options;
  const sentences: NerExample[] = [];
  let documents = 0;
  let current: NerExample | null = null;
  const flush = (): void => {
    if (current !== null) sentences.push(current);
    current = null;
  };
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (isBlankLine(raw)) {
      flush();
      return;
    }
    const cols = splitFields(raw); // ASCII spaces/tabs only: a token may hold U+00A0 or U+200B
    if (cols[0] === "-DOCSTART-") {
      flush();
      documents++;
      return;
    }
    if (cols.length !== 4) throw new DataFormatError(file, line, `expected 4 columns (token POS chunk NER), got ${cols.length}: ${JSON.stringify(raw)}.`);
    const [token, pos, chunk, tag] = cols as [string, string, string, string];
    if (!TAG.test(tag)) throw new DataFormatError(file, line, `NER tag ${JSON.stringify(tag)} is not IOB (O, B-TYPE or I-TYPE).`);
    current ??= { tokens: [], pos: [], chunks: [], tags: [], document: Math.max(0, documents - 1), line };
    current.tokens.push(token);
    current.pos.push(pos);
    current.chunks.push(chunk);
    current.tags.push(tag);
  });
  flush();
  if (sentences.length === 0) throw new DataFormatError(file, 0, "no sentences (file is empty or only -DOCSTART- lines).");
  return { sentences, documents };
}

/** The IOB variant of tag sequences; "ambiguous" when nothing tells them apart (e.g. only single-type runs of `O`). */
export type IobScheme = "IOB1" | "IOB2" | "ambiguous";

/**
 * Which IOB scheme the sequences use. IOB2 forbids `I-X` after anything but `B-X`/`I-X`; IOB1 uses `B-X` only right
 * after an `X` entity, so a `B-X` after `O` or another type proves IOB2, an `I-X` that opens an entity proves IOB1.
 * @throws Error when both occur (a mixed file)
 */
export function iobScheme(sequences: readonly (readonly string[])[]): IobScheme {
  let iob1 = false;
  let iob2 = false;
  for (const tags of sequences) {
    let prevType = "";
    for (const tag of tags) {
      const type = tag === "O" ? "" : tag.slice(2);
      if (tag.startsWith("I-") && type !== prevType) iob1 = true;
      if (tag.startsWith("B-") && type !== prevType) iob2 = true;
      prevType = type;
    }
  }
  if (iob1 && iob2) throw new Error("tags mix IOB1 (I- opening an entity) and IOB2 (B- after O or another type)");
  return iob1 ? "IOB1" : iob2 ? "IOB2" : "ambiguous";
}

/** Converts IOB1 tags to IOB2: an `I-X` that opens an entity becomes `B-X`. IOB2 input comes back unchanged. */
export function iob1ToIob2(tags: readonly string[]): string[] {
  return tags.map((tag, i) => {
    const prev = i > 0 ? (tags[i - 1] as string) : "O";
    return tag.startsWith("I-") && (prev === "O" || prev.slice(2) !== tag.slice(2)) ? `B-${tag.slice(2)}` : tag;
  });
}

/** The CoNLL-2003 splits, the NER tag names (sorted, `O` first) and the scheme found. */
export interface Conll2003 {
  train: NerExample[];
  validation: NerExample[];
  test: NerExample[];
  tagNames: string[];
  scheme: IobScheme;
}

/** CoNLL-2003 English: train (eng.train), validation (eng.testa = dev.txt), test (eng.testb). */
export async function loadConll2003(options: LoadOptions = {}): Promise<Conll2003> {
  const name = "conll2003";
  const dir = await datasetDir(name, options);
  const read = async (path: string): Promise<NerExample[]> => parseConll(await readDatasetFile(name, dir, path), { file: `${dir}/${path}` }).sentences;
  const train = await read("train.txt");
  const validation = await read("dev.txt");
  const test = await read("test.txt");
  const all = [...train, ...validation, ...test];
  const tagNames = [...new Set(all.flatMap((s) => s.tags))].sort((a, b) => (a === "O" ? -1 : b === "O" ? 1 : a.slice(2).localeCompare(b.slice(2)) || a.localeCompare(b)));
  return { train, validation, test, tagNames, scheme: iobScheme(all.map((s) => s.tags)) };
}
