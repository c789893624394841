/**
 * Parity over whole datasets: our BertTokenizer vs Rust `tokenizers` (loading our tokenizer.json) and vs
 * transformers.js (loading the folder offline), line by line. Prints the mismatch count per dataset (goal 0).
 * Run: npx tsx bench/tokenizer-parity.ts [--vocab-size 8000] [dataset ...]
 * Texts come from lib/data's `datasetTexts(name, { splits: "all" })` (mirror root: $COURSE_DATA_MIRROR).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { datasetTexts, TEXT_DATASETS } from "../lib/data";
import { trainWordPiece, saveTokenizer, type BertTokenizer } from "../lib/text";
import { codePointOffsetsToUtf16, loadRust, loadTransformersJs } from "../tests/text/parity-helpers";

const args = process.argv.slice(2);
const sizeAt = args.indexOf("--vocab-size");
const vocabSize = sizeAt >= 0 ? Number(args[sizeAt + 1]) : 8000;
const names = args.filter((a, i) => !a.startsWith("--") && i !== sizeAt + 1);
const datasets = names.length > 0 ? names : [...TEXT_DATASETS];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

async function main(): Promise<void> {
  const texts = new Map<string, string[]>();
  for (const name of datasets) texts.set(name, await datasetTexts(name, { splits: "all" }));
  // One tokenizer per casing, trained on a mix of every dataset (so Chinese and English pieces both exist).
  const corpus = [...texts.values()].flatMap((lines) => lines.filter((_, i) => i % 4 === 0));
  console.log(`datasets: ${datasets.join(", ")}; training on ${corpus.length} lines, vocab ${vocabSize}`);
  console.log("| dataset | casing | lines | Rust ids | Rust offsets/wordIds | Rust pairs (maxLength 32) | transformers.js ids |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const lowercase of [true, false]) {
    const ours: BertTokenizer = trainWordPiece(corpus, { vocabSize, lowercase });
    const dir = join(mkdtempSync(join(tmpdir(), "course-parity-")), lowercase ? "uncased" : "cased");
    saveTokenizer(ours, dir);
    const rust = loadRust(dir);
    const tjs = await loadTransformersJs(dir);
    for (const [name, lines] of texts) {
      let ids = 0;
      let fields = 0;
      let pairs = 0;
      let tjsIds = 0;
      const examples: string[] = [];
      for (let start = 0; start < lines.length; start += 2000) {
        const chunk = lines.slice(start, start + 2000);
        const hf = await rust.encodeBatch(chunk);
        rust.setTruncation(32);
        const pairInputs = chunk.map((l, k) => [l, chunk[(k + 1) % chunk.length]!] as [string, string]);
        const hfPairs = await Promise.all(pairInputs.map(([a, b]) => rust.encode(a, b))); // encodeBatch takes no pairs in this binding
        rust.disableTruncation();
        chunk.forEach((line, k) => {
          const enc = ours.encode(line);
          const h = hf[k]!;
          if (!same(enc.inputIds, h.getIds())) {
            ids++;
            if (examples.length < 3) examples.push(`  ${name} line ${start + k + 1}: ${JSON.stringify(line).slice(0, 120)}`);
          } else if (!same(enc.wordIds, h.getWordIds().map((w) => w ?? null)) || !same(enc.offsets.slice(1, -1), codePointOffsetsToUtf16(line, h.getOffsets().slice(1, -1)))) fields++;
          if (!same(ours.encode(line, pairInputs[k]![1], { maxLength: 32 }).inputIds, hfPairs[k]!.getIds())) pairs++;
          if (!same(enc.inputIds, tjs(line))) tjsIds++;
        });
      }
      console.log(`| ${name} | ${lowercase ? "uncased" : "cased"} | ${lines.length} | ${ids} | ${fields} | ${pairs} | ${tjsIds} |`);
      for (const e of examples) console.log(e);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
