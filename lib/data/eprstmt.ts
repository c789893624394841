/** EPRSTMT (FewCLUE): Chinese product-review sentiment; JSON Lines `{id, sentence, label: "Positive"|"Negative"}`. */
import { trimFormatWhitespace } from "../text/format-whitespace";
import { DataFormatError } from "./errors";
import { labelIndexer } from "./examples";
import type { ClassificationData, TextExample } from "./examples";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";
import { field, parseJsonLines } from "./jsonl";

/** Label names, spelled as in the data: `EPRSTMT_LABELS[label]`. */
export const EPRSTMT_LABELS = ["Negative", "Positive"] as const;

/**
 * Parses one EPRSTMT split.
 * @throws DataFormatError naming file and line: bad JSON, missing field, unknown label, empty sentence
 */
export function parseEprstmt(text: string, options: { file?: string } = {}): TextExample[] {
  const { file = "<eprstmt>" } = options;
  const toIndex = labelIndexer(EPRSTMT_LABELS);
  return parseJsonLines(text, { file }).map((entry) => {
    const sentence = trimFormatWhitespace(field(entry, "sentence", "string", file));
    if (sentence === "") throw new DataFormatError(file, entry.line, "empty sentence.");
    return { text: sentence, label: toIndex(field(entry, "label", "string", file), file, entry.line) };
  });
}

/** EPRSTMT FewCLUE splits: train_few_all / dev_few_all / test_public. */
export async function loadEprstmt(options: LoadOptions = {}): Promise<ClassificationData> {
  const name = "clue_eprstmt_fewclue";
  const dir = await datasetDir(name, options);
  const read = async (path: string): Promise<TextExample[]> => parseEprstmt(await readDatasetFile(name, dir, path), { file: `${dir}/${path}` });
  return { train: await read("train_few_all.json"), validation: await read("dev_few_all.json"), test: await read("test_public.json"), labels: [...EPRSTMT_LABELS] };
}
