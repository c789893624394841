/**
 * `datasetTexts(name)`: the unlabelled text of a dataset, one string per line/sentence/paragraph — the input of
 * tokenizer training and of the pretraining corpus. Labelled datasets give their TRAIN split only by default,
 * so a tokenizer or a pretrained model never sees the test sentences it is later scored on.
 */
import { loadBanking77 } from "./banking77";
import { loadConll2003 } from "./conll";
import { loadEprstmt } from "./eprstmt";
import type { ClassificationData } from "./examples";
import type { LoadOptions } from "./files";
import { loadFinancialPhraseBank } from "./financial-phrasebank";
import { loadGutenberg } from "./gutenberg";
import { loadSst2 } from "./sst2";
import { loadTnews } from "./tnews";

/** Options of `datasetTexts`. */
export interface DatasetTextsOptions extends LoadOptions {
  /** `train` (default) or `all` splits of a labelled dataset; unlabelled datasets always give everything. */
  splits?: "train" | "all";
}

/** Datasets `datasetTexts` knows (the others are tables, not text). */
export const TEXT_DATASETS = ["banking77", "clue_eprstmt_fewclue", "clue_tnews_fewclue", "conll2003", "financial_phrasebank", "gutenberg_english_prose", "sst2"] as const;

/**
 * The unlabelled texts of a dataset.
 * @param name one of `TEXT_DATASETS`
 * @param options splits ("train" by default), plus where to find the files
 * @returns Gutenberg: paragraphs of all books; CoNLL: sentences (tokens joined by spaces); others: the texts
 * @throws Error for a dataset without running text (epoch_ai_models, movielens_ml_latest_small) or unknown name
 */
export async function datasetTexts(name: string, options: DatasetTextsOptions = {}): Promise<string[]> {
  const { splits = "train", ...load } = options;
  const pick = (data: { train: Array<{ text: string }>; validation: Array<{ text: string }>; test: Array<{ text: string }> }): string[] =>
    (splits === "all" ? [...data.train, ...data.validation, ...data.test] : data.train).map((e) => e.text);
  switch (name) {
    case "gutenberg_english_prose":
      return (await loadGutenberg(load)).flatMap((b) => b.paragraphs);
    case "conll2003": {
      const data = await loadConll2003(load);
      const sentences = splits === "all" ? [...data.train, ...data.validation, ...data.test] : data.train;
      return sentences.map((s) => s.tokens.join(" "));
    }
    case "sst2":
      return pick(await loadSst2(load));
    case "banking77":
      return pick(await loadBanking77(load));
    case "financial_phrasebank":
      // The 50% subset is the superset of the others; its train split follows the default seed.
      return pick(await loadFinancialPhraseBank({ ...load, agreement: "50" }));
    case "clue_tnews_fewclue":
      return pick((await loadTnews(load)) as ClassificationData);
    case "clue_eprstmt_fewclue":
      return pick(await loadEprstmt(load));
    default:
      throw new Error(`datasetTexts: "${name}" has no running text; text datasets are ${TEXT_DATASETS.join(", ")}. Use its load function for tables.`);
  }
}
