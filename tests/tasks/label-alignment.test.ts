import { test } from "node:test";
import assert from "node:assert/strict";
import { alignLabels, encodeWords, firstSubTokenPositions } from "../../lib/tasks";
import { tinyTokenizer } from "./helpers";

const tokenizer = tinyTokenizer();

test("golden table: only each word's first sub-token keeps its label; specials and continuations get -100", () => {
  const words = ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."];
  const tags = [5, 0, 3, 0, 0, 0, 3, 0, 0]; // B-ORG O B-MISC O O O B-MISC O O as class ids
  const enc = encodeWords(tokenizer, words);
  const labels = alignLabels(enc.wordIds, tags);
  const table = enc.tokens.map((token, t) => [token, enc.wordIds[t], labels[t]]);
  assert.deepEqual(table, [
    ["[CLS]", null, -100],
    ["eu", 0, 5],
    ["rejects", 1, 0],
    ["german", 2, 3],
    ["call", 3, 0],
    ["to", 4, 0],
    ["boy", 5, 0],
    ["##cott", 5, -100],
    ["british", 6, 3],
    ["lamb", 7, 0],
    [".", 8, 0],
    ["[SEP]", null, -100],
  ]);
  assert.deepEqual(firstSubTokenPositions(enc.wordIds, words.length), [1, 2, 3, 4, 5, 6, 8, 9, 10]);
});

test("labelAllSubTokens gives continuation pieces their word's label", () => {
  assert.deepEqual(alignLabels([null, 0, 0, 1, null], [7, 2], { labelAllSubTokens: true }), [-100, 7, 7, 2, -100]);
});

test("a word BERT's pre-tokeniser would split (U.S.) stays one word: all its pieces carry its word id", () => {
  const enc = encodeWords(tokenizer, ["U.S.", "lamb"]);
  assert.deepEqual(enc.tokens, ["[CLS]", "u", ".", "s", ".", "lamb", "[SEP]"]);
  assert.deepEqual(enc.wordIds, [null, 0, 0, 0, 0, 1, null]);
  assert.deepEqual(alignLabels(enc.wordIds, [1, 0]), [-100, 1, -100, -100, -100, 0, -100]);
});

test("truncation drops whole words from the end and says how many; their first-piece position is -1", () => {
  const enc = encodeWords(tokenizer, ["boycott", "british", "lamb"], { maxLength: 5 });
  assert.deepEqual(enc.tokens, ["[CLS]", "boy", "##cott", "british", "[SEP]"]);
  assert.equal(enc.truncatedWords, 1);
  assert.deepEqual(firstSubTokenPositions(enc.wordIds, 3), [1, 3, -1]);
});

test("a word id without a label is an error naming it", () => {
  assert.throws(() => alignLabels([null, 0, 1, null], [3]), /word id 1 but only 1 word labels/);
});
