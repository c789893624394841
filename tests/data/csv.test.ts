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
