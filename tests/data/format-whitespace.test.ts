/**
 * Issue #11 part 1, the kind: every text reader in lib/data splits lines only at `\n` / `\r\n` and fields only at
 * what its format defines, so U+2028, U+2029, U+0085, U+00A0, U+FEFF (not at the file's start) and a lone `\r`
 * inside data come through unchanged. `String.prototype.trim`, `\s` and `Number()` treat most of them as
 * whitespace; these tests fail on readers that use them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJsonLines } from "../../lib/data/jsonl";
import { parseConll } from "../../lib/data/conll";
import { parseGutenberg } from "../../lib/data/gutenberg";
import { parseSst2 } from "../../lib/data/sst2";
import { parseFinancialPhraseBank } from "../../lib/data/financial-phrasebank";
import { parseTnews } from "../../lib/data/tnews";
import { parseEprstmt } from "../../lib/data/eprstmt";
import { parseBanking77 } from "../../lib/data/banking77";
import { parseEpochTable } from "../../lib/data/epoch";
import { parseRatings } from "../../lib/data/movielens";
import { parseNumberField } from "../../lib/data/number-field";
import { splitLines } from "../../lib/data/decode";

/** The code points JavaScript calls whitespace or line breaks that our formats call data, plus a lone CR. */
const ODD = { LS: "\u2028", PS: "\u2029", NEL: "\u0085", NBSP: "\u00a0", BOM: "\ufeff", CR: "\r" } as const;

test("splitLines breaks only at \\n and \\r\\n; U+2028, U+2029, U+0085 and a lone \\r stay inside a line", () => {
  const text = `a${ODD.LS}b\nc${ODD.PS}d${ODD.NEL}e\r\nf${ODD.CR}g\n`;
  assert.deepEqual(splitLines(text), [`a${ODD.LS}b`, `c${ODD.PS}d${ODD.NEL}e`, `f${ODD.CR}g`]);
  assert.deepEqual(splitLines(`${ODD.BOM}x\n${ODD.BOM}y\n`), ["x", `${ODD.BOM}y`], "only the file's first BOM is a mark");
});

for (const [name, ch] of Object.entries(ODD)) {
  test(`JSON Lines: ${name} inside a string is kept, and a line holding only ${name} is not skipped as blank`, () => {
    // A raw CR may not sit inside a JSON string, but between tokens it is JSON whitespace, not a line end.
    const line = ch === ODD.CR ? `{"s":${ch}"xy"}` : `{"s": "x${ch}y"}`;
    const [entry] = parseJsonLines(`${line}\n`, { file: "f.jsonl" });
    assert.deepEqual(entry?.value, { s: ch === ODD.CR ? "xy" : `x${ch}y` });
    if (ch !== "\r") assert.throws(() => parseJsonLines(`{"s": 1}\n${ch}\n`, { file: "f.jsonl" }), /f\.jsonl:2: invalid JSON/);
  });
}

test("JSON Lines: a line of ASCII spaces, tabs and CR is blank (JSON's own whitespace)", () => {
  assert.equal(parseJsonLines(`{"a": 1}\n \t\r\n{"a": 2}\n`).length, 2);
});

test("TNEWS and EPRSTMT keep Unicode spaces at a sentence's ends (only ASCII spaces are trimmed)", () => {
  const labels = [{ code: 100, en: "story", zh: "故事" }];
  const sentence = `\u3000${ODD.NBSP}新闻${ODD.LS}标题${ODD.BOM} `;
  const [t] = parseTnews(JSON.stringify({ label: 100, sentence, keywords: "" }) + "\n", labels);
  assert.equal(t?.text, sentence.slice(0, -1));
  const [e] = parseEprstmt(JSON.stringify({ id: 1, sentence: ` ${sentence}`, label: "Positive" }) + "\n");
  assert.equal(e?.text, sentence.slice(0, -1));
  assert.throws(() => parseEprstmt(JSON.stringify({ id: 1, sentence: " \t ", label: "Positive" }) + "\n", { file: "e.json" }), /e\.json:1: empty sentence/);
});

test("CoNLL: columns split at ASCII spaces only, so a token may be or hold U+00A0, U+2028, U+FEFF, U+0085", () => {
  for (const ch of [ODD.NBSP, ODD.LS, ODD.PS, ODD.BOM, ODD.NEL]) {
    const { sentences } = parseConll(`-DOCSTART- -X- -X- O\n\nNew${ch}York NNP B-NP B-LOC\n${ch} NN I-NP O\n`, { file: "c.txt" });
    assert.deepEqual(sentences[0]?.tokens, [`New${ch}York`, ch], JSON.stringify(ch));
  }
  // A line holding only U+00A0 is not a sentence break: it is a one-column line, an error naming the line.
  assert.throws(() => parseConll(`A NN B-NP O\n${ODD.NBSP}\nB NN B-NP O\n`, { file: "c.txt" }), /c\.txt:2: expected 4 columns/);
  // CRLF files and tab-separated columns still read.
  assert.deepEqual(parseConll("A\tNN\tB-NP\tO\r\n\r\nB NN B-NP O\r\n").sentences.length, 2);
});

test("Gutenberg: a line of U+00A0 or U+2028 is text, not a paragraph break; ASCII-blank lines still are", () => {
  const book = ["Title: T", "*** START OF THE BOOK ***", "one", ODD.NBSP, "two", "", `${ODD.LS}three `, "*** END OF THE BOOK ***", ""].join("\r\n");
  const parsed = parseGutenberg(book, { file: "g.txt" });
  assert.deepEqual(parsed.paragraphs, [`one ${ODD.NBSP} two`, `${ODD.LS}three`]);
  assert.equal(parsed.title, "T");
});

test("SST-2: the sentence keeps U+00A0, U+2028, U+FEFF and a lone \\r; only the trailing ASCII space goes", () => {
  for (const ch of Object.values(ODD)) {
    const [row] = parseSst2(`sentence\tlabel\n${ch}go${ch}od${ch} \t1\n`);
    const kept = ch === ODD.CR ? `go${ch}od` : `${ch}go${ch}od${ch}`; // CR at an edge is ASCII whitespace
    assert.equal(row?.text, kept, JSON.stringify(ch));
  }
});

test("Financial PhraseBank: Unicode spaces around the sentence are data; ASCII spaces are trimmed", () => {
  const [row] = parseFinancialPhraseBank(`${ODD.NBSP}Profit rose${ODD.LS} @positive\r\n`);
  assert.equal(row?.text, `${ODD.NBSP}Profit rose${ODD.LS}`);
  assert.throws(() => parseFinancialPhraseBank(" \t@positive\n", { file: "p.txt" }), /p\.txt:1: empty sentence/);
});

test("Banking77: only ASCII whitespace and newlines around a text are trimmed", () => {
  const [row] = parseBanking77(`text,category\n"${ODD.NBSP}card?${ODD.PS}\n",lost\n`, ["lost"]);
  assert.equal(row?.text, `${ODD.NBSP}card?${ODD.PS}`);
});

test("numbers: Number() reads U+00A0, U+2028 and U+FEFF as 0; the readers refuse them instead", () => {
  assert.equal(Number(ODD.NBSP), 0); // the trap
  for (const ch of [ODD.NBSP, ODD.LS, ODD.BOM, " ", ""]) assert.equal(parseNumberField(ch), undefined, JSON.stringify(ch));
  assert.deepEqual(["-3", "2.5", ".5", "1.2e+24", "7."].map(parseNumberField), [-3, 2.5, 0.5, 1.2e24, 7]);
  assert.throws(() => parseRatings(`userId,movieId,rating,timestamp\n1,${ODD.NBSP},4,5\n`, { file: "r.csv" }), /r\.csv:2: column "movieId" should be a number/);
  const header = "Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Country (of organization),Model accessibility";
  assert.throws(
    () => parseEpochTable(`${header}\nM,O,2020-01-01,Language,${ODD.NBSP},,US,Unreleased\n`, "notable", { file: "e.csv" }),
    /e\.csv:2: column "Parameters" holds/,
  );
  const [m] = parseEpochTable(`${header}\n${ODD.NBSP}M ,O,2020-01-01,Language, 7e9 ,,US,Unreleased\n`, "notable").models;
  assert.equal(m?.model, `${ODD.NBSP}M`);
  assert.equal(m?.parameters, 7e9);
});
