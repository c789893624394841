import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseFinancialPhraseBank, dedupeExamples, loadFinancialPhraseBank, FPB_LABELS } from "../../lib/data/financial-phrasebank";
import { DataFormatError } from "../../lib/data/errors";

const DIR = join(__dirname, "..", "fixtures", "data", "financial_phrasebank");

test("splits on the LAST @ and maps labels", () => {
  const [a, b] = parseFinancialPhraseBank("Margins widened @ the new site .@positive\nFlat .@neutral\n", { file: "f.txt" });
  assert.deepEqual(a, { text: "Margins widened @ the new site .", label: FPB_LABELS.indexOf("positive"), line: 1 });
  assert.deepEqual(b, { text: "Flat .", label: 1, line: 2 });
});

test("a line without @, an empty sentence or an unknown label names file and line", () => {
  assert.throws(() => parseFinancialPhraseBank("ok .@neutral\nno label here\n", { file: "f.txt" }), (e: unknown) => e instanceof DataFormatError && e.message.startsWith("f.txt:2:") && /no "@"/.test(e.message));
  assert.throws(() => parseFinancialPhraseBank("@neutral\n", { file: "f.txt" }), /f\.txt:1: empty sentence/);
  assert.throws(() => parseFinancialPhraseBank("a .@neutral\nb .@neutral\nc .@bullish\n", { file: "f.txt" }), /f\.txt:3: unknown label "bullish"/);
  assert.throws(() => parseFinancialPhraseBank("\n\n", { file: "f.txt" }), /f\.txt: no sentences/);
});

test("dedupe keeps the first of identical repeats and drops sentences with conflicting labels", () => {
  const { kept, conflicting, repeated } = dedupeExamples([
    { text: "x", label: 0 },
    { text: "y", label: 1 },
    { text: "x", label: 0 },
    { text: "z", label: 1 },
    { text: "z", label: 2 },
  ]);
  assert.deepEqual(kept.map((e) => e.text), ["x", "y"]);
  assert.equal(conflicting, 2);
  assert.equal(repeated, 1);
});

test("50Agree is read as latin-1 and AllAgree as UTF-8 (declared per file in the manifest)", async () => {
  const fifty = await loadFinancialPhraseBank({ dir: DIR, agreement: "50", fractions: { validation: 0, test: 0 } });
  const all = await loadFinancialPhraseBank({ dir: DIR, agreement: "all", fractions: { validation: 0, test: 0 } });
  const seppala = (d: typeof all): string | undefined => d.train.find((e) => e.text.includes("Sepp"))?.text;
  assert.equal(seppala(fifty), "The bakery chain in Seppälä kept its prices unchanged .");
  assert.equal(seppala(all), "The bakery chain in Seppälä kept its prices unchanged .");
  // 10 lines: one identical repeat dropped, one sentence with two labels dropped (both lines) -> 7.
  assert.equal(fifty.train.length, 7);
  assert.deepEqual(fifty.labels, ["negative", "neutral", "positive"]);
});

test("the split is seeded and stratified", async () => {
  const a = await loadFinancialPhraseBank({ dir: DIR, agreement: "50", seed: 5, fractions: { validation: 0, test: 0.34 } });
  const b = await loadFinancialPhraseBank({ dir: DIR, agreement: "50", seed: 5, fractions: { validation: 0, test: 0.34 } });
  assert.deepEqual(a, b);
  // neutral has 3 kept sentences -> 1 in test; positive 3 -> 1; negative 1 -> 0.
  assert.equal(a.test.length, 2);
  assert.equal(a.train.length + a.test.length, 7);
});
