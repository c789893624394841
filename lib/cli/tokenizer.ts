import type { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { trainWordPiece, saveTokenizer, loadTokenizer } from "../text";
import { TEXT_DATASETS } from "../data";
import { corpusLines, positiveInt } from "./args";
import { writeFileAtomic } from "../core/atomic";

/**
 * `course tokenizer train ...` (learn a WordPiece vocabulary, write an HF-compatible folder) and
 * `course tokenize ...` (one JSON array of ids per input line).
 */
export function registerTokenizer(program: Command): void {
  const tokenizer = program.command("tokenizer").description("train WordPiece tokenizers");
  tokenizer
    .command("train")
    .description("train a BERT WordPiece tokenizer; writes tokenizer.json, vocab.txt, tokenizer_config.json, special_tokens_map.json")
    .requiredOption("--corpus <dataset|file...>", `text datasets (${TEXT_DATASETS.join(", ")}; train split) or text files, one text per line`)
    .requiredOption("--vocab-size <n>", "vocabulary size, special tokens included", positiveInt("--vocab-size"))
    .option("--cased", "keep case and accents (default: lowercase + strip accents)")
    .option("--min-frequency <f>", "merge only pairs seen at least this often", positiveInt("--min-frequency"), 2)
    .option("--limit-alphabet <n>", "keep only the n most frequent characters (HF tokenizers' limit_alphabet); words with others become [UNK]", positiveInt("--limit-alphabet"))
    .requiredOption("--out <dir>", "output folder")
    .action(async (options: { corpus: string[]; vocabSize: number; cased?: boolean; minFrequency: number; limitAlphabet?: number; out: string }) => {
      const texts: string[] = [];
      for (const corpus of options.corpus) for (const line of await corpusLines(corpus)) texts.push(line);
      const started = Date.now();
      const trained = trainWordPiece(texts, { vocabSize: options.vocabSize, minFrequency: options.minFrequency, limitAlphabet: options.limitAlphabet, lowercase: !options.cased });
      saveTokenizer(trained, options.out);
      console.log(`trained ${trained.vocabSize} tokens on ${texts.length} texts in ${((Date.now() - started) / 1000).toFixed(1)} s → ${options.out}`);
    });
  program
    .command("tokenize")
    .description("encode a text file, one JSON array of ids per line (JSON Lines)")
    .requiredOption("--tokenizer <dir>", "folder with tokenizer.json or vocab.txt")
    .requiredOption("--in <file>", "UTF-8 text, one text per line")
    .requiredOption("--out <file>", "output .jsonl")
    .option("--special", "add [CLS] and [SEP]")
    .action((options: { tokenizer: string; in: string; out: string; special?: boolean }) => {
      const tok = loadTokenizer(options.tokenizer);
      if (!existsSync(options.in)) throw new Error(`--in ${options.in}: no such file`);
      const lines = readFileSync(options.in, "utf8").split(/\r?\n/);
      if (lines[lines.length - 1] === "") lines.pop();
      const out = lines.map((line) => JSON.stringify(tok.encode(line, null, { addSpecialTokens: options.special === true }).inputIds)).join("\n");
      writeFileAtomic(options.out, lines.length > 0 ? out + "\n" : "");
      console.log(`wrote ${lines.length} lines → ${options.out}`);
    });
}
