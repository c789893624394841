/**
 * The STS Benchmark (Cer et al. 2017): English sentence pairs scored 0–5 for semantic similarity. The original
 * files are tab-separated despite their `.csv` name and NOT quoted — sentences contain unbalanced `"` — so each
 * line is split on tabs only: `genre, filename, year, id, score, sentence1, sentence2[, license, attribution]`.
 */
import { isBlankLine } from "../text/format-whitespace";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import { datasetDir, readDatasetFile, type LoadOptions } from "./files";

/** One scored pair. */
export interface SentencePair {
  sentence1: string;
  sentence2: string;
  /** Gold similarity in [0, 5]. */
  score: number;
  genre: string;
}

/** The three splits. */
export interface StsBenchmark {
  train: SentencePair[];
  dev: SentencePair[];
  test: SentencePair[];
}

/**
 * Parses one STS-B file.
 * @throws DataFormatError naming file and line: fewer than 7 or more than 9 fields, a score outside [0, 5], an empty sentence
 */
export function parseStsb(text: string, options: { file?: string } = {}): SentencePair[] {
  const { file = "<stsb>" } = options;
  const out: SentencePair[] = [];
  splitLines(text).forEach((line, i) => {
    if (line === "") return;
    const f = line.split("\t");
    if (f.length < 7 || f.length > 9) throw new DataFormatError(file, i + 1, `expected 7 to 9 tab-separated fields (genre, filename, year, id, score, sentence1, sentence2[, 2 attribution fields]), got ${f.length}; split on tabs only, never with a quote-aware CSV parser.`);
    const score = Number(f[4]);
    if (!(score >= 0 && score <= 5)) throw new DataFormatError(file, i + 1, `score ${JSON.stringify(f[4])} is not a number in [0, 5].`);
    const [sentence1, sentence2] = [f[5] as string, f[6] as string];
    if (isBlankLine(sentence1) || isBlankLine(sentence2)) throw new DataFormatError(file, i + 1, "empty sentence.");
    out.push({ sentence1, sentence2, score, genre: f[0] as string });
  });
  if (out.length === 0) throw new DataFormatError(file, 0, "no sentence pairs.");
  return out;
}

/** STS-B from the registry (or `options.dir`). */
export async function loadStsb(options: LoadOptions = {}): Promise<StsBenchmark> {
  const dir = await datasetDir("stsb", options);
  const read = async (path: string) => parseStsb(await readDatasetFile("stsb", dir, path), { file: `${dir}/${path}` });
  return { train: await read("sts-train.csv"), dev: await read("sts-dev.csv"), test: await read("sts-test.csv") };
}
