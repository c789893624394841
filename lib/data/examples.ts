/** The shape classification loaders return: labelled texts, three splits, label names. */
import { DataFormatError } from "./errors";

/** One labelled text; `label` indexes the dataset's `labels`. */
export interface TextExample {
  text: string;
  label: number;
}

/** A classification dataset with its three splits and label names (`labels[example.label]`). */
export interface ClassificationData<E extends TextExample = TextExample> {
  train: E[];
  validation: E[];
  test: E[];
  labels: string[];
}

/**
 * Maps label strings to indices of `labels`, failing with file and line on an unknown one.
 * @returns a function `(name, file, line) => index`
 */
export function labelIndexer(labels: readonly string[]): (name: string, file: string, line: number) => number {
  const index = new Map(labels.map((l, i) => [l, i]));
  return (name, file, line) => {
    const i = index.get(name);
    if (i === undefined) {
      throw new DataFormatError(file, line, `unknown label ${JSON.stringify(name)}; expected one of ${labels.map((l) => JSON.stringify(l)).join(", ")}.`);
    }
    return i;
  };
}
