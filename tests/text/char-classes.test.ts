/** Every code point, classified and normalised as Rust `tokenizers` does (guards lib/text/unicode-tables.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bertNormalizer, bertPreTokenizer } from "tokenizers";
import { normalizeBert, preTokenizeBert } from "../../lib/text";

test("normalisation of every code point equals Rust BertNormalizer (uncased and cased)", () => {
  for (const lowercase of [true, false]) {
    const rust = bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: lowercase, lowercase });
    const bad: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (normalizeBert(c, { lowercase }) !== rust.normalizeString(c)) bad.push(cp.toString(16));
    }
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} code points differ (lowercase ${lowercase})`);
  }
});

test("pre-tokenisation of every code point between two letters equals Rust BertPreTokenizer", () => {
  const rust = bertPreTokenizer();
  const bad: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = `a${String.fromCodePoint(cp)}a`;
    const ours = preTokenizeBert(s, { cleanText: false, handleChineseChars: false, lowercase: false }).length;
    if (ours !== rust.preTokenizeString(s).length) bad.push(cp.toString(16));
  }
  assert.deepEqual(bad.slice(0, 20), [], `${bad.length} code points differ`);
});
