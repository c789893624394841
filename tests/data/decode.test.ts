import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeText, readText, splitLines } from "../../lib/data/decode";
import { DataFormatError } from "../../lib/data/errors";

const BAD = join(__dirname, "..", "fixtures", "data", "bad");

test("latin-1 bytes declared UTF-8 fail with file, line and byte, not U+FFFD", async () => {
  const path = join(BAD, "latin1-as-utf8.txt");
  await assert.rejects(readText(path, "utf-8"), (e: unknown) => e instanceof DataFormatError && e.file === path && e.line === 2 && /invalid UTF-8 at byte 22 \(0xe4\)/.test(e.message) && /latin1/.test(e.message));
});

test("the same bytes read as latin1 give the intended letters", async () => {
  assert.equal(splitLines(await readText(join(BAD, "latin1-as-utf8.txt"), "latin1"))[1], "Seppälä line@neutral");
});

test("an empty file is an error that says so", async () => {
  await assert.rejects(readText(join(BAD, "empty.txt")), (e: unknown) => e instanceof DataFormatError && /file is empty/.test(e.message));
});

test("UTF-8 decoding drops the BOM; splitLines handles CRLF and a final newline", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("é\r\nb\n")]);
  const text = decodeText(bytes, "utf-8", "x.txt");
  assert.equal(text, "é\r\nb\n");
  assert.deepEqual(splitLines(text), ["é", "b"]);
  assert.deepEqual(splitLines("\uFEFFa\n\nb"), ["a", "", "b"]);
});

test("a truncated multi-byte sequence at the end is caught", async () => {
  const good = await readFile(join(BAD, "..", "clue_eprstmt_fewclue", "dev_few_all.json"));
  assert.throws(() => decodeText(good.subarray(0, 30), "utf-8", "cut.json"), DataFormatError);
});
