/**
 * Financial PhraseBank v1.0 (Malo et al. 2014): lines `sentence@label`, split on the LAST `@`.
 * Encodings differ per file (declared in the manifest): 50/66/75Agree are latin-1, AllAgree in our source is UTF-8.
 * There is no official split: `loadFinancialPhraseBank` de-duplicates, then makes a seeded stratified split.
 */
import { Rng } from "../core/rng";
import { isBlankLine, trimFormatWhitespace } from "../text/format-whitespace";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import { labelIndexer } from "./examples";
import type { ClassificationData, TextExample } from "./examples";
import { datasetDir, readDatasetFile } from "./files";
import type { LoadOptions } from "./files";
import { stratifiedSplit } from "./split";
import type { SplitFractions } from "./split";

/** The three classes, in a fixed order (`label` indexes this). */
export const FPB_LABELS = ["negative", "neutral", "positive"] as const;

/** Which annotator-agreement subset: at least 50/66/75 % of annotators agree, or all of them. */
export type FpbAgreement = "50" | "66" | "75" | "all";

const FILES: { [a in FpbAgreement]: string } = {
  "50": "Sentences_50Agree.txt",
  "66": "Sentences_66Agree.txt",
  "75": "Sentences_75Agree.txt",
  all: "Sentences_AllAgree.txt",
};

/** A parsed line, with its line number. */
export interface FpbExample extends TextExample {
  line: number;
}

/**
 * Parses a PhraseBank file (already decoded).
 * @throws DataFormatError naming file and line: a line without `@`, an empty sentence, an unknown label
 */
export function parseFinancialPhraseBank(text: string, options: { file?: string } = {}): FpbExample[] {
  const { file = "<phrasebank>" } = options;
  const toIndex = labelIndexer(FPB_LABELS);
  const out: FpbExample[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (isBlankLine(raw)) return;
    const at = raw.lastIndexOf("@");
    if (at < 0) throw new DataFormatError(file, line, `no "@" separating sentence and label (expected "sentence@label").`);
    const sentence = trimFormatWhitespace(raw.slice(0, at));
    if (sentence === "") throw new DataFormatError(file, line, `empty sentence before "@".`);
    out.push({ text: sentence, label: toIndex(trimFormatWhitespace(raw.slice(at + 1)), file, line), line });
  });
  if (out.length === 0) throw new DataFormatError(file, 0, "no sentences (file is empty).");
  return out;
}

/**
 * Drops repeated sentences: identical repeats keep their first occurrence; a sentence that occurs with different
 * labels is dropped entirely (no way to know which is right).
 * @returns the kept examples and how many were dropped as conflicting
 */
export function dedupeExamples<E extends TextExample>(examples: readonly E[]): { kept: E[]; conflicting: number; repeated: number } {
  const labelsOf = new Map<string, Set<number>>();
  for (const e of examples) {
    const set = labelsOf.get(e.text) ?? new Set<number>();
    set.add(e.label);
    labelsOf.set(e.text, set);
  }
  const seen = new Set<string>();
  const kept: E[] = [];
  let conflicting = 0;
  let repeated = 0;
  for (const e of examples) {
    if ((labelsOf.get(e.text)?.size ?? 0) > 1) {
      conflicting++;
      continue;
    }
    if (seen.has(e.text)) {
      repeated++;
      continue;
    }
    seen.add(e.text);
    kept.push(e);
  }
  return { kept, conflicting, repeated };
}

/** Options of `loadFinancialPhraseBank`. */
export interface FpbOptions extends LoadOptions {
  /** Agreement subset; "all" is the cleanest, "50" the largest. */
  agreement?: FpbAgreement;
  /** Seed of the stratified split. */
  seed?: number;
  /** Validation and test fractions (default 0.1 / 0.1). */
  fractions?: SplitFractions;
}

/**
 * Financial PhraseBank as seeded stratified splits (after de-duplication).
 * @param options agreement (default "all"), seed (default 0), fractions, plus where to find the files
 */
export async function loadFinancialPhraseBank(options: FpbOptions = {}): Promise<ClassificationData<FpbExample>> {
  const { agreement = "all", seed = 0, fractions = {}, ...load } = options;
  const path = FILES[agreement];
  if (path === undefined) throw new Error(`agreement must be one of ${Object.keys(FILES).join(", ")}, got ${String(agreement)}`);
  const dir = await datasetDir("financial_phrasebank", load);
  const examples = parseFinancialPhraseBank(await readDatasetFile("financial_phrasebank", dir, path), { file: `${dir}/${path}` });
  const { kept } = dedupeExamples(examples);
  const splits = stratifiedSplit(kept, (e) => e.label, new Rng(seed), fractions);
  return { ...splits, labels: [...FPB_LABELS] };
}
