import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTnews, parseTnewsLabels, loadTnews } from "../../lib/data/tnews";

test("joins integer label codes with the string codes of the label map (no final newline there)", async () => {
  const data = await loadTnews({ dir: join(__dirname, "..", "fixtures", "data", "clue_tnews_fewclue") });
  assert.deepEqual(data.labelInfo.map((l) => l.code), [100, 101, 103]);
  assert.deepEqual(data.labels, ["news_story", "news_culture", "news_sports"]);
  assert.deepEqual(data.train[0], { text: "孩子的故事", label: 0, keywords: ["孩子", "故事"] });
  assert.deepEqual(data.train[1], { text: "球队赢了比赛", label: 2, keywords: [] });
  assert.equal(data.labelInfo[2]?.zh, "体育");
  assert.deepEqual([data.train.length, data.validation.length, data.test.length], [3, 1, 2]);
});

test("bad JSON, a missing field and an unknown code name file and line", () => {
  const labels = parseTnewsLabels('{"label": "100", "label_desc": "news_story", "label_zh": "故事"}');
  assert.throws(() => parseTnews('{"label": 100, "sentence": "a", "keywords": ""}\n{"label": 100, "sentence": \n', labels, { file: "t.json" }), /t\.json:2: invalid JSON/);
  assert.throws(() => parseTnews('{"label": 100, "keywords": ""}\n', labels, { file: "t.json" }), /t\.json:1: field "sentence" should be a string, got nothing/);
  assert.throws(() => parseTnews('{"label": 105, "sentence": "a", "keywords": ""}\n', labels, { file: "t.json" }), /t\.json:1: unknown label code 105/);
});
