/**
 * The fine-tuning tasks by name: where the data comes from, what kind of head, which metric picks the best
 * epoch, and the full-run defaults. Loaders come from `lib/data`; every task returns train / validation / test.
 */
import type { LoadOptions } from "../data/files";
import { loadFinancialPhraseBank } from "../data/financial-phrasebank";
import { loadBanking77 } from "../data/banking77";
import { loadSst2 } from "../data/sst2";
import { loadTnews } from "../data/tnews";
import { loadEprstmt } from "../data/eprstmt";
import { iob1ToIob2, loadConll2003 } from "../data/conll";
import type { TextExample } from "../data/examples";

/** Task names of `course finetune --task`. */
export const TASK_NAMES = ["fpb", "fpb50", "banking77", "sst2", "tnews", "eprstmt", "conll2003"] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** A sentence with one tag per word (IOB2). */
export interface TaggedSentence {
  words: string[];
  tags: string[];
}

/** A text-classification dataset. */
export interface ClassificationSplits {
  kind: "classification";
  train: TextExample[];
  validation: TextExample[];
  test: TextExample[];
  labels: string[];
}

/** A token-classification (NER) dataset, tags in IOB2. */
export interface TaggingSplits {
  kind: "tagging";
  train: TaggedSentence[];
  validation: TaggedSentence[];
  test: TaggedSentence[];
  /** Tag names, `O` first; a tag's class id is its index. */
  labels: string[];
  scheme: "IOB2";
}

export type TaskSplits = ClassificationSplits | TaggingSplits;

/**
 * Full-run hyper-parameters (Devlin et al. 2019, §A.3, scaled for small BERTs; the CLI can override each). The
 * learning rate depends on the model, not the task: `defaultFinetuneLr`.
 */
export interface TaskDefaults {
  epochs: number;
  batchSize: number;
  maxLength: number;
}

/**
 * The default peak fine-tuning learning rate for a BERT of this hidden size. Up to 128 (BERT-Tiny): 1e-3, which
 * beat 1e-4 on validation in all 14 task × (pretrained, scratch) pairs of the course's full pipeline (README).
 * Up to 512: 1e-4, the top of Turc et al. 2019's grid for BERT miniatures. Wider (BERT-Base, 768): 3e-5, inside
 * Devlin et al. 2019's grid of 2e-5–5e-5.
 */
export function defaultFinetuneLr(hiddenSize: number): number {
  if (hiddenSize <= 128) return 1e-3;
  if (hiddenSize <= 512) return 1e-4;
  return 3e-5;
}

export interface TaskSpec {
  name: TaskName;
  description: string;
  /** The validation metric that picks the best epoch (higher is better). */
  metric: "accuracy" | "f1";
  defaults: TaskDefaults;
  load(options?: LoadOptions): Promise<TaskSplits>;
}

const classification = async (data: Promise<{ train: TextExample[]; validation: TextExample[]; test: TextExample[]; labels: string[] }>): Promise<ClassificationSplits> => {
  const { train, validation, test, labels } = await data;
  const plain = (xs: TextExample[]) => xs.map((e) => ({ text: e.text, label: e.label }));
  return { kind: "classification", train: plain(train), validation: plain(validation), test: plain(test), labels };
};

const CLASSIFY: TaskDefaults = { epochs: 4, batchSize: 32, maxLength: 128 };

export const TASKS: Readonly<Record<TaskName, Readonly<TaskSpec>>> = Object.freeze({
  fpb: { name: "fpb", description: "Financial PhraseBank, all annotators agree (3-way sentiment)", metric: "accuracy", defaults: CLASSIFY, load: (o) => classification(loadFinancialPhraseBank({ ...o, agreement: "all" })) },
  fpb50: { name: "fpb50", description: "Financial PhraseBank, ≥50 % agree (3-way sentiment, noisier)", metric: "accuracy", defaults: CLASSIFY, load: (o) => classification(loadFinancialPhraseBank({ ...o, agreement: "50" })) },
  banking77: { name: "banking77", description: "Banking77 intents (77 classes)", metric: "accuracy", defaults: { ...CLASSIFY, epochs: 6, maxLength: 64 }, load: (o) => classification(loadBanking77(o)) },
  // 60k training sentences: two epochs reach the plateau.
  sst2: { name: "sst2", description: "SST-2 movie-review sentiment (binary)", metric: "accuracy", defaults: { ...CLASSIFY, epochs: 2, maxLength: 64 }, load: (o) => classification(loadSst2(o)) },
  tnews: { name: "tnews", description: "CLUE TNEWS (FewCLUE) Chinese news titles, 15 topics", metric: "accuracy", defaults: { ...CLASSIFY, epochs: 8, maxLength: 64 }, load: (o) => classification(loadTnews(o)) },
  eprstmt: { name: "eprstmt", description: "CLUE EPRSTMT (FewCLUE) Chinese product-review sentiment", metric: "accuracy", defaults: { ...CLASSIFY, epochs: 10, batchSize: 16 }, load: (o) => classification(loadEprstmt(o)) },
  conll2003: {
    name: "conll2003",
    description: "CoNLL-2003 English NER (PER, ORG, LOC, MISC), entity-level F1",
    metric: "f1",
    defaults: { ...CLASSIFY, epochs: 4, maxLength: 128 },
    load: async (o) => {
      const data = await loadConll2003(o);
      const convert = (xs: typeof data.train): TaggedSentence[] => xs.map((s) => ({ words: s.tokens, tags: data.scheme === "IOB1" ? iob1ToIob2(s.tags) : [...s.tags] }));
      const [train, validation, test] = [convert(data.train), convert(data.validation), convert(data.test)];
      const types = [...new Set([...train, ...validation, ...test].flatMap((s) => s.tags).filter((t) => t !== "O").map((t) => t.slice(2)))].sort();
      const labels = ["O", ...types.flatMap((t) => [`B-${t}`, `I-${t}`])];
      return { kind: "tagging", train, validation, test, labels, scheme: "IOB2" };
    },
  },
});

/** The spec of `name`; throws listing the known tasks. */
export function taskSpec(name: string): Readonly<TaskSpec> {
  const spec = (TASKS as Record<string, Readonly<TaskSpec> | undefined>)[name];
  if (spec === undefined) throw new Error(`unknown task "${name}" (have: ${TASK_NAMES.join(", ")})`);
  return spec;
}
