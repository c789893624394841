import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinSource, newNotebook, readNotebook, splitLines, writeNotebook } from "../../lib/notebook/ipynb";

const dir = mkdtempSync(join(tmpdir(), "ipynb-test-"));

test("read errors name the file: missing file", () => {
  const path = join(dir, "missing.ipynb");
  assert.throws(() => readNotebook(path), (error: Error) => error.message.startsWith(`${path}: cannot read`));
});

test("read errors name the file: not JSON", () => {
  const path = join(dir, "broken.ipynb");
  writeFileSync(path, '{"cells": [');
  assert.throws(() => readNotebook(path), (error: Error) => error.message.startsWith(`${path}: not valid JSON`));
});

test("read errors name the file: nbformat 3", () => {
  const path = join(dir, "old.ipynb");
  writeFileSync(path, JSON.stringify({ nbformat: 3, worksheets: [] }));
  assert.throws(() => readNotebook(path), new RegExp(`^Error: ${path.replace(/[.]/g, "\\.")}: nbformat 3 is not supported`));
});

test("read errors name the file and the 1-based cell", () => {
  const path = join(dir, "badcell.ipynb");
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", source: "x" }, { cell_type: "python", source: "" }] }));
  assert.throws(() => readNotebook(path), (error: Error) => error.message.includes(`${path}: cell 2 has cell_type "python"`));
});

test("write then read round-trips, as Jupyter lays it out, leaving no temp file", () => {
  const path = join(dir, "sub", "round.ipynb");
  const notebook = newNotebook([{ markdown: "# Title" }, { code: "const a = 1;\na" }]);
  writeNotebook(path, notebook);
  assert.deepEqual(readNotebook(path), notebook);
  assert.ok(readFileSync(path, "utf8").startsWith('{\n "nbformat": 4'));
  assert.deepEqual(readdirSync(join(dir, "sub")), ["round.ipynb"]);
});

test("splitLines keeps newlines and joinSource undoes it", () => {
  assert.deepEqual(splitLines("a\nb\n\nc"), ["a\n", "b\n", "\n", "c"]);
  assert.deepEqual(splitLines(""), []);
  assert.equal(joinSource(splitLines("x\ny\n")), "x\ny\n");
});
