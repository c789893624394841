import { test } from "node:test";
import assert from "node:assert/strict";
import { loadStsb, parseStsb } from "../../lib/data/stsb";

test("splits on tabs only: unbalanced quotes stay in the sentence, attribution fields are ignored", () => {
  const text = [
    "main-captions\tMSRvid\t2012test\t0001\t5.000\tA plane is taking off.\tAn air plane is taking off.",
    'main-news\theadlines\t2016\t0002\t4\tHe said "no.\tHe said no\tEurope Media Monitor\thttp://emm.newsbrief.eu',
    "",
  ].join("\n");
  const pairs = parseStsb(text);
  assert.deepEqual(pairs, [
    { sentence1: "A plane is taking off.", sentence2: "An air plane is taking off.", score: 5, genre: "main-captions" },
    { sentence1: 'He said "no.', sentence2: "He said no", score: 4, genre: "main-news" },
  ]);
});

test("refuses a short line, a score outside [0, 5] and an empty file, naming file and line", () => {
  assert.throws(() => parseStsb("a\tb\tc\td\t1\tonly one", { file: "s.csv" }), /s\.csv:1: expected 7 to 9 tab-separated fields .* got 6; split on tabs only/);
  assert.throws(() => parseStsb("g\tf\ty\ti\t5.5\tx\ty", { file: "s.csv" }), /s\.csv:1: score "5\.5" is not a number in \[0, 5\]/);
  assert.throws(() => parseStsb("\n", { file: "s.csv" }), /s\.csv: no sentence pairs/);
});

test("the real STS-B: 5,749 / 1,500 / 1,379 pairs (SOURCE.md's counts, which a quote-aware parser misses)", async () => {
  const sts = await loadStsb();
  assert.deepEqual([sts.train.length, sts.dev.length, sts.test.length], [5749, 1500, 1379]);
  const mean = sts.dev.reduce((s, p) => s + p.score, 0) / sts.dev.length;
  assert.ok(Math.abs(mean - 2.364) < 5e-4, `dev mean score ${mean}`);
});
