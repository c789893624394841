import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseSst2, loadSst2 } from "../../lib/data/sst2";

test("loads the three files; quotes are plain characters; trailing space trimmed", async () => {
  const data = await loadSst2({ dir: join(__dirname, "..", "fixtures", "data", "sst2") });
  assert.deepEqual(data.train, [
    { text: "a warm , funny little film .", label: 1 },
    { text: "slow and empty .", label: 0 },
    { text: '"quoted" words stay .', label: 1 },
  ]);
  assert.equal(data.validation.length, 1);
  assert.equal(data.test.length, 2);
  assert.deepEqual(data.labels, ["negative", "positive"]);
});

test("header, field count, label and empty file errors name file and line", () => {
  assert.throws(() => parseSst2("text\tlabel\nx\t1\n", { file: "s.tsv" }), /s\.tsv:1: expected the header/);
  assert.throws(() => parseSst2("sentence\tlabel\nok\t1\nno label here\n", { file: "s.tsv" }), /s\.tsv:3: expected 2 tab-separated fields/);
  assert.throws(() => parseSst2("sentence\tlabel\nok\t1\nhm\t2\n", { file: "s.tsv" }), /s\.tsv:3: label must be 0 or 1/);
  assert.throws(() => parseSst2("", { file: "s.tsv" }), /s\.tsv: file is empty/);
});
