/**
 * SST-2 (GLUE format): TSV with header `sentence<TAB>label`, label 0 (negative) or 1 (positive). Not RFC CSV:
 * quotes are ordinary characters, so lines are split on the one tab. Sentences end with a space (as in GLUE);
 * we trim it (ASCII spaces only; U+00A0 and other Unicode spaces are data). In our source, `test.tsv` is GLUE's labelled dev set (GLUE's unlabelled test is not included).
 */
import { isBlankLine, trimFormatWhitespace } from "../text/format-whitespace";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import type { ClassificationData, TextExample } from "./examples";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";

/** Label names: `SST2_LABELS[label]`. */
export const SST2_LABELS = ["negative", "positive"] as const;

/**
 * Parses one SST-2 TSV file.
 * @throws DataFormatError naming file and line: wrong header, not exactly one tab, label not 0/1, empty file
 */
export function parseSst2(text: string, options: { file?: string } = {}): TextExample[] {
  const { file = "<sst2>" } = options;
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataFormatError(file, 0, "file is empty.");
  if (lines[0] !== "sentence\tlabel") {
    throw new DataFormatError(file, 1, `expected the header "sentence<TAB>label", got ${JSON.stringify(lines[0])}.`);
  }
  const out: TextExample[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw === "") continue;
    const parts = raw.split("\t");
    if (parts.length !== 2) throw new DataFormatError(file, i + 1, `expected 2 tab-separated fields (sentence, label), got ${parts.length}.`);
    const [sentence, label] = parts as [string, string];
    if (label !== "0" && label !== "1") throw new DataFormatError(file, i + 1, `label must be 0 or 1, got ${JSON.stringify(label)}.`);
    if (isBlankLine(sentence)) throw new DataFormatError(file, i + 1, "empty sentence.");
    out.push({ text: trimFormatWhitespace(sentence), label: Number(label) });
  }
  return out;
}

/**
 * SST-2: train and validation are our source's re-split of GLUE train; test is GLUE dev (labelled).
 * @param options where to find the files
 */
export async function loadSst2(options: LoadOptions = {}): Promise<ClassificationData> {
  const dir = await datasetDir("sst2", options);
  const read = async (path: string): Promise<TextExample[]> => parseSst2(await readDatasetFile("sst2", dir, path), { file: `${dir}/${path}` });
  return { train: await read("train.tsv"), validation: await read("dev.tsv"), test: await read("test.tsv"), labels: [...SST2_LABELS] };
}
