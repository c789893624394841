/**
 * Issue #11 part 2: tokenizer.json's added tokens, every flag, checked against Rust `tokenizers` 0.23.2 (the
 * devDependency) loading the same file. The case file is the one from the issue (tests/fixtures/text).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tokenizer as HfTokenizer } from "tokenizers";
import { loadTokenizer, saveTokenizer, tokenizerFromJson, type BertTokenizer } from "../../lib/text";
import { codePointOffsetsToUtf16 } from "./parity-helpers";

const CASE = join(__dirname, "..", "fixtures", "text", "added-tokens.tokenizer.json");
const caseText = (): string => readFileSync(CASE, "utf8");

test("the issue's right values: [E1] (special, raw) and helloxxx (id 21, past the vocabulary, normalised)", () => {
  const tokenizer = tokenizerFromJson(caseText(), CASE);
  assert.deepEqual(tokenizer.encode("hello [E1] world").inputIds, [2, 9, 20, 10, 3]);
  assert.deepEqual(tokenizer.encode("helloxxxcommitted").inputIds, [2, 21, 14, 3]);
  assert.deepEqual(tokenizer.encode("HelloXXX world").inputIds, [2, 21, 10, 3]);
  assert.equal(tokenizer.vocabSize, 22);
  assert.equal(tokenizer.decode([2, 21, 14, 3], { skipSpecialTokens: true }), "helloxxx committed");
  assert.equal(tokenizer.idToToken(21), "helloxxx");
  assert.equal(tokenizer.tokenToId("helloxxx"), 21);
});

/** Every field of our encoding against Rust's, for one text. */
async function assertSameAsRust(ours: BertTokenizer, rust: HfTokenizer, text: string, where: string): Promise<void> {
  const hf = await rust.encode(text);
  const enc = ours.encode(text);
  const label = `${where}: ${JSON.stringify(text)}`;
  assert.deepEqual(enc.inputIds, hf.getIds(), label);
  assert.deepEqual(enc.tokens, hf.getTokens(), label);
  assert.deepEqual(enc.wordIds, hf.getWordIds().map((w) => w ?? null), label);
  assert.deepEqual(enc.specialTokensMask, hf.getSpecialTokensMask(), label);
  const offsets = hf.getOffsets().map((o, k) => (hf.getSequenceIds()[k] === 0 ? codePointOffsetsToUtf16(text, [o])[0]! : [0, 0]));
  assert.deepEqual(enc.offsets, offsets, label);
  for (const skip of [false, true]) assert.equal(ours.decode(enc.inputIds, { skipSpecialTokens: skip }), await rust.decode(hf.getIds(), skip), `decode ${label}`);
}

const TEXTS = [
  "hello [E1] world", "helloxxxcommitted", "HelloXXX world", "hello[E1]world", "xhelloxxx", "[e1] hello", "[E1][E1]",
  "a [E1]  b", "HELLOXXX\u00a0helloxxx\u2028[E1]\u3000world", "有helloxxx有", "ñhelloxxx_", "hello_[E1]_world",
  "committed [MASK] [CLS]", "  [E1]  ", "", "héllöxxx", "hello\tworld\n[E1]\r\nhelloxxx",
];

test("the case file: ids, tokens, word ids, offsets, special mask and decoding equal Rust tokenizers", async () => {
  const ours = tokenizerFromJson(caseText(), CASE);
  const rust = HfTokenizer.fromFile(CASE);
  assert.equal(ours.vocabSize, rust.getVocabSize(true));
  for (const text of TEXTS) await assertSameAsRust(ours, rust, text, "case");
});

test("each flag (single_word, lstrip, rstrip, normalized, special) and their mixes equal Rust tokenizers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "course-added-"));
  const base = JSON.parse(caseText()) as { added_tokens: Record<string, unknown>[] };
  const variants: Record<string, unknown>[] = [
    { single_word: true },
    { lstrip: true },
    { rstrip: true },
    { lstrip: true, rstrip: true },
    { lstrip: true, rstrip: true, single_word: true },
    { normalized: true },
    { special: false },
  ];
  for (const [v, flags] of variants.entries()) {
    for (const target of ["[E1]", "helloxxx"]) {
      const json = structuredClone(base);
      for (const t of json.added_tokens) if (t["content"] === target) Object.assign(t, flags);
      const file = join(dir, `v${v}-${target === "[E1]" ? "e1" : "hx"}.json`);
      writeFileSync(file, JSON.stringify(json));
      const ours = tokenizerFromJson(readFileSync(file, "utf8"), file);
      const rust = HfTokenizer.fromFile(file);
      for (const text of TEXTS) await assertSameAsRust(ours, rust, text, `${target} ${JSON.stringify(flags)}`);
    }
  }
});

test("added tokens survive saveTokenizer → loadTokenizer, and Rust reads our file the same way", async () => {
  const original = tokenizerFromJson(caseText(), CASE);
  const dir = mkdtempSync(join(tmpdir(), "course-added-"));
  saveTokenizer(original, dir);
  const back = loadTokenizer(dir);
  assert.equal(back.vocabSize, 22);
  const rust = HfTokenizer.fromFile(join(dir, "tokenizer.json"));
  for (const text of TEXTS) await assertSameAsRust(back, rust, text, "saved");
});

test("an added token whose id disagrees with what HF would assign is refused, naming the token", () => {
  const json = JSON.parse(caseText()) as { added_tokens: { content: string; id: number }[] };
  json.added_tokens.find((t) => t.content === "helloxxx")!.id = 30;
  assert.throws(() => tokenizerFromJson(JSON.stringify(json), "t.json"), /t\.json: added token "helloxxx" has id 30, but Hugging Face would give it 21/);
});
