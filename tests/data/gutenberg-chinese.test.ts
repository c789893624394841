// gutenberg_chinese: PG source files without header; paragraphs on blank or indented lines, re-joined with no space.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseChineseNovel } from "../../lib/data/gutenberg-chinese";
import { toSimplified } from "../../lib/text/chinese-script";

const FILE = join(__dirname, "..", "fixtures", "data", "gutenberg_chinese", "23950-0.txt");

test("paragraphs start on blank or indented lines, wrapped lines re-join with no space; headings stand alone; rules and the PG footer go", () => {
  const { paragraphs } = parseChineseNovel(readFileSync(FILE, "utf8"), { file: FILE });
  assert.deepEqual(paragraphs, ["第一回：宴桃園豪傑三結義", "滾滾長江東逝水，浪花淘盡英雄。是非成敗轉頭空：青山依舊在，幾度夕陽紅。", "話說天下大勢，分久必合。", "第二回　張翼德怒鞭督郵", "說這們來。"]);
  assert.throws(() => parseChineseNovel("\n\n", { file: "x.txt" }), /x\.txt.*no paragraph/);
});

test("OpenCC turns Traditional into Simplified, phrase-aware, and leaves other text alone", () => {
  assert.equal(toSimplified("說這們來。紅樓夢"), "说这们来。红楼梦");
  assert.equal(toSimplified("乾淨"), "干净");
  assert.equal(toSimplified("乾隆"), "乾隆", "a phrase dictionary keeps the emperor's name");
  assert.equal(toSimplified("a warm , funny film . 说"), "a warm , funny film . 说");
});
