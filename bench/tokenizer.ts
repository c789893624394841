/**
 * Tokenizer throughput: our BertTokenizer vs Rust `tokenizers` (Node binding) vs transformers.js, on the same
 * texts in one run (SST-2 train sentences + Gutenberg paragraphs from the mirror via lib/data), same vocabulary.
 * Prints MB/s (UTF-8 bytes of input) and sentences/s, best of 3 timed passes after a warm-up, and the ratios.
 * Run: npx tsx bench/tokenizer.ts [--vocab-size 16000]
 */
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { datasetTexts } from "../lib/data";
import { trainWordPiece, saveTokenizer } from "../lib/text";
import { loadRust, loadTransformersJs } from "../tests/text/parity-helpers";

const sizeAt = process.argv.indexOf("--vocab-size");
const vocabSize = sizeAt >= 0 ? Number(process.argv[sizeAt + 1]) : 16000;

async function best(run: () => Promise<number> | number, passes = 3): Promise<number> {
  await run(); // warm-up (JIT, caches)
  let fastest = Infinity;
  for (let p = 0; p < passes; p++) {
    const t0 = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return fastest;
}

async function main(): Promise<void> {
  const texts = [...(await datasetTexts("sst2")), ...(await datasetTexts("gutenberg_english_prose"))];
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);
  const ours = trainWordPiece(texts, { vocabSize });
  const dir = join(mkdtempSync(join(tmpdir(), "course-bench-")), "tok");
  saveTokenizer(ours, dir);
  const rust = loadRust(dir);
  const tjs = await loadTransformersJs(dir);
  let check = 0; // keeps the work observable so nothing is optimised away
  const results: [string, number][] = [];
  results.push(["ours (BertTokenizer.encode, 1 thread)", await best(() => { for (const t of texts) check += ours.encode(t).inputIds.length; return check; })]);
  results.push(["transformers.js 2.17.2 (encode, 1 thread)", await best(() => { for (const t of texts) check += tjs(t).length; return check; })]);
  results.push(["tokenizers 0.23.2 Rust (encodeBatch of 1000, all cores)", await best(async () => {
    for (let i = 0; i < texts.length; i += 1000) for (const e of await rust.encodeBatch(texts.slice(i, i + 1000))) check += e.getLength();
    return check;
  })]);
  results.push(["tokenizers 0.23.2 Rust (await encode one by one)", await best(async () => { for (const t of texts) check += (await rust.encode(t)).getLength(); return check; }, 1)]);
  const cpu = cpus();
  console.log(`${texts.length} texts, ${(bytes / 1e6).toFixed(2)} MB UTF-8, vocab ${ours.vocabSize}; ${cpu.length} × ${cpu[0]?.model ?? "?"}; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
  console.log("| tokenizer | seconds | MB/s | sentences/s | ours is N× faster |");
  console.log("|---|---:|---:|---:|---:|");
  const oursSeconds = results[0]![1];
  for (const [name, seconds] of results) {
    console.log(`| ${name} | ${seconds.toFixed(3)} | ${(bytes / 1e6 / seconds).toFixed(2)} | ${Math.round(texts.length / seconds)} | ${(seconds / oursSeconds).toFixed(2)}× |`);
  }
  if (check < 0) console.log(check);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
