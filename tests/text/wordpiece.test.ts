import { test } from "node:test";
import assert from "node:assert/strict";
import { WordPieceModel, BertTokenizer } from "../../lib/text";

// The ten-token vocabulary of google-research/bert tokenization_test.py.
const VOCAB = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"];

test("greedy longest-match-first splits words into pieces", () => {
  const model = new WordPieceModel(VOCAB);
  assert.deepEqual(model.tokenize("unwanted"), ["un", "##want", "##ed"]);
  assert.deepEqual(model.tokenize("running"), ["runn", "##ing"]);
  assert.deepEqual(model.tokenize("want"), ["want"]);
});

test("a word with an unmatched position becomes one [UNK]", () => {
  const model = new WordPieceModel(VOCAB);
  assert.deepEqual(model.tokenize("unwantedx"), ["[UNK]"]);
});

test("whole-text tokenize (google-research/bert golden)", () => {
  const tokenizer = new BertTokenizer(VOCAB);
  assert.deepEqual(tokenizer.tokenize(""), []);
  assert.deepEqual(tokenizer.tokenize("unwanted running"), ["un", "##want", "##ed", "runn", "##ing"]);
  assert.deepEqual(tokenizer.tokenize("unwantedX running"), ["[UNK]", "runn", "##ing"]);
});

test("words longer than maxInputCharsPerWord code points are [UNK]; exactly the limit is tried", () => {
  const model = new WordPieceModel(["[UNK]", "a", "##a", "😀", "##😀"]);
  assert.deepEqual(model.tokenize("a".repeat(101)), ["[UNK]"]);
  assert.equal(model.tokenize("a".repeat(100)).length, 100);
  // 100 emoji are 200 UTF-16 units but 100 code points: still tokenized.
  assert.equal(model.tokenize("😀".repeat(100)).length, 100);
  assert.deepEqual(model.tokenize("😀".repeat(101)), ["[UNK]"]);
});

test("never splits a surrogate pair", () => {
  const model = new WordPieceModel(["[UNK]", "x", "##x", "\uD83D"]);
  assert.deepEqual(model.tokenize("x😀"), ["[UNK]"]);
});

test("refuses a vocabulary without [UNK] or with duplicates", () => {
  assert.throws(() => new WordPieceModel(["a", "b"]), /no unknown token "\[UNK\]"/);
  assert.throws(() => new WordPieceModel(["[UNK]", "a", "a"]), /appears twice \(ids 1 and 2\)/);
});
