import { test } from "node:test";
import assert from "node:assert/strict";
import { buildVerbalizer } from "../../lib/fewshot";
import { tinyTokenizer } from "../tasks/helpers";

const tokenizer = tinyTokenizer();

test("maps each label's word to its single token id, by label name or by label order", () => {
  const byName = buildVerbalizer(tokenizer, ["negative", "positive"], { positive: "good", negative: "bad" });
  assert.deepEqual(byName, { labels: ["negative", "positive"], words: ["bad", "good"], tokenIds: [tokenizer.tokenToId("bad"), tokenizer.tokenToId("good")] });
  assert.deepEqual(buildVerbalizer(tokenizer, ["negative", "positive"], ["bad", "good"]).tokenIds, byName.tokenIds);
  assert.deepEqual(buildVerbalizer(tokenizer, ["n", "p"], ["BAD", "Good"]).tokenIds, byName.tokenIds, "the tokenizer's normalizer lower-cases");
});

test("a word that splits into several tokens is refused, with its pieces and the way out", () => {
  assert.throws(() => buildVerbalizer(tokenizer, ["negative", "positive"], ["boycott", "good"]), /"boycott" of label "negative" is 2 tokens \[boy ##cott\].*single vocabulary entry/);
});

test("an unknown word, a missing label, an extra label, a wrong count and a shared token are refused", () => {
  assert.throws(() => buildVerbalizer(tokenizer, ["negative", "positive"], ["zebra", "good"]), /"zebra" of label "negative" is unknown \(\[UNK\]\)/);
  assert.throws(() => buildVerbalizer(tokenizer, ["negative", "positive"], { negative: "bad" }), /label "positive" has no word/);
  assert.throws(() => buildVerbalizer(tokenizer, ["negative", "positive"], { negative: "bad", positive: "good", neutral: "fun" }), /"neutral" not among the labels/);
  assert.throws(() => buildVerbalizer(tokenizer, ["negative", "positive"], ["bad"]), /1 words for 2 labels/);
  assert.throws(() => buildVerbalizer(tokenizer, ["negative", "positive"], ["good", "GOOD"]), /"negative" and "positive" map to the same token "good"/);
});
