import { test } from "node:test";
import assert from "node:assert/strict";
import { encodePrompt, parseTemplate } from "../../lib/fewshot";
import { tinyTokenizer } from "../tasks/helpers";

const tokenizer = tinyTokenizer();
const id = (t: string) => tokenizer.tokenToId(t) as number;

test("encodes [CLS] prefix text suffix [SEP], the same ids as encoding the filled-in sentence", () => {
  const template = parseTemplate(tokenizer, "{text} a [MASK] film .");
  const ids = encodePrompt(tokenizer, template, "a warm , funny little film", 32);
  assert.deepEqual(ids, tokenizer.encode("a warm , funny little film a [MASK] film .").inputIds);
  assert.equal(ids.filter((i) => i === id("[MASK]")).length, 1);
});

test("cuts the text, never the template, so the [MASK] survives maxLength", () => {
  const template = parseTemplate(tokenizer, "{text} a [MASK] film .");
  const ids = encodePrompt(tokenizer, template, "good bad fun slow good bad fun slow good bad", 10);
  assert.equal(ids.length, 10);
  assert.deepEqual(ids.slice(-5), [id("a"), id("[MASK]"), id("film"), id("."), id("[SEP]")]);
  assert.deepEqual(ids.slice(0, 4), [id("[CLS]"), id("good"), id("bad"), id("fun")]);
});

test("refuses templates without {text}, without [MASK] or with two, and a template longer than maxLength", () => {
  assert.throws(() => parseTemplate(tokenizer, "It was [MASK]."), /needs \{text\} exactly once \(it has it 0 times\)/);
  assert.throws(() => parseTemplate(tokenizer, "{text} {text} [MASK]"), /needs \{text\} exactly once \(it has it 2 times\)/);
  assert.throws(() => parseTemplate(tokenizer, "{text} It was good."), /exactly one \[MASK\] \(it has 0\)/);
  assert.throws(() => parseTemplate(tokenizer, "[MASK] {text} [MASK]"), /exactly one \[MASK\] \(it has 2\)/);
  const template = parseTemplate(tokenizer, "{text} a [MASK] film .");
  assert.throws(() => encodePrompt(tokenizer, template, "good", 6), /takes 6 of maxLength 6 tokens; raise maxLength/);
  assert.throws(() => encodePrompt(tokenizer, template, "good [MASK]", 32), /contains \[MASK\] itself/);
});
