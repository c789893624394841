import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseGutenberg } from "../../lib/data/gutenberg";
import { readText } from "../../lib/data/decode";
import { DataFormatError } from "../../lib/data/errors";

const FIX = join(__dirname, "..", "fixtures", "data");

test("strips BOM, CRLF, header and footer; re-joins wrapped lines into paragraphs", async () => {
  const bytes = await readFile(join(FIX, "gutenberg", "pg1.txt"));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]); // the fixture really has a BOM and CRLF
  assert.ok(bytes.includes("\r\n"));
  const book = parseGutenberg(await readText(join(FIX, "gutenberg", "pg1.txt")), { file: "pg1.txt" });
  assert.equal(book.title, "A Tiny Tale");
  assert.equal(book.author, "Nobody Inparticular");
  assert.deepEqual(book.paragraphs, ["CHAPTER I.", "It was a dark and stormy night.", "The end came soon after."]);
  assert.deepEqual([book.startLine, book.endLine], [7, 19]);
  assert.ok(!book.paragraphs.join(" ").includes("License"));
});

test("a missing START or END marker is an error naming the file", async () => {
  const path = join(FIX, "bad", "gutenberg-no-start.txt");
  assert.throws(() => parseGutenberg("", { file: "e.txt" }), /e\.txt: file is empty/);
  await assert.rejects(async () => parseGutenberg(await readText(path), { file: path }), (e: unknown) => e instanceof DataFormatError && e.file === path && /START OF/.test(e.message));
  assert.throws(() => parseGutenberg("*** START OF X ***\ntext\n", { file: "n.txt" }), /n\.txt:1: no "\*\*\* END OF/);
});

test("older releases' markers without a space are found; the license's *** START: line is no marker", () => {
  const text = ["Title: Old", "***START OF THE PROJECT GUTENBERG EBOOK OLD***", "", "Real text.", "", "***END OF THE PROJECT GUTENBERG EBOOK OLD***", "*** START: FULL LICENSE ***", "License text."].join("\r\n");
  const book = parseGutenberg(text, { file: "old.txt" });
  assert.deepEqual(book.paragraphs, ["Real text."]);
  assert.deepEqual([book.startLine, book.endLine], [2, 6]);
  assert.throws(() => parseGutenberg("*** START: FULL LICENSE ***\ntext\n", { file: "l.txt" }), /l\.txt: no "\*\*\* START OF/);
});
