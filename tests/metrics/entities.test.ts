import { test } from "node:test";
import assert from "node:assert/strict";
import { conllevalReport, entityScores, extractEntities } from "../../lib/metrics";
import type { EntityReport } from "../../lib/metrics";
import { Rng } from "../../lib/core/rng";

/** The counts conlleval prints, per type and overall: [correct, found (predicted), gold (support)]. */
function counts(report: EntityReport): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = { overall: [report.overall.correct, report.overall.predicted, report.overall.support] };
  for (const [type, s] of Object.entries(report.perType)) out[type] = [s.correct, s.predicted, s.support];
  return out;
}

test("extractEntities: end is exclusive; an entity at the sentence end is closed", () => {
  assert.deepEqual(extractEntities(["B-PER", "I-PER", "O"], "IOB2"), [{ type: "PER", start: 0, end: 2 }]);
  assert.deepEqual(extractEntities(["O", "B-LOC", "I-LOC"], "IOB2"), [{ type: "LOC", start: 1, end: 3 }]);
  assert.deepEqual(extractEntities(["B-MISC-X", "I-MISC-X"], "IOB2"), [{ type: "MISC-X", start: 0, end: 2 }]); // split on the first hyphen
  assert.deepEqual(extractEntities(["O", "O"], "IOB2"), []);
});

test("seqeval's get_entities example (default mode)", () => {
  // seqeval tests: ['O','O','O','B-MISC','I-MISC','I-MISC','O','B-PER','I-PER'] → [('MISC', 3, 5), ('PER', 7, 8)] (inclusive ends)
  assert.deepEqual(extractEntities(["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "B-PER", "I-PER"], "IOB2"), [
    { type: "MISC", start: 3, end: 6 },
    { type: "PER", start: 7, end: 9 },
  ]);
});

test("conlleval mode: I- without B- starts a chunk; strict mode: it is no entity", () => {
  assert.deepEqual(extractEntities(["O", "I-PER", "I-PER"], "IOB2"), [{ type: "PER", start: 1, end: 3 }]);
  assert.deepEqual(extractEntities(["O", "I-PER", "I-PER"], "IOB2", { mode: "strict" }), []);
  // gold B-PER I-PER O, predicted I-PER I-PER O.
  // conlleval: predicted chunk PER [0,2) = gold chunk → correct 1, found 1, gold 1; tokens right: 2 of 3 (B≠I).
  //   processed 3 tokens with 1 phrases; found: 1 phrases; correct: 1.
  //   accuracy:  66.67%; precision: 100.00%; recall: 100.00%; FB1: 100.00
  // strict (seqeval README example): no predicted entity → precision 0/0 → 0, recall 0/1, F1 0.
  const gold = [["B-PER", "I-PER", "O"]];
  const predicted = [["I-PER", "I-PER", "O"]];
  const lenient = entityScores(gold, predicted, { scheme: "IOB2" });
  assert.deepEqual(counts(lenient), { overall: [1, 1, 1], PER: [1, 1, 1] });
  assert.equal(lenient.overall.f1, 1);
  assert.equal(lenient.tokenAccuracy, 2 / 3);
  const strict = entityScores(gold, predicted, { scheme: "IOB2", mode: "strict" });
  assert.deepEqual(counts(strict), { overall: [0, 0, 1], PER: [0, 0, 1] });
  assert.deepEqual([strict.overall.precision, strict.overall.recall, strict.overall.f1], [0, 0, 0]);
  assert.equal(strict.tokenAccuracy, 2 / 3); // token accuracy does not depend on the mode
});

test("a type change inside a chunk ends it (B-PER I-LOC is two chunks)", () => {
  assert.deepEqual(extractEntities(["B-PER", "I-LOC", "O"], "IOB2"), [
    { type: "PER", start: 0, end: 1 },
    { type: "LOC", start: 1, end: 2 },
  ]);
  assert.deepEqual(extractEntities(["B-PER", "I-LOC", "O"], "IOB2", { mode: "strict" }), [{ type: "PER", start: 0, end: 1 }]);
  // gold B-PER I-PER O (PER [0,2)), predicted B-PER I-LOC O (PER [0,1), LOC [1,2)): nothing correct.
  //   processed 3 tokens with 1 phrases; found: 2 phrases; correct: 0.
  //   accuracy:  66.67%; precision:   0.00%; recall:   0.00%; FB1:   0.00
  //                 LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1
  //                 PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  1
  const r = entityScores([["B-PER", "I-PER", "O"]], [["B-PER", "I-LOC", "O"]], { scheme: "IOB2" });
  assert.deepEqual(counts(r), { overall: [0, 2, 1], LOC: [0, 1, 0], PER: [0, 1, 1] });
  assert.equal(r.tokenAccuracy, 2 / 3);
  assert.equal(
    conllevalReport(r),
    "processed 3 tokens with 1 phrases; found: 2 phrases; correct: 0.\n" +
      "accuracy:  66.67%; precision:   0.00%; recall:   0.00%; FB1:   0.00\n" +
      "              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n" +
      "              PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n",
  );
});

test("adjacent entities of one type: IOB2 B-PER B-PER and IOB1 I-PER B-PER are two", () => {
  const two = [
    { type: "PER", start: 0, end: 1 },
    { type: "PER", start: 1, end: 2 },
  ];
  assert.deepEqual(extractEntities(["B-PER", "B-PER"], "IOB2"), two);
  assert.deepEqual(extractEntities(["B-PER", "B-PER"], "IOB2", { mode: "strict" }), two);
  assert.deepEqual(extractEntities(["I-PER", "B-PER"], "IOB1"), two);
  assert.deepEqual(extractEntities(["I-PER", "I-PER"], "IOB1"), [{ type: "PER", start: 0, end: 2 }]);
  // gold B-PER B-PER O (two), predicted B-PER I-PER O (one, [0,2)): correct 0, found 1, gold 2; tokens 2/3.
  const r = entityScores([["B-PER", "B-PER", "O"]], [["B-PER", "I-PER", "O"]], { scheme: "IOB2" });
  assert.deepEqual(counts(r), { overall: [0, 1, 2], PER: [0, 1, 2] });
  // IOB1: gold I-PER B-PER (two), predicted I-PER I-PER (one); same counts, tokens 1/2.
  const r1 = entityScores([["I-PER", "B-PER"]], [["I-PER", "I-PER"]], { scheme: "IOB1" });
  assert.deepEqual(counts(r1), { overall: [0, 1, 2], PER: [0, 1, 2] });
  assert.equal(r1.tokenAccuracy, 1 / 2);
});

test("entities at the sentence end count; a chunk never runs into the next sentence", () => {
  // gold: [O B-LOC] [I-LOC O] → LOC [1,2) in sentence 0 and LOC [0,1) in sentence 1 (conlleval: a boundary is O).
  // predicted: [O B-LOC] [B-LOC O] → the same two chunks → correct 2, found 2, gold 2; tokens 3/4 (I≠B).
  //   processed 4 tokens with 2 phrases; found: 2 phrases; correct: 2.
  //   accuracy:  75.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00
  //                 LOC: precision: 100.00%; recall: 100.00%; FB1: 100.00  2
  const r = entityScores(
    [
      ["O", "B-LOC"],
      ["I-LOC", "O"],
    ],
    [
      ["O", "B-LOC"],
      ["B-LOC", "O"],
    ],
    { scheme: "IOB2" },
  );
  assert.deepEqual(counts(r), { overall: [2, 2, 2], LOC: [2, 2, 2] });
  assert.equal(
    conllevalReport(r),
    "processed 4 tokens with 2 phrases; found: 2 phrases; correct: 2.\n" +
      "accuracy:  75.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00\n" +
      "              LOC: precision: 100.00%; recall: 100.00%; FB1: 100.00  2\n",
  );
});

test("empty predictions: precision 0/0 is 0, not NaN", () => {
  // gold B-PER O, predicted O O: found 0 → precision 0; recall 0/1; F1 0; tokens 1/2.
  //   processed 2 tokens with 1 phrases; found: 0 phrases; correct: 0.
  //   accuracy:  50.00%; precision:   0.00%; recall:   0.00%; FB1:   0.00
  //                 PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  0
  const r = entityScores([["B-PER", "O"]], [["O", "O"]], { scheme: "IOB2" });
  assert.deepEqual(r.overall, { precision: 0, recall: 0, f1: 0, support: 1, predicted: 0, correct: 0 });
  assert.equal(
    conllevalReport(r),
    "processed 2 tokens with 1 phrases; found: 0 phrases; correct: 0.\n" +
      "accuracy:  50.00%; precision:   0.00%; recall:   0.00%; FB1:   0.00\n" +
      "              PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n",
  );
});

test("per-type and overall scores, token accuracy, and the conlleval text", () => {
  // gold   S1: B-PER I-PER O B-LOC        → PER [0,2), LOC [3,4)
  //        S2: B-ORG I-ORG I-ORG O B-PER  → ORG [0,3), PER [4,5)
  // pred   S1: B-PER I-PER O B-ORG        → PER [0,2) ✓, ORG [3,4) ✗
  //        S2: B-ORG I-ORG O O B-PER      → ORG [0,2) ✗, PER [4,5) ✓
  // overall: correct 2, found 4, gold 4 → P 50, R 50, F 50. LOC: 0 found, 1 gold. ORG: 2 found, 0 correct, 1 gold.
  // PER: 2/2/2 → 100. Tokens: S1 3/4 right (B-LOC≠B-ORG), S2 4/5 (I-ORG≠O) → 7/9 = 77.78 %.
  const gold = [
    ["B-PER", "I-PER", "O", "B-LOC"],
    ["B-ORG", "I-ORG", "I-ORG", "O", "B-PER"],
  ];
  const predicted = [
    ["B-PER", "I-PER", "O", "B-ORG"],
    ["B-ORG", "I-ORG", "O", "O", "B-PER"],
  ];
  const r = entityScores(gold, predicted, { scheme: "IOB2" });
  assert.deepEqual(counts(r), { overall: [2, 4, 4], LOC: [0, 0, 1], ORG: [0, 2, 1], PER: [2, 2, 2] });
  assert.deepEqual(Object.keys(r.perType), ["LOC", "ORG", "PER"]);
  assert.deepEqual(r.perType["PER"], { precision: 1, recall: 1, f1: 1, support: 2, predicted: 2, correct: 2 });
  assert.equal(r.overall.f1, 0.5);
  assert.equal(r.tokens, 9);
  assert.equal(r.tokenAccuracy, 7 / 9);
  assert.equal(
    conllevalReport(r),
    "processed 9 tokens with 4 phrases; found: 4 phrases; correct: 2.\n" +
      "accuracy:  77.78%; precision:  50.00%; recall:  50.00%; FB1:  50.00\n" +
      "              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n" +
      "              ORG: precision:   0.00%; recall:   0.00%; FB1:   0.00  2\n" +
      "              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  2\n",
  );
});

test("seqeval README example: MISC off by one token, PER right → micro F1 0.5", () => {
  const r = entityScores(
    [
      ["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"],
      ["B-PER", "I-PER", "O"],
    ],
    [
      ["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"],
      ["B-PER", "I-PER", "O"],
    ],
    { scheme: "IOB2" },
  );
  assert.deepEqual([r.perType["MISC"]!.f1, r.perType["PER"]!.f1, r.overall.precision, r.overall.recall, r.overall.f1], [0, 1, 0.5, 0.5, 0.5]);
});

test("IOBES: conlleval mode accepts an unfinished B-I, strict mode needs the E", () => {
  // gold B-PER E-PER S-LOC O → PER [0,2), LOC [2,3) in both modes.
  // pred B-PER I-PER S-LOC S-LOC:
  //   conlleval/seqeval default → PER [0,2), LOC [2,3), LOC [3,4): correct 2, found 3, gold 2
  //   strict → B-PER I-PER has no E-PER, so only LOC [2,3), LOC [3,4): correct 1, found 2, gold 2
  const gold = [["B-PER", "E-PER", "S-LOC", "O"]];
  const predicted = [["B-PER", "I-PER", "S-LOC", "S-LOC"]];
  assert.deepEqual(counts(entityScores(gold, predicted, { scheme: "IOBES" })), { overall: [2, 3, 2], LOC: [1, 2, 1], PER: [1, 1, 1] });
  assert.deepEqual(counts(entityScores(gold, predicted, { scheme: "IOBES", mode: "strict" })), { overall: [1, 2, 2], LOC: [1, 2, 1], PER: [0, 0, 1] });
});

test("strict mode tables (seqeval's scheme patterns)", () => {
  const strict = (tags: string[], scheme: "IOB2" | "IOBES"): [string, number, number][] =>
    extractEntities(tags, scheme, { mode: "strict" }).map((e) => [e.type, e.start, e.end]);
  // IOB2
  assert.deepEqual(strict(["B-PER", "I-PER", "O", "B-LOC"], "IOB2"), [["PER", 0, 2], ["LOC", 3, 4]]); // seqeval's Tokens docstring
  assert.deepEqual(strict(["I-PER", "I-PER"], "IOB2"), []);
  assert.deepEqual(strict(["B-PER", "I-PER", "I-LOC", "B-LOC"], "IOB2"), [["PER", 0, 2], ["LOC", 3, 4]]);
  // IOBES
  assert.deepEqual(strict(["S-PER"], "IOBES"), [["PER", 0, 1]]);
  assert.deepEqual(strict(["B-PER", "E-PER"], "IOBES"), [["PER", 0, 2]]);
  assert.deepEqual(strict(["B-PER", "I-PER", "E-PER"], "IOBES"), [["PER", 0, 3]]);
  assert.deepEqual(strict(["B-PER", "I-PER"], "IOBES"), []);
  assert.deepEqual(strict(["I-PER", "E-PER"], "IOBES"), []);
  assert.deepEqual(strict(["E-PER"], "IOBES"), []);
  assert.deepEqual(strict(["B-PER", "E-LOC"], "IOBES"), []);
  assert.deepEqual(strict(["B-PER", "E-PER", "E-PER"], "IOBES"), [["PER", 0, 2]]);
  assert.deepEqual(strict(["B-PER", "B-PER", "E-PER"], "IOBES"), [["PER", 1, 3]]);
  assert.deepEqual(strict(["B-PER", "S-PER", "O"], "IOBES"), [["PER", 1, 2]]);
  // the same sequences in conlleval mode (seqeval default): every started chunk counts
  assert.deepEqual(
    extractEntities(["B-PER", "I-PER", "S-LOC", "E-PER"], "IOBES").map((e) => [e.type, e.start, e.end]),
    [["PER", 0, 2], ["LOC", 2, 3], ["PER", 3, 4]],
  );
});

test("bad input names sentence, token and way out", () => {
  assert.throws(() => entityScores([["O"]], [], { scheme: "IOB2" }), /1 gold sentences but 0 predicted/);
  assert.throws(() => entityScores([["O", "O"]], [["O"]], { scheme: "IOB2" }), /sentence 0 has 2 gold tags but 1 predicted/);
  assert.throws(() => entityScores([["O"]], [["E-PER"]], { scheme: "IOB2" }), /predicted sentence 0, token 0: tag "E-PER" is not valid in IOB2 \(expected O, B-TYPE, I-TYPE\)/);
  assert.throws(() => extractEntities(["B-"], "IOB2"), /tag "B-" is not valid/);
  assert.throws(() => extractEntities(["I-PER"], "IOB1", { mode: "strict" }), /iob1ToIob2/);
  assert.throws(() => entityScores([[]], [[]], { scheme: "IOB2" }), /no tokens/);
});

// Issue #11 part 4: `mode: "conlleval"` is documented as seqeval's default mode. seqeval is not installed here,
// so its `get_entities` / `end_of_chunk` / `start_of_chunk` are transcribed below, line for line, from
// chakki-works/seqeval, seqeval/metrics/sequence_labeling.py (prefix tags, `suffix=False`), and compared with
// ours on seeded random tag sequences of both schemes.
function seqevalGetEntities(seq: readonly string[]): [string, number, number][] {
  const endOfChunk = (prevTag: string, tag: string, prevType: string, type: string): boolean => {
    let chunkEnd = false;
    if (prevTag === "E") chunkEnd = true;
    if (prevTag === "S") chunkEnd = true;
    if (prevTag === "B" && tag === "B") chunkEnd = true;
    if (prevTag === "B" && tag === "S") chunkEnd = true;
    if (prevTag === "B" && tag === "O") chunkEnd = true;
    if (prevTag === "I" && tag === "B") chunkEnd = true;
    if (prevTag === "I" && tag === "S") chunkEnd = true;
    if (prevTag === "I" && tag === "O") chunkEnd = true;
    if (prevTag !== "O" && prevTag !== "." && prevType !== type) chunkEnd = true;
    return chunkEnd;
  };
  const startOfChunk = (prevTag: string, tag: string, prevType: string, type: string): boolean => {
    let chunkStart = false;
    if (tag === "B") chunkStart = true;
    if (tag === "S") chunkStart = true;
    if (prevTag === "E" && tag === "E") chunkStart = true;
    if (prevTag === "E" && tag === "I") chunkStart = true;
    if (prevTag === "S" && tag === "E") chunkStart = true;
    if (prevTag === "S" && tag === "I") chunkStart = true;
    if (prevTag === "O" && tag === "E") chunkStart = true;
    if (prevTag === "O" && tag === "I") chunkStart = true;
    if (tag !== "O" && tag !== "." && prevType !== type) chunkStart = true;
    return chunkStart;
  };
  let prevTag = "O";
  let prevType = "";
  let beginOffset = 0;
  const chunks: [string, number, number][] = [];
  [...seq, "O"].forEach((chunk, i) => {
    const tag = chunk[0]!;
    const rest = chunk.slice(1);
    const type = (rest.includes("-") ? rest.slice(rest.indexOf("-") + 1) : rest) || "_"; // chunk[1:].split('-', maxsplit=1)[-1] or '_'
    if (endOfChunk(prevTag, tag, prevType, type)) chunks.push([prevType, beginOffset, i - 1]);
    if (startOfChunk(prevTag, tag, prevType, type)) beginOffset = i;
    prevTag = tag;
    prevType = type;
  });
  return chunks;
}

test("default (conlleval) mode equals seqeval's transcribed get_entities on random IOB2 and IOBES sequences", () => {
  const rng = new Rng(2024);
  const draw = (options: string[]): string => options[rng.int(options.length)]!;
  for (const [scheme, prefixes] of [["IOB2", ["B", "I"]], ["IOBES", ["B", "I", "E", "S"]]] as const) {
    for (let n = 0; n < 2000; n++) {
      const tags = Array.from({ length: 1 + rng.int(8) }, () => (rng.uniform() < 0.3 ? "O" : `${draw([...prefixes])}-${draw(["PER", "LOC", "MISC-X"])}`));
      const ours = extractEntities(tags, scheme).map((e): [string, number, number] => [e.type, e.start, e.end - 1]);
      assert.deepEqual(ours, seqevalGetEntities(tags), `${scheme} ${tags.join(" ")}`);
    }
  }
  assert.deepEqual(seqevalGetEntities(["B-PER", "I-PER", "O", "B-LOC"]), [["PER", 0, 1], ["LOC", 3, 3]]); // its docstring
});
