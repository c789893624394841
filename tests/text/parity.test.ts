/**
 * Parity with the two reference implementations on hand-written multilingual text (tests/fixtures/text):
 * Rust `tokenizers` loading our tokenizer.json (every field), transformers.js loading the folder offline (ids).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BertTokenizer, trainWordPiece, saveTokenizer, loadTokenizer } from "../../lib/text";
import { codePointOffsetsToUtf16, loadRust, loadTransformersJs } from "./parity-helpers";

const LINES = readFileSync(join(__dirname, "..", "fixtures", "text", "multilingual.txt"), "utf8").split("\n").filter((l) => l.length > 0);

function trained(lowercase: boolean): { tokenizer: BertTokenizer; dir: string } {
  const tokenizer = trainWordPiece(LINES, { vocabSize: 400, lowercase, minFrequency: 1 });
  const dir = join(mkdtempSync(join(tmpdir(), "course-text-")), lowercase ? "uncased" : "cased");
  saveTokenizer(tokenizer, dir);
  return { tokenizer, dir };
}

for (const lowercase of [true, false]) {
  const name = lowercase ? "uncased" : "cased";
  test(`${name}: every field equals Rust tokenizers, line by line and for pairs with truncation`, async () => {
    const { tokenizer, dir } = trained(lowercase);
    const rust = loadRust(dir);
    for (const [i, line] of LINES.entries()) {
      const pair = LINES[(i + 1) % LINES.length]!;
      for (const [a, b] of [[line, null], [line, pair]] as const) {
        const ours = tokenizer.encode(a, b);
        const hf = await rust.encode(a, b);
        const where = `line ${i + 1}${b ? " + next" : ""}`;
        assert.deepEqual(ours.inputIds, hf.getIds(), where);
        assert.deepEqual(ours.tokens, hf.getTokens(), where);
        assert.deepEqual(ours.tokenTypeIds, hf.getTypeIds(), where);
        assert.deepEqual(ours.specialTokensMask, hf.getSpecialTokensMask(), where);
        assert.deepEqual(ours.attentionMask, hf.getAttentionMask(), where);
        assert.deepEqual(ours.wordIds, hf.getWordIds().map((w) => w ?? null), where);
        const hfOffsets = hf.getOffsets();
        const seq = hf.getSequenceIds();
        const converted = hfOffsets.map((o, k) => (seq[k] === 1 ? codePointOffsetsToUtf16(b!, [o])[0]! : seq[k] === 0 ? codePointOffsetsToUtf16(a, [o])[0]! : [0, 0]));
        assert.deepEqual(ours.offsets, converted, where);
      }
      // Truncation of pairs, longest first, at several lengths.
      for (const maxLength of [5, 9, 16]) {
        rust.setTruncation(maxLength);
        const hf = await rust.encode(line, pair);
        rust.disableTruncation();
        assert.deepEqual(tokenizer.encode(line, pair, { maxLength }).inputIds, hf.getIds(), `line ${i + 1} maxLength ${maxLength}`);
      }
      assert.equal(tokenizer.decode(tokenizer.encode(line).inputIds), await rust.decode(tokenizer.encode(line).inputIds, false), `decode line ${i + 1}`);
      assert.equal(
        tokenizer.decode(tokenizer.encode(line).inputIds, { skipSpecialTokens: true }),
        await rust.decode(tokenizer.encode(line).inputIds, true),
        `decode (skip specials) line ${i + 1}`,
      );
    }
  });

  test(`${name}: saved folder loads back to the same tokenizer`, () => {
    const { tokenizer, dir } = trained(lowercase);
    const loaded = loadTokenizer(dir);
    assert.deepEqual(loaded.model.vocab, tokenizer.model.vocab);
    for (const line of LINES) assert.deepEqual(loaded.encode(line).inputIds, tokenizer.encode(line).inputIds);
  });
}

test("cased: ids equal transformers.js AutoTokenizer (offline) on every line", async () => {
  const { tokenizer, dir } = trained(false);
  const tjs = await loadTransformersJs(dir);
  for (const [i, line] of LINES.entries()) assert.deepEqual(tokenizer.encode(line).inputIds, tjs(line), `line ${i + 1}`);
});

test("uncased: ids equal transformers.js except on lines hit by its known BertNormalizer differences", async () => {
  // transformers.js 2.17 differs from Rust `tokenizers` (which we follow) in three ways, all on these lines:
  // it lowercases the whole string (final sigma: ΟΔΥΣΣΕΥΣ → …ς), and strips only U+0300–U+036F, so it keeps the
  // dakuten (U+3099), Devanagari/Thai vowel signs and the emoji variation selector U+FE0F that Rust deletes as Mn.
  const known = new Set([
    LINES.findIndex((l) => l.includes("ΟΔΥΣΣΕΥΣ")),
    LINES.findIndex((l) => l.includes("ひらがな")),
    LINES.findIndex((l) => l.includes("❤️")),
    LINES.findIndex((l) => l.includes("नमस्ते")),
  ]);
  const { tokenizer, dir } = trained(true);
  const tjs = await loadTransformersJs(dir);
  const differing = new Set<number>();
  for (const [i, line] of LINES.entries()) {
    if (JSON.stringify(tokenizer.encode(line).inputIds) !== JSON.stringify(tjs(line))) differing.add(i);
  }
  assert.deepEqual([...differing].sort(), [...known].sort());
});

test("pair truncation equals Rust tokenizers for every length up to 24, with and without special tokens", async () => {
  const tokenizer = new BertTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "x"]);
  const dir = join(mkdtempSync(join(tmpdir(), "course-text-")), "x");
  saveTokenizer(tokenizer, dir);
  const rust = loadRust(dir);
  for (const addSpecialTokens of [true, false]) {
    for (const maxLength of [3, 8, 13, 16]) {
      rust.setTruncation(maxLength);
      for (let a = 0; a <= 24; a += 1) {
        for (let b = 0; b <= 24; b += 3) {
          const [first, second] = [Array(a).fill("x").join(" "), Array(b).fill("x").join(" ")];
          const hf = await rust.encode(first, second, { addSpecialTokens });
          const ours = tokenizer.encode(first, second, { maxLength, addSpecialTokens });
          assert.deepEqual(ours.sequenceIds, hf.getSequenceIds().map((s) => (s === 0 || s === 1 ? s : null)), `${a}+${b} max ${maxLength}`);
        }
      }
    }
  }
});

test("pair truncation equals Rust tokenizers when words have several pieces", async () => {
  const tokenizer = new BertTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "x", "##x"]);
  const dir = join(mkdtempSync(join(tmpdir(), "course-text-")), "xx");
  saveTokenizer(tokenizer, dir);
  const rust = loadRust(dir);
  const text = (words: number, pieces: number): string => Array(words).fill("x".repeat(pieces)).join(" ");
  for (const maxLength of [9, 16]) {
    rust.setTruncation(maxLength);
    for (let wa = 1; wa <= 12; wa++)
      for (let la = 1; la <= 5; la++)
        for (const [wb, lb] of [[4, 5], [5, 4], [16, 1], [8, 2], [3, 6], [2, 9]] as const) {
          const hf = await rust.encode(text(wa, la), text(wb, lb));
          const ours = tokenizer.encode(text(wa, la), text(wb, lb), { maxLength });
          assert.deepEqual(ours.inputIds, hf.getIds(), `${wa}x${la} + ${wb}x${lb} max ${maxLength}`);
        }
  }
});
