import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCsv, parseCsvRecords } from "../../lib/data/csv";
import { DataFormatError } from "../../lib/data/errors";

test("parses quoted fields holding commas, doubled quotes and newlines", () => {
  const text = 'text,category\n"a, b",x\n"she said ""hi""",y\n"line one\nline two\nline three",z\nplain,w\n';
  const table = parseCsv(text, { file: "t.csv" });
  assert.deepEqual(table.header, ["text", "category"]);
  assert.deepEqual(table.rows, [
    ["a, b", "x"],
    ['she said "hi"', "y"],
    ["line one\nline two\nline three", "z"],
    ["plain", "w"],
  ]);
  // The multi-line record starts on line 4 and pushes the next record to line 7.
  assert.deepEqual(table.rowLines, [2, 3, 4, 7]);
});

test("accepts CRLF, a BOM, no final newline and empty fields", () => {
  const table = parseCsv('\uFEFFa,b,c\r\n1,,3\r\n"x\r\ny",,\r\n4,5,6', { file: "t.csv" });
  assert.deepEqual(table.header, ["a", "b", "c"]);
  assert.deepEqual(table.rows, [["1", "", "3"], ["x\r\ny", "", ""], ["4", "5", "6"]]);
  assert.deepEqual(table.rowLines, [2, 3, 5]);
});

test("skips blank lines but keeps counting them", () => {
  const table = parseCsv("a,b\n\n1,2\n\n\n3,4\n", { file: "t.csv" });
  assert.deepEqual(table.rows, [["1", "2"], ["3", "4"]]);
  assert.deepEqual(table.rowLines, [3, 6]);
});

test("a wrong field count names file and line", () => {
  assert.throws(
    () => parseCsv('a,b\n1,2\n"x\ny",2\n1,2,3\n', { file: "bad.csv" }),
    (e: unknown) => e instanceof DataFormatError && e.file === "bad.csv" && e.line === 5 && /expected 2 fields.*got 3/.test(e.message) && e.message.startsWith("bad.csv:5:"),
  );
});

test("an unterminated quote names the line where it opened", () => {
  assert.throws(() => parseCsv('a,b\n1,2\n"never closed,3\n4,5\n', { file: "open.csv" }), (e: unknown) => e instanceof DataFormatError && e.line === 3 && /unterminated/.test(e.message));
});

test("stray quotes and text after a closing quote are errors, not guesses", () => {
  assert.throws(() => parseCsv('a,b\n1,x"y\n', { file: "s.csv" }), (e: unknown) => e instanceof DataFormatError && e.line === 2 && /stray double quote/.test(e.message));
  assert.throws(() => parseCsv('a,b\n"x"y,1\n', { file: "s.csv" }), (e: unknown) => e instanceof DataFormatError && e.line === 2 && /after a closing quote/.test(e.message));
});

test("an empty file is an error", () => {
  assert.throws(() => parseCsv("", { file: "empty.csv" }), (e: unknown) => e instanceof DataFormatError && /empty/.test(e.message));
  assert.throws(() => parseCsv("\n\n", { file: "blank.csv" }), /blank\.csv: file has no header/);
});

test("parseCsvRecords keys fields by header and reports missing columns", () => {
  assert.deepEqual(parseCsvRecords("x,y\n1,2\n", { file: "r.csv" }), [{ x: "1", y: "2" }]);
  assert.throws(() => parseCsvRecords("x,y\n1,2\n", { file: "r.csv", required: ["x", "label"] }), /r\.csv:1: missing column\(s\) "label"/);
});

test("tab delimiter works and quoted tabs stay inside the field", () => {
  assert.deepEqual(parseCsv('a\tb\n"1\t2"\t3\n', { delimiter: "\t" }).rows, [["1\t2", "3"]]);
});

/** RFC 4180 writer used only to generate property-test input. */
function writeCsv(rows: string[][], eol: string): string {
  const quote = (f: string): string => (/[",\r\n]/.test(f) || f === "" ? `"${f.replace(/"/g, '""')}"` : f);
  return rows.map((r) => r.map(quote).join(",")).join(eol) + eol;
}

test("round trip: parse(write(rows)) === rows for arbitrary fields (LF and CRLF)", () => {
  const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é", "中") , maxLength: 8 });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { maxLength: 6 }), fc.constantFrom("\n", "\r\n"), (width, raw, eol) => {
      const rows = raw.map((r) => r.slice(0, width));
      const header = Array.from({ length: width }, (_, i) => `c${i}`);
      const table = parseCsv(writeCsv([header, ...rows], eol), { file: "prop.csv" });
      assert.deepEqual(table.header, header);
      assert.deepEqual(table.rows, rows);
    }),
    { numRuns: 300 },
  );
});

// Issue #11, part 1: records end only at `\n` / `\r\n` (RFC 4180 §2); every other line-ish or space-ish code point is
// data. A naive csv-parse call fails several of these: its record-delimiter auto-detection adopts a lone CR that
// comes before the first LF, and its own `lines` count a lone CR (and the CR of a quoted CRLF) as a line.
const DATA_CHARACTERS: [string, string][] = [
  ["U+2028 LINE SEPARATOR", "\u2028"],
  ["U+2029 PARAGRAPH SEPARATOR", "\u2029"],
  ["U+0085 NEXT LINE", "\u0085"],
  ["U+00A0 NO-BREAK SPACE", "\u00a0"],
  ["U+FEFF ZERO WIDTH NO-BREAK SPACE", "\ufeff"],
  ["a lone CR", "\r"],
];

for (const [name, c] of DATA_CHARACTERS) {
  test(`${name} inside, around and alone in a field is data, not a record or line end`, () => {
    // (A CR right before LF is a CRLF by definition, so no unquoted field here ends in `c`.)
    const text = `a,b\nx${c}y,${c}z\n"q${c}","${c}${c}"\n${c},last\n`;
    const table = parseCsv(text, { file: "u.csv" });
    assert.deepEqual(table.rows, [[`x${c}y`, `${c}z`], [`q${c}`, `${c}${c}`], [c, "last"]]);
    assert.deepEqual(table.rowLines, [2, 3, 4]);
    // The same as TSV, and in the header before the first LF (where a CR would tempt line-ending auto-detection).
    const tsv = parseCsv(`h${c}1\th2\n1${c}\t${c}2\n`, { file: "u.tsv", delimiter: "\t" });
    assert.deepEqual(tsv.header, [`h${c}1`, "h2"]);
    assert.deepEqual(tsv.rows, [[`1${c}`, `${c}2`]]);
    assert.deepEqual(tsv.rowLines, [2]);
  });
}

test("only the one BOM at the very start is dropped; a second one, or one later, is data", () => {
  assert.deepEqual(parseCsv("\ufeff\ufeffa,b\n1,2\n").header, ["\ufeffa", "b"]);
  assert.deepEqual(parseCsv("a,b\n\ufeff1,2\n").rows, [["\ufeff1", "2"]]);
});

test("line numbers count LF only: lone CRs and quoted CRLFs before a record or an error do not shift them", () => {
  const text = 'a,b\r\nx\ry,1\r\n"p\r\nq\rr",2\r\n\r\nlast,3\r\n';
  assert.deepEqual(parseCsv(text, { file: "l.csv" }).rowLines, [2, 3, 6]);
  assert.throws(
    () => parseCsv(`${text}1,2,3\r\n`, { file: "l.csv" }),
    (e: unknown) => e instanceof DataFormatError && e.line === 7 && /expected 2 fields/.test(e.message),
  );
  assert.throws(() => parseCsv(`${text}"never closed\r\n`, { file: "l.csv" }), (e: unknown) => e instanceof DataFormatError && e.line === 7 && /unterminated/.test(e.message));
  assert.throws(() => parseCsv(`${text}1,x"y\r\n`, { file: "l.csv" }), (e: unknown) => e instanceof DataFormatError && e.line === 7 && /stray double quote/.test(e.message));
});

test("skipEmptyLines: false keeps a blank line as a one-field record (and so reports it)", () => {
  assert.throws(() => parseCsv("a,b\n1,2\n\n3,4\n", { file: "b.csv", skipEmptyLines: false }), /b\.csv:3: expected 2 fields \(a,b\), got 1/);
  assert.deepEqual(parseCsv("a\n1\n\n2\n", { skipEmptyLines: false }).rows, [["1"], [""], ["2"]]);
});
