import { test } from "node:test";
import assert from "node:assert/strict";
import { isBlankLine, splitFields, trimFormatWhitespace } from "../../lib/text";

const UNICODE_SPACES = ["\u00a0", "\u2028", "\u2029", "\u0085", "\ufeff", "\u3000", "\u2003", "\u000b", "\u000c"];

test("only ASCII space, tab, CR and LF are format whitespace; JavaScript's other whitespace is data", () => {
  for (const ch of UNICODE_SPACES) {
    if (ch !== "\u0085") assert.equal(ch.trim(), "", `${JSON.stringify(ch)}: trim() removes it`); // the trap these helpers avoid (NEL is not JS whitespace)
    assert.equal(isBlankLine(ch), false, JSON.stringify(ch));
    assert.equal(trimFormatWhitespace(` ${ch}x${ch}\t`), `${ch}x${ch}`, JSON.stringify(ch));
    assert.deepEqual(splitFields(`a${ch}b c\t${ch}`), [`a${ch}b`, "c", ch], JSON.stringify(ch));
  }
  assert.equal(isBlankLine(" \t\r\n"), true);
  assert.equal(isBlankLine(""), true);
  assert.deepEqual(splitFields("  "), []);
  assert.equal(trimFormatWhitespace("\r\n x \n"), "x");
});
