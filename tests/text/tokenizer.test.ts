import { test } from "node:test";
import assert from "node:assert/strict";
import { BertTokenizer, longestFirstLengths } from "../../lib/text";

const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn", "##ing", ",", "the", "cat"];
const tokenizer = new BertTokenizer(VOCAB);

test("encodes a single text with [CLS] and [SEP]", () => {
  const enc = tokenizer.encode("UNwanted, running");
  assert.deepEqual(enc.tokens, ["[CLS]", "un", "##want", "##ed", ",", "runn", "##ing", "[SEP]"]);
  assert.deepEqual(enc.inputIds, [2, 9, 6, 7, 12, 10, 11, 3]);
  assert.deepEqual(enc.attentionMask, [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(enc.tokenTypeIds, [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(enc.specialTokensMask, [1, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(enc.wordIds, [null, 0, 0, 0, 1, 2, 2, null]);
  assert.deepEqual(enc.offsets, [[0, 0], [0, 2], [2, 6], [6, 8], [8, 9], [10, 14], [14, 17], [0, 0]]);
});

test("offsets slice the original text, even through accents and deleted characters", () => {
  const text = "Wánt\u200Bed THE cat";
  const enc = tokenizer.encode(text, null, { addSpecialTokens: false });
  assert.deepEqual(enc.tokens, ["want", "##ed", "the", "cat"]);
  assert.deepEqual(enc.offsets.map(([a, b]) => text.slice(a, b)), ["Wánt", "ed", "THE", "cat"]);
});

test("pairs: token types 0 then 1, word ids restart for the second text", () => {
  const enc = tokenizer.encode("the cat", "want");
  assert.deepEqual(enc.tokens, ["[CLS]", "the", "cat", "[SEP]", "want", "[SEP]"]);
  assert.deepEqual(enc.tokenTypeIds, [0, 0, 0, 0, 1, 1]);
  assert.deepEqual(enc.wordIds, [null, 0, 1, null, 0, null]);
  assert.deepEqual(enc.sequenceIds, [null, 0, 0, null, 1, null]);
});

test("longest-first truncation (HF's rule): the longer text is cut first, then both halves", () => {
  // [first, second, budget] → kept lengths
  const table: [number, number, number, [number, number]][] = [
    [3, 4, 10, [3, 4]],
    [2, 10, 6, [2, 4]],
    [10, 2, 6, [4, 2]],
    [5, 5, 6, [3, 3]],
    [5, 6, 7, [3, 4]],
    [6, 5, 7, [4, 3]],
    [9, 9, 0, [0, 0]],
  ];
  for (const [a, b, budget, expected] of table) assert.deepEqual(longestFirstLengths(a, b, budget), expected, `${a},${b},${budget}`);
});

test("truncation and padding to maxLength", () => {
  const enc = tokenizer.encode("the cat the cat the cat", "want want want", { maxLength: 8, padding: "maxLength" });
  assert.deepEqual(enc.tokens, ["[CLS]", "the", "cat", "the", "[SEP]", "want", "want", "[SEP]"]);
  const short = tokenizer.encode("cat", null, { maxLength: 5, padding: "maxLength" });
  assert.deepEqual(short.inputIds, [2, 14, 3, 0, 0]);
  assert.deepEqual(short.attentionMask, [1, 1, 1, 0, 0]);
  assert.deepEqual(short.specialTokensMask, [1, 0, 1, 1, 1]);
  assert.throws(() => tokenizer.encode("cat", "cat", { maxLength: 2 }), /leaves no room for the 3 special tokens/);
});

test("batch padding to the longest", () => {
  const batch = tokenizer.encodeBatch(["the cat", ["want", "the cat cat"], "cat"], { padding: "longest" });
  assert.deepEqual(batch.map((e) => e.inputIds.length), [7, 7, 7]);
  assert.deepEqual(batch[2]!.attentionMask, [1, 1, 1, 0, 0, 0, 0]);
});

test("special tokens written in the text are kept whole", () => {
  assert.deepEqual(tokenizer.tokenize("the [MASK] sat[SEP]"), ["the", "[MASK]", "[UNK]", "[SEP]"]);
});

test("decode glues ## pieces, skips specials on request, cleans up punctuation", () => {
  const enc = tokenizer.encode("UNwanted, running");
  assert.equal(tokenizer.decode(enc.inputIds), "[CLS] unwanted, running [SEP]");
  assert.equal(tokenizer.decode(enc.inputIds, { skipSpecialTokens: true }), "unwanted, running");
  assert.equal(tokenizer.decode(enc.inputIds, { skipSpecialTokens: true, cleanup: false }), "unwanted , running");
  assert.equal(tokenizer.decode([999, 13]), "the");
});
