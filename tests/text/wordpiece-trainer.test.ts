import { test } from "node:test";
import assert from "node:assert/strict";
import { trainWordPiece, countWords } from "../../lib/text";

const CORPUS = [
  "the cat sat on the mat",
  "the cat ate the rat",
  "a rat sat on a hat",
  "the hat is on the cat",
  "unwanted running, running again!",
];

test("special tokens come first, in order", () => {
  const tokenizer = trainWordPiece(CORPUS, { vocabSize: 60 });
  assert.deepEqual(tokenizer.model.vocab.slice(0, 5), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
});

test("vocabulary has the requested size, ## continuation pieces and no duplicates", () => {
  const tokenizer = trainWordPiece(CORPUS, { vocabSize: 55, minFrequency: 1 });
  const vocab = tokenizer.model.vocab;
  assert.equal(vocab.length, 55);
  assert.ok(trainWordPiece(CORPUS, { vocabSize: 55 }).model.vocab.length < 55, "minFrequency 2 stops earlier on this corpus");
  assert.equal(new Set(vocab).size, vocab.length);
  assert.ok(vocab.includes("##at"), "learned a continuation merge");
  assert.ok(vocab.includes("the"), "learned a frequent word");
});

test("every training word tokenizes without [UNK] (the alphabet is complete)", () => {
  const tokenizer = trainWordPiece(CORPUS, { vocabSize: 40 });
  for (const line of CORPUS) assert.ok(!tokenizer.tokenize(line).includes("[UNK]"), line);
});

test("minFrequency stops merging pairs seen fewer times", () => {
  const rare = trainWordPiece(["ab ab cd"], { vocabSize: 100, minFrequency: 2 });
  assert.ok(rare.model.vocab.includes("ab"));
  assert.ok(!rare.model.vocab.includes("cd"), "cd occurs once");
  const once = trainWordPiece(["ab ab cd"], { vocabSize: 100, minFrequency: 1 });
  assert.ok(once.model.vocab.includes("cd"));
});

test("training is deterministic and follows the corpus order-independently", () => {
  const a = trainWordPiece(CORPUS, { vocabSize: 50 }).model.vocab;
  const b = trainWordPiece([...CORPUS].reverse(), { vocabSize: 50 }).model.vocab;
  assert.deepEqual(a, b);
});

test("cased training keeps capitals; counts use BERT words", () => {
  assert.deepEqual([...countWords(["Hello, hello!"]).entries()], [["hello", 2], [",", 1], ["!", 1]]);
  const cased = trainWordPiece(["Hello hello Hello"], { vocabSize: 30, lowercase: false, minFrequency: 1 });
  assert.ok(cased.model.vocab.includes("Hello") && cased.model.vocab.includes("hello"));
});

test("limitAlphabet keeps the most frequent characters; words with others become [UNK] and teach no merges", () => {
  const texts = ["aaa bbb aaa bbb ab ab", "zq zq", "猫 猫 猫 狗"]; // a: 8, b: 8, 猫: 3, z: 2, q: 2, 狗: 1
  const limited = trainWordPiece(texts, { vocabSize: 100, minFrequency: 1, limitAlphabet: 3 });
  const vocab = limited.model.vocab;
  for (const ch of ["a", "b", "猫"]) assert.ok(vocab.includes(ch), `${ch} kept`);
  for (const ch of ["z", "q", "狗", "##q"]) assert.ok(!vocab.includes(ch), `${ch} dropped`);
  assert.ok(!vocab.includes("zq"), "a word with a dropped character is not merged");
  assert.deepEqual(limited.tokenize("aaa zq 狗 猫"), ["aaa", "[UNK]", "[UNK]", "猫"]);
  assert.ok(trainWordPiece(texts, { vocabSize: 100, minFrequency: 1 }).model.vocab.includes("狗"), "without the limit every character stays");
  assert.throws(() => trainWordPiece(texts, { limitAlphabet: 0 }), /limitAlphabet 0/);
});
