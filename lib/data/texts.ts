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
import { loadGutenbergChinese } from "./gutenberg-chinese";
import type { ChineseScript } from "../text/chinese-script";
import { loadSst2 } from "./sst2";
import { loadTnews } from "./tnews";

/** Options of `datasetTexts`. */
export interface DatasetTextsOptions extends LoadOptions {
  /** `train` (default), `all` splits of a labelled dataset, or `evaluation` (validation + test: what a pretraining
   * corpus must not contain); unlabelled datasets give everything for `train` and `all`, nothing for `evaluation`. */
  splits?: "train" | "all" | "evaluation";
  /** `gutenberg_chinese` only: "simplified" (default, OpenCC) or "original" (Traditional, as the files are). */
  script?: ChineseScript;
}

/** Datasets `datasetTexts` knows (the others are tables, not text). */
export const TEXT_DATASETS = ["banking77", "clue_eprstmt_fewclue", "clue_tnews_fewclue", "conll2003", "financial_phrasebank", "gutenberg_chinese", "gutenberg_english_more", "gutenberg_english_prose", "sst2"] as const;

/**
 * The unlabelled texts of a dataset.
 * @param name one of `TEXT_DATASETS`
 * @param options splits ("train" by default), plus where to find the files
 * @returns Gutenberg: paragraphs of all books (Chinese: Simplified unless `script: "original"`); CoNLL: sentences
 * (tokens joined by spaces); others: the texts. Financial PhraseBank's `evaluation` is the validation and test
 * sentences of every agreement level (each level is split on its own, so one level's test is another's train).
 * @throws Error for a dataset without running text (epoch_ai_models, movielens_ml_latest_small) or unknown name
 */
export async function datasetTexts(name: string, options: DatasetTextsOptions = {}): Promise<string[]> {
  const { splits = "train", script, ...load } = options;
  const part = <E>(data: { train: E[]; validation: E[]; test: E[] }): E[] =>
    splits === "all" ? [...data.train, ...data.validation, ...data.test] : splits === "evaluation" ? [...data.validation, ...data.test] : data.train;
  const pick = (data: { train: Array<{ text: string }>; validation: Array<{ text: string }>; test: Array<{ text: string }> }): string[] => part(data).map((e) => e.text);
  switch (name) {
    case "gutenberg_english_prose":
    case "gutenberg_english_more":
      return splits === "evaluation" ? [] : (await loadGutenberg({ ...load, dataset: name })).flatMap((b) => b.paragraphs);
    case "gutenberg_chinese":
      return splits === "evaluation" ? [] : (await loadGutenbergChinese({ ...load, script })).flatMap((b) => b.paragraphs);
    case "conll2003":
      return part(await loadConll2003(load)).map((s) => s.tokens.join(" "));
    case "sst2":
      return pick(await loadSst2(load));
    case "banking77":
      return pick(await loadBanking77(load));
    case "financial_phrasebank":
      if (splits === "evaluation") {
        const levels = await Promise.all((["50", "66", "75", "all"] as const).map((agreement) => loadFinancialPhraseBank({ ...load, agreement })));
        return [...new Set(levels.flatMap(pick))];
      }
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
