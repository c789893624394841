/**
 * Banking77 (Casanueva et al. 2020): CSV `text,category` (texts with commas or newlines are quoted, so a real
 * CSV parser is needed) and `categories.json`, the 77 label names. No validation split ships: we carve a seeded
 * stratified one out of train.
 */
import { Rng } from "../core/rng";
import { trimFormatWhitespace } from "../text/format-whitespace";
import { parseCsv, requireColumns } from "./csv";
import { DataFormatError } from "./errors";
import { labelIndexer } from "./examples";
import type { ClassificationData, TextExample } from "./examples";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";
import { stratifiedSplit } from "./split";

/**
 * Parses `categories.json`: a JSON array of distinct label strings.
 * @throws DataFormatError when it is not such an array
 */
export function parseBanking77Categories(text: string, options: { file?: string } = {}): string[] {
  const { file = "categories.json" } = options;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(file, 0, `invalid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
    throw new DataFormatError(file, 0, "expected a non-empty JSON array of label strings.");
  }
  if (new Set(value).size !== value.length) throw new DataFormatError(file, 0, "label names repeat.");
  return value as string[];
}

/**
 * Parses a Banking77 CSV against the label list.
 * @throws DataFormatError naming file and line: missing columns, empty text, a category not in `labels`
 */
export function parseBanking77(text: string, labels: readonly string[], options: { file?: string } = {}): TextExample[] {
  const { file = "<banking77>" } = options;
  const table = parseCsv(text, { file });
  const [textCol, categoryCol] = requireColumns(table, ["text", "category"], file) as [number, number];
  const toIndex = labelIndexer(labels);
  return table.rows.map((row, r) => {
    const line = table.rowLines[r] as number;
    const sentence = trimFormatWhitespace(row[textCol] as string);
    if (sentence === "") throw new DataFormatError(file, line, "empty text.");
    return { text: sentence, label: toIndex(row[categoryCol] as string, file, line) };
  });
}

/**
 * Banking77 with a validation split carved from train (stratified, seeded); test is the official test set.
 * @param options seed (default 0), validation fraction of train (default 0.1), plus where to find the files
 */
export async function loadBanking77(options: LoadOptions & { seed?: number; validation?: number } = {}): Promise<ClassificationData> {
  const { seed = 0, validation = 0.1, ...load } = options;
  const name = "banking77";
  const dir = await datasetDir(name, load);
  const labels = parseBanking77Categories(await readDatasetFile(name, dir, "categories.json"), { file: `${dir}/categories.json` });
  const full = parseBanking77(await readDatasetFile(name, dir, "train.csv"), labels, { file: `${dir}/train.csv` });
  const test = parseBanking77(await readDatasetFile(name, dir, "test.csv"), labels, { file: `${dir}/test.csv` });
  const { train, validation: val } = stratifiedSplit(full, (e) => e.label, new Rng(seed), { validation, test: 0 });
  return { train, validation: val, test, labels };
}
