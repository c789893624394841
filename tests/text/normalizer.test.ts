import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeBert, preTokenizeBert, isBertPunctuation, isBertWhitespace, isBertControl, isCjkCharacter } from "../../lib/text";

const words = (text: string, options = {}): string[] => preTokenizeBert(text, options).map((w) => w.text);

// Golden cases from google-research/bert tokenization_test.py (BasicTokenizer).
test("uncased: lowercases, splits punctuation and whitespace", () => {
  assert.deepEqual(words(" \tHeLLo!how  \n Are yoU?  "), ["hello", "!", "how", "are", "you", "?"]);
  assert.deepEqual(words("H\u00E9llo"), ["hello"]);
});

test("cased: keeps case and accents", () => {
  assert.deepEqual(words(" \tHeLLo!how  \n Are yoU?  ", { lowercase: false }), ["HeLLo", "!", "how", "Are", "yoU", "?"]);
  assert.deepEqual(words("H\u00E9llo", { lowercase: false }), ["H\u00E9llo"]);
});

test("lowercase without stripping accents when asked", () => {
  assert.deepEqual(words("H\u00E9llo", { lowercase: true, stripAccents: false }), ["h\u00E9llo"]);
});

test("CJK ideographs become one word each", () => {
  assert.deepEqual(words("ah\u535A\u63A8zz"), ["ah", "\u535A", "\u63A8", "zz"]);
  assert.equal(normalizeBert("ah\u535Azz"), "ah \u535A zz");
  // Hiragana is not in the CJK ideograph ranges: stays inside its word.
  assert.deepEqual(words("ひらがな漢", { lowercase: false }), ["ひらがな", "漢"]);
  assert.deepEqual(words("ひらがな"), ["ひらかな"]); // uncased strips the dakuten (an Mn mark after NFD), as HF does
});

test("control, format, zero-width, NUL and U+FFFD are deleted; whitespace becomes a space", () => {
  assert.equal(normalizeBert("a\u0000b\uFFFDc\u200Bd\u0001e\u00ADf"), "abcdef");
  assert.equal(normalizeBert("a\tb\nc\rd\u3000e\u00A0f"), "a b c d e f");
  assert.deepEqual(words("a\u200Bb c"), ["ab", "c"]);
});

test("lone surrogates are deleted like U+FFFD", () => {
  assert.deepEqual(words("x\uD800y \uDC00z"), ["xy", "z"]);
});

test("per-character lowercase: no final-sigma rule (as Rust char::to_lowercase)", () => {
  assert.deepEqual(words("ΣΑΣ", { lowercase: true, stripAccents: false }), ["σασ"]);
});

test("strip accents removes nonspacing marks after NFD", () => {
  assert.deepEqual(words("Ångström naïve e\u0301"), ["angstrom", "naive", "e"]);
});

test("punctuation: ASCII symbol ranges and Unicode P*, but not other symbols", () => {
  for (const ch of "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") assert.ok(isBertPunctuation(ch.codePointAt(0)!), ch);
  for (const ch of "¿—“”「」。、") assert.ok(isBertPunctuation(ch.codePointAt(0)!), ch);
  for (const ch of "a1€©∑😀") assert.ok(!isBertPunctuation(ch.codePointAt(0)!), ch);
});

test("character classes", () => {
  assert.ok(isBertWhitespace(0x20) && isBertWhitespace(0x3000) && !isBertWhitespace(0x200b));
  assert.ok(isBertControl(0x200b) && isBertControl(0x7f) && !isBertControl(0x09));
  assert.ok(isCjkCharacter(0x4e2d) && isCjkCharacter(0x20000) && !isCjkCharacter(0x3042));
});

test("word spans point into the original text", () => {
  const text = "Caf\u00E9 x\u200By 😀!";
  const got = preTokenizeBert(text).map((w) => [w.text, text.slice(w.start, w.end)]);
  assert.deepEqual(got, [["cafe", "Caf\u00E9"], ["xy", "x\u200By"], ["😀", "😀"], ["!", "!"]]);
});
