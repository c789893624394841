/**
 * Property tests over random Unicode (full code-point range: astral planes, lone surrogates, combining marks,
 * zero-width and control characters, CJK, emoji).
 *
 * The round-trip property, precisely: let W be the pre-tokenised words of `text` (normalised) that do not become
 * [UNK]. Then `decode(encode(text).inputIds, { skipSpecialTokens: true, cleanup: false })` equals `W.join(" ")`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { BertTokenizer, normalizeBert, preTokenizeBert, trainWordPiece, saveTokenizer } from "../../lib/text";
import { loadRust } from "./parity-helpers";

const FIXTURE = readFileSync(join(__dirname, "..", "fixtures", "text", "multilingual.txt"), "utf8").split("\n");
const tokenizer = trainWordPiece(FIXTURE, { vocabSize: 300, minFrequency: 1 });

// Characters a fuzzer rarely hits by chance, mixed in on purpose.
const SPECIAL_CHARS = ["\u0000", "\u200B", "\u200D", "\uFEFF", "\u00AD", "\uFFFD", "\u0301", "\u0308", "\uD800", "\uDC00", "Σ", "İ", "中", "😀", "👍🏽", "\t", "\u3000", "\u0085", "[", "]", "[MASK]", "#", "##"];
const text = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
    { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
    { weight: 2, arbitrary: fc.constantFrom(...FIXTURE.join(" ").split(" ")) },
    { weight: 1, arbitrary: fc.constant(" ") },
  ),
  { maxLength: 30 },
).map((parts) => parts.join(""));

test("normaliser, pre-tokeniser, encoder and decoder never throw", () => {
  fc.assert(
    fc.property(text, fc.boolean(), (t, lowercase) => {
      normalizeBert(t, { lowercase });
      preTokenizeBert(t, { lowercase });
      const enc = tokenizer.encode(t, t, { maxLength: 16, padding: "maxLength" });
      assert.equal(enc.inputIds.length, 16);
      tokenizer.decode(enc.inputIds);
    }),
    { numRuns: 500 },
  );
});

test("decode(encode(text)) gives the normalised words joined by spaces, [UNK] words left out", () => {
  fc.assert(
    fc.property(text, (t) => {
      if (t.includes("[")) return; // literal special tokens ([MASK]) are kept whole, not normalised: tested elsewhere
      const words = tokenizer.preTokenize(t).filter((w) => !tokenizer.model.tokenize(w.text).includes("[UNK]"));
      const ids = tokenizer.encode(t).inputIds;
      assert.equal(tokenizer.decode(ids, { skipSpecialTokens: true, cleanup: false }), words.map((w) => w.text).join(" "));
    }),
    { numRuns: 500 },
  );
});

test("offsets are in-bounds, ordered, and slice a non-empty piece of the original", () => {
  fc.assert(
    fc.property(text, (t) => {
      const enc = tokenizer.encode(t, null, { addSpecialTokens: false });
      let last = 0;
      for (const [a, b] of enc.offsets) {
        assert.ok(0 <= a && a < b && b <= t.length, `offset [${a}, ${b}) in ${JSON.stringify(t)}`);
        assert.ok(a >= last, "token starts never go backwards");
        last = a;
      }
    }),
    { numRuns: 300 },
  );
});

test("random text: ids and word ids equal Rust tokenizers (uncased and cased)", async () => {
  for (const lowercase of [true, false]) {
    const ours: BertTokenizer = trainWordPiece(FIXTURE, { vocabSize: 300, minFrequency: 1, lowercase });
    const dir = join(mkdtempSync(join(tmpdir(), "course-text-")), "fuzz");
    saveTokenizer(ours, dir);
    const rust = loadRust(dir);
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const hf = await rust.encode(t);
        const enc = ours.encode(t);
        assert.deepEqual(enc.inputIds, hf.getIds());
        assert.deepEqual(enc.wordIds, hf.getWordIds().map((w) => w ?? null));
      }),
      { numRuns: 400 },
    );
  }
});
