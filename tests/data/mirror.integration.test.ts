/**
 * Loads every mirrored dataset through the registry (checksums verified, into a throw-away cache) and checks the
 * counts stated in each dataset's SOURCE.md. Without a mirror it SKIPS visibly, never passes as if it had checked.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultMirrorRoot, datasetPath } from "../../lib/data/registry";
import { datasetNames } from "../../lib/data/manifest";
import { readDatasetFile } from "../../lib/data/files";
import { parseCsv } from "../../lib/data/csv";
import { loadSst2 } from "../../lib/data/sst2";
import { loadBanking77 } from "../../lib/data/banking77";
import { loadFinancialPhraseBank, parseFinancialPhraseBank } from "../../lib/data/financial-phrasebank";
import { loadConll2003, parseConll } from "../../lib/data/conll";
import { loadTnews } from "../../lib/data/tnews";
import { loadEprstmt } from "../../lib/data/eprstmt";
import { loadGutenberg } from "../../lib/data/gutenberg";
import { loadMovieLens } from "../../lib/data/movielens";
import { datasetTexts, TEXT_DATASETS } from "../../lib/data/texts";

const mirrorRoot = defaultMirrorRoot();
const skip = mirrorRoot === null ? "no dataset mirror: set COURSE_DATA_MIRROR (or provide <repo>/../shared/datasets) to run it" : false;
let cacheRoot = "";
const opts = (): { cacheRoot: string; mirrorRoot: string | null; offline: boolean } => ({ cacheRoot, mirrorRoot, offline: true });
const count = <T>(xs: readonly T[], pred: (x: T) => boolean): number => xs.filter(pred).length;

before(async () => {
  cacheRoot = await mkdtemp(join(tmpdir(), "llm-course-mirror-"));
});
after(async () => {
  await rm(cacheRoot, { recursive: true, force: true });
});

test("every registered dataset is in the mirror and matches its checksums", { skip }, async () => {
  for (const name of datasetNames()) assert.equal(await datasetPath(name, opts()), join(mirrorRoot as string, name));
});

test("sst2: 60,614 / 6,735 / 872 rows with SOURCE.md's positive counts", { skip }, async () => {
  const d = await loadSst2(opts());
  console.log(`sst2 train ${d.train.length} validation ${d.validation.length} test ${d.test.length}`);
  assert.deepEqual([d.train.length, d.validation.length, d.test.length], [60614, 6735, 872]);
  assert.deepEqual([count(d.train, (e) => e.label === 1), count(d.validation, (e) => e.label === 1), count(d.test, (e) => e.label === 1)], [33828, 3741, 444]);
});

test("banking77: 10,003 train (split into train+validation), 3,080 test, 77 labels, 40 test examples each", { skip }, async () => {
  const d = await loadBanking77(opts());
  console.log(`banking77 train ${d.train.length} validation ${d.validation.length} test ${d.test.length} labels ${d.labels.length}`);
  assert.equal(d.train.length + d.validation.length, 10003);
  assert.equal(d.test.length, 3080);
  assert.equal(d.labels.length, 77);
  for (let l = 0; l < 77; l++) assert.equal(count(d.test, (e) => e.label === l), 40, d.labels[l]);
  // SOURCE.md: 10 train and 3 test texts hold newlines (most only leading/trailing ones, which loading trims).
  const dir = await datasetPath("banking77", opts());
  const multiLine = async (file: string): Promise<number> => count(parseCsv(await readDatasetFile("banking77", dir, file), { file }).rows, (r) => (r[0] as string).includes("\n"));
  assert.deepEqual([await multiLine("train.csv"), await multiLine("test.csv")], [10, 3]);
  assert.ok([...d.train, ...d.test].every((e) => e.text === e.text.trim()));
});

test("financial_phrasebank: per-file sentence and label counts, encodings, de-duplicated splits", { skip }, async () => {
  const dir = await datasetPath("financial_phrasebank", opts());
  const stated: Array<[string, number, number, number, number]> = [
    ["Sentences_50Agree.txt", 4846, 1363, 2879, 604],
    ["Sentences_66Agree.txt", 4217, 1168, 2535, 514],
    ["Sentences_75Agree.txt", 3453, 887, 2146, 420],
    ["Sentences_AllAgree.txt", 2264, 570, 1391, 303],
  ];
  for (const [file, total, pos, neu, neg] of stated) {
    const ex = parseFinancialPhraseBank(await readDatasetFile("financial_phrasebank", dir, file), { file });
    console.log(`financial_phrasebank ${file}: ${ex.length} sentences`);
    assert.deepEqual([ex.length, count(ex, (e) => e.label === 2), count(ex, (e) => e.label === 1), count(ex, (e) => e.label === 0)], [total, pos, neu, neg]);
    assert.ok(!ex.some((e) => e.text.includes("\uFFFD")));
  }
  const all = await loadFinancialPhraseBank({ ...opts(), agreement: "all" });
  const fifty = await loadFinancialPhraseBank({ ...opts(), agreement: "50" });
  const size = (d: typeof all): number => d.train.length + d.validation.length + d.test.length;
  console.log(`financial_phrasebank all: ${all.train.length}/${all.validation.length}/${all.test.length}; 50: ${fifty.train.length}/${fifty.validation.length}/${fifty.test.length}`);
  assert.equal(size(all), 2259); // 2,259 distinct lines, no conflicting labels
  assert.ok(fifty.train.some((e) => e.text.includes("Sepp+ñl+ñ")), "the documented source mojibake survives latin-1 decoding unchanged");
});

test("conll2003: SOURCE.md's sentences, tokens, documents and tag counts; IOB2", { skip }, async () => {
  const d = await loadConll2003(opts());
  const tokens = (xs: typeof d.train): number => xs.reduce((n, s) => n + s.tokens.length, 0);
  console.log(`conll2003 sentences ${d.train.length}/${d.validation.length}/${d.test.length} tokens ${tokens(d.train)}/${tokens(d.validation)}/${tokens(d.test)} scheme ${d.scheme}`);
  assert.deepEqual([d.train.length, d.validation.length, d.test.length], [14041, 3250, 3453]);
  assert.deepEqual([tokens(d.train), tokens(d.validation), tokens(d.test)], [203621, 51362, 46435]);
  assert.equal(d.scheme, "IOB2");
  assert.deepEqual(d.tagNames, ["O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PER", "I-PER"]);
  const tagCount = new Map<string, number>();
  for (const s of d.train) for (const t of s.tags) tagCount.set(t, (tagCount.get(t) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries([...tagCount].sort()), { "B-LOC": 7140, "B-MISC": 3438, "B-ORG": 6321, "B-PER": 6600, "I-LOC": 1157, "I-MISC": 1155, "I-ORG": 3704, "I-PER": 4528, O: 169578 });
  const dir = await datasetPath("conll2003", opts());
  const docs = await Promise.all(["train.txt", "dev.txt", "test.txt"].map(async (f) => parseConll(await readDatasetFile("conll2003", dir, f), { file: f }).documents));
  assert.deepEqual(docs, [946, 216, 231]);
});

test("clue_tnews_fewclue: 1,185 / 1,098 / 2,010, 15 labels, 134 test examples each", { skip }, async () => {
  const d = await loadTnews(opts());
  console.log(`tnews ${d.train.length}/${d.validation.length}/${d.test.length} labels ${d.labels.length}`);
  assert.deepEqual([d.train.length, d.validation.length, d.test.length, d.labels.length], [1185, 1098, 2010, 15]);
  for (let l = 0; l < 15; l++) assert.equal(count(d.test, (e) => e.label === l), 134);
});

test("clue_eprstmt_fewclue: 160 / 160 / 610 with 84 / 74 / 305 positive", { skip }, async () => {
  const d = await loadEprstmt(opts());
  console.log(`eprstmt ${d.train.length}/${d.validation.length}/${d.test.length}`);
  assert.deepEqual([d.train.length, d.validation.length, d.test.length], [160, 160, 610]);
  assert.deepEqual([count(d.train, (e) => e.label === 1), count(d.validation, (e) => e.label === 1), count(d.test, (e) => e.label === 1)], [84, 74, 305]);
});

test("gutenberg_english_prose: 8 books, marker lines and words between markers as in SOURCE.md", { skip }, async () => {
  const books = await loadGutenberg(opts());
  const stated: { [file: string]: [number, number, number] } = {
    "pg108.txt": [23, 13480, 112113], "pg11703.txt": [24, 12246, 122856], "pg120.txt": [25, 7526, 68590], "pg1342.txt": [24, 14561, 127357],
    "pg161.txt": [23, 12703, 118860], "pg1661.txt": [24, 11957, 104506], "pg521.txt": [23, 10198, 120912], "pg834.txt": [23, 11408, 95486],
  };
  assert.equal(books.length, 8);
  for (const b of books) {
    const words = b.paragraphs.join(" ").split(/\s+/).filter(Boolean).length;
    console.log(`gutenberg ${b.file} "${b.title}" paragraphs ${b.paragraphs.length} words ${words}`);
    assert.deepEqual([b.startLine, b.endLine, words], stated[b.file]);
  }
});

test("movielens: 100,836 ratings by 610 users, 9,742 movies, 3,683 tags, 9,742 links", { skip }, async () => {
  const m = await loadMovieLens(opts());
  console.log(`movielens ratings ${m.ratings.length} movies ${m.movies.length} tags ${m.tags.length} links ${m.links.length}`);
  assert.deepEqual([m.ratings.length, m.movies.length, m.tags.length, m.links.length], [100836, 9742, 3683, 9742]);
  assert.equal(new Set(m.ratings.map((r) => r.userId)).size, 610);
  assert.equal(count(m.ratings, (r) => r.rating === 4), 26818);
});

test("epoch_ai_models: registered files parse as CSV with SOURCE.md's records and columns", { skip }, async () => {
  const dir = await datasetPath("epoch_ai_models", opts());
  for (const [file, records, columns] of [["notable_ai_models.csv", 976, 46], ["large_scale_ai_models.csv", 484, 34], ["frontier_ai_models.csv", 137, 95]] as const) {
    const t = parseCsv(await readDatasetFile("epoch_ai_models", dir, file), { file });
    console.log(`epoch ${file}: ${t.rows.length} records, ${t.header.length} columns`);
    assert.deepEqual([t.rows.length, t.header.length], [records, columns]);
  }
});

test("datasetTexts gives non-empty text for every text dataset", { skip }, async () => {
  for (const name of TEXT_DATASETS) {
    const texts = await datasetTexts(name, opts());
    console.log(`datasetTexts ${name}: ${texts.length}`);
    assert.ok(texts.length > 100 && texts.every((t) => t.trim() !== ""), name);
  }
});
