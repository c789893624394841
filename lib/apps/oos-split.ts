/**
 * The out-of-scope (OOS) evaluation split of the intent bot, two ways:
 * - **published**: BANKING77-OOS's files as released (Zhang et al. 2022) — misaligned with Banking77;
 * - **clean**: rebuilt from Banking77 itself (PolyAI, aligned) with the same 50 / 27 intent partition and the same
 *   text-to-split membership (a Banking77 train text goes to validation when the published validation files hold
 *   it), so only the labels and the in-scope / held-out grouping change. OOD-OOS (CLINC150's OOS queries) is taken
 *   from the published files in both (it has no Banking77 counterpart).
 * {@link compareOosSplits} counts, file by file, the published lines whose label disagrees with Banking77's label of
 * the same text, and those that sit in the wrong group (an "in-scope" line whose text is a held-out intent's query).
 */
import type { TextExample } from "../data/examples";
import type { ClassificationData } from "../data/examples";
import { BANKING77_OOS_HELD_OUT, BANKING77_OOS_IN_SCOPE, inScopeExamples, type Banking77OosFiles, type OosLines } from "../data/banking77-oos";

/** In-scope examples (labels index the 50 in-scope intents) and the OOS utterances of each split. */
export interface OosSplit {
  name: "clean" | "published";
  /** The 50 in-scope intents (`labels[example.label]`). */
  labels: string[];
  train: TextExample[];
  validation: TextExample[];
  test: TextExample[];
  /** In-domain OOS: queries of the 27 held-out intents. */
  idOos: { train: string[]; validation: string[]; test: string[] };
  /** Out-of-domain OOS (CLINC150). */
  oodOos: { validation: string[]; test: string[] };
}

/** How BANKING77-OOS compares texts with Banking77: lower-cased, whitespace collapsed. */
export function normalizeUtterance(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

const nonBlank = (lines: OosLines) => lines.texts.filter((t) => t !== "");

/** The published files as an {@link OosSplit} (blank utterances dropped; labels as published). */
export function publishedOosSplit(files: Banking77OosFiles): OosSplit {
  return {
    name: "published",
    labels: [...BANKING77_OOS_IN_SCOPE],
    train: inScopeExamples(files.train),
    validation: inScopeExamples(files.validation),
    test: inScopeExamples(files.test),
    idOos: { train: nonBlank(files.idOos.train), validation: nonBlank(files.idOos.validation), test: nonBlank(files.idOos.test) },
    oodOos: { validation: nonBlank(files.oodOos.validation), test: nonBlank(files.oodOos.test) },
  };
}

/**
 * Rebuilds the split from Banking77 (see the file comment).
 * @param banking77 Banking77 as `loadBanking77` gives it; its own validation carve-out is folded back into train
 * @param files the published files (for validation membership and OOD-OOS)
 * @returns the clean split; its texts keep Banking77's casing
 * @throws when an intent of the partition is missing from Banking77's labels
 */
export function cleanOosSplit(banking77: ClassificationData, files: Banking77OosFiles): OosSplit {
  const inScope = new Map(BANKING77_OOS_IN_SCOPE.map((l, i) => [l, i]));
  const heldOut = new Set(BANKING77_OOS_HELD_OUT);
  for (const l of [...BANKING77_OOS_IN_SCOPE, ...BANKING77_OOS_HELD_OUT]) if (!banking77.labels.includes(l)) throw new Error(`cleanOosSplit: Banking77 has no intent "${l}"; pass Banking77's 77 labels`);
  const inValidation = new Set([...files.validation.texts, ...files.idOos.validation.texts].map(normalizeUtterance));
  const split: OosSplit = { name: "clean", labels: [...BANKING77_OOS_IN_SCOPE], train: [], validation: [], test: [], idOos: { train: [], validation: [], test: [] }, oodOos: { validation: nonBlank(files.oodOos.validation), test: nonBlank(files.oodOos.test) } };
  const place = (e: TextExample, part: "train" | "validation" | "test") => {
    const intent = banking77.labels[e.label] as string;
    const k = inScope.get(intent);
    if (k !== undefined) split[part].push({ text: e.text, label: k });
    else if (heldOut.has(intent)) split.idOos[part].push(e.text);
  };
  for (const e of [...banking77.train, ...banking77.validation]) place(e, inValidation.has(normalizeUtterance(e.text)) ? "validation" : "train");
  for (const e of banking77.test) place(e, "test");
  return split;
}

/** One published file compared with Banking77. */
export interface OosFileDisagreement {
  folder: string;
  lines: number;
  /** Lines whose label is not Banking77's label of the same text. */
  labelDisagrees: number;
  /** Lines whose text belongs to the other group (in-scope ↔ held-out). */
  wrongGroup: number;
  /** Blank lines, or texts Banking77 does not have. */
  unmatched: number;
}

/**
 * Compares every in-scope and ID-OOS published file with Banking77's labels (see the file comment).
 * @param banking77 Banking77 (all its splits are searched for each text)
 */
export function compareOosSplits(banking77: ClassificationData, files: Banking77OosFiles): OosFileDisagreement[] {
  const truth = new Map<string, Set<string>>(); // a text can repeat in Banking77 (rarely under two intents)
  for (const e of [...banking77.train, ...banking77.validation, ...banking77.test]) {
    const key = normalizeUtterance(e.text);
    const set = truth.get(key) ?? new Set<string>();
    set.add(banking77.labels[e.label] as string);
    truth.set(key, set);
  }
  const inScope = new Set(BANKING77_OOS_IN_SCOPE);
  const compare = (lines: OosLines, group: "in" | "held"): OosFileDisagreement => {
    const row: OosFileDisagreement = { folder: lines.folder, lines: lines.texts.length, labelDisagrees: 0, wrongGroup: 0, unmatched: 0 };
    lines.texts.forEach((text, i) => {
      const labels = truth.get(normalizeUtterance(text));
      if (text === "" || labels === undefined) {
        row.unmatched++;
        return;
      }
      if (!labels.has(lines.labels[i] as string)) row.labelDisagrees++;
      const actual = [...labels].every((l) => inScope.has(l)) ? "in" : [...labels].every((l) => !inScope.has(l)) ? "held" : group;
      if (actual !== group) row.wrongGroup++;
    });
    return row;
  };
  return [compare(files.train, "in"), compare(files.validation, "in"), compare(files.test, "in"), compare(files.idOos.train, "held"), compare(files.idOos.validation, "held"), compare(files.idOos.test, "held")];
}
