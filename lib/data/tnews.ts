/**
 * TNEWS (FewCLUE): Chinese headline topics. JSON Lines with an integer `label` code (100..116, 105 and 111 unused)
 * and `sentence`; `label_index2en2zh.json` (also JSON Lines) maps the code — as a string — to English and Chinese
 * names. Our `label` is the index of the code in ascending order.
 */
import { trimFormatWhitespace } from "../text/format-whitespace";
import { DataFormatError } from "./errors";
import type { ClassificationData, TextExample } from "./examples";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";
import { field, parseJsonLines } from "./jsonl";

/** A TNEWS label: its code, English and Chinese names. */
export interface TnewsLabel {
  code: number;
  en: string;
  zh: string;
}

/** A headline with its keywords (comma-separated in the source, split here). */
export interface TnewsExample extends TextExample {
  keywords: string[];
}

/**
 * Parses the label map; codes come as strings there ("100") and are converted.
 * @returns labels sorted by code
 */
export function parseTnewsLabels(text: string, options: { file?: string } = {}): TnewsLabel[] {
  const { file = "label_index2en2zh.json" } = options;
  const labels = parseJsonLines(text, { file }).map((entry) => {
    const raw = field(entry, "label", ["string", "number"], file);
    const code = Number(raw);
    if (!Number.isInteger(code)) throw new DataFormatError(file, entry.line, `label code ${JSON.stringify(raw)} is not an integer.`);
    return { code, en: field(entry, "label_desc", "string", file), zh: field(entry, "label_zh", "string", file) };
  });
  return labels.sort((a, b) => a.code - b.code);
}

/**
 * Parses a TNEWS split against the label map.
 * @throws DataFormatError naming file and line: bad JSON, missing fields, unknown label code
 */
export function parseTnews(text: string, labels: readonly TnewsLabel[], options: { file?: string } = {}): TnewsExample[] {
  const { file = "<tnews>" } = options;
  const index = new Map(labels.map((l, i) => [l.code, i]));
  return parseJsonLines(text, { file }).map((entry) => {
    const code = Number(field(entry, "label", ["number", "string"], file));
    const label = index.get(code);
    if (label === undefined) throw new DataFormatError(file, entry.line, `unknown label code ${code}; known codes ${labels.map((l) => l.code).join(", ")}.`);
    const sentence = trimFormatWhitespace(field(entry, "sentence", "string", file));
    if (sentence === "") throw new DataFormatError(file, entry.line, "empty sentence.");
    const keywords = field(entry, "keywords", "string", file);
    return { text: sentence, label, keywords: keywords === "" ? [] : keywords.split(",") };
  });
}

/**
 * TNEWS FewCLUE splits: train_few_all / dev_few_all / test_public. `labels` are English names; `labelInfo` has codes
 * and Chinese names.
 */
export async function loadTnews(options: LoadOptions = {}): Promise<ClassificationData<TnewsExample> & { labelInfo: TnewsLabel[] }> {
  const name = "clue_tnews_fewclue";
  const dir = await datasetDir(name, options);
  const labelInfo = parseTnewsLabels(await readDatasetFile(name, dir, "label_index2en2zh.json"), { file: `${dir}/label_index2en2zh.json` });
  const read = async (path: string): Promise<TnewsExample[]> => parseTnews(await readDatasetFile(name, dir, path), labelInfo, { file: `${dir}/${path}` });
  return {
    train: await read("train_few_all.json"),
    validation: await read("dev_few_all.json"),
    test: await read("test_public.json"),
    labels: labelInfo.map((l) => l.en),
    labelInfo,
  };
}
