import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseEprstmt, loadEprstmt } from "../../lib/data/eprstmt";

test("loads Chinese reviews with capitalised labels", async () => {
  const data = await loadEprstmt({ dir: join(__dirname, "..", "fixtures", "data", "clue_eprstmt_fewclue") });
  assert.deepEqual(data.train, [
    { text: "做工很好，值得买", label: 1 },
    { text: "用了两天就坏了", label: 0 },
  ]);
  assert.deepEqual([data.validation.length, data.test.length], [1, 1]);
  assert.deepEqual(data.labels, ["Negative", "Positive"]);
});

test("a lower-case label or a number label is an error with file and line", () => {
  assert.throws(() => parseEprstmt('{"sentence": "好", "label": "Positive"}\n{"sentence": "坏", "label": "negative"}\n', { file: "e.json" }), /e\.json:2: unknown label "negative"/);
  assert.throws(() => parseEprstmt('{"sentence": "好", "label": 1}\n', { file: "e.json" }), /e\.json:1: field "label" should be a string, got 1/);
  assert.throws(() => parseEprstmt("", { file: "e.json" }), /e\.json: no JSON lines/);
});
