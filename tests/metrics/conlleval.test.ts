import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { conllevalReport, entityScores, printfFixed } from "../../lib/metrics";

/**
 * An independent reference: the main loop of the CoNLL-2000 `conlleval` perl script (v2004), transcribed to
 * TypeScript line by line — its own `endOfChunk`/`startOfChunk` (with the `E`, `[`, `]` rules of the IOE and
 * bracket formats) and its streaming `inCorrect` counter, where lib/metrics collects chunks and intersects them.
 * Sentences end with a boundary line that counts as `O` for both columns.
 */
function conllevalScript(gold: string[][], predicted: string[][]) {
  const endOfChunk = (prevTag: string, tag: string, prevType: string, type: string): boolean => {
    let chunkEnd = false;
    if (prevTag === "B" && tag === "B") chunkEnd = true;
    if (prevTag === "B" && tag === "O") chunkEnd = true;
    if (prevTag === "I" && tag === "B") chunkEnd = true;
    if (prevTag === "I" && tag === "O") chunkEnd = true;
    if (prevTag === "E" && tag === "E") chunkEnd = true;
    if (prevTag === "E" && tag === "I") chunkEnd = true;
    if (prevTag === "E" && tag === "O") chunkEnd = true;
    if (prevTag === "I" && tag === "O") chunkEnd = true;
    if (prevTag !== "O" && prevTag !== "." && prevType !== type) chunkEnd = true;
    if (prevTag === "]") chunkEnd = true;
    if (prevTag === "[") chunkEnd = true;
    return chunkEnd;
  };
  const startOfChunk = (prevTag: string, tag: string, prevType: string, type: string): boolean => {
    let chunkStart = false;
    if (prevTag === "B" && tag === "B") chunkStart = true;
    if (prevTag === "I" && tag === "B") chunkStart = true;
    if (prevTag === "O" && tag === "B") chunkStart = true;
    if (prevTag === "O" && tag === "I") chunkStart = true;
    if (prevTag === "E" && tag === "E") chunkStart = true;
    if (prevTag === "E" && tag === "I") chunkStart = true;
    if (prevTag === "O" && tag === "E") chunkStart = true;
    if (prevTag === "O" && tag === "I") chunkStart = true;
    if (tag !== "O" && tag !== "." && prevType !== type) chunkStart = true;
    if (tag === "[") chunkStart = true;
    if (tag === "]") chunkStart = true;
    return chunkStart;
  };
  const split = (t: string): [string, string] => {
    const m = /^([^-]*)-(.*)$/.exec(t);
    return m === null ? [t, ""] : [m[1]!, m[2]!];
  };
  const bump = (h: Map<string, number>, k: string): void => void h.set(k, (h.get(k) ?? 0) + 1);
  const correctChunk = new Map<string, number>();
  const foundCorrect = new Map<string, number>();
  const foundGuessed = new Map<string, number>();
  let [lastCorrect, lastCorrectType, lastGuessed, lastGuessedType] = ["O", "", "O", ""];
  let inCorrect = false;
  let correctTags = 0;
  let tokenCounter = 0;
  const lines: { boundary: boolean; correct: string; guessed: string }[] = [];
  gold.forEach((sentence, s) => {
    sentence.forEach((tag, i) => lines.push({ boundary: false, correct: tag, guessed: predicted[s]![i]! }));
    lines.push({ boundary: true, correct: "O", guessed: "O" });
  });
  for (const line of lines) {
    let [guessed, guessedType] = split(line.guessed);
    const [correct, correctType] = split(line.correct);
    if (line.boundary) guessed = "O";
    if (inCorrect) {
      if (endOfChunk(lastCorrect, correct, lastCorrectType, correctType) && endOfChunk(lastGuessed, guessed, lastGuessedType, guessedType) && lastGuessedType === lastCorrectType) {
        inCorrect = false;
        bump(correctChunk, lastCorrectType);
      } else if (endOfChunk(lastCorrect, correct, lastCorrectType, correctType) !== endOfChunk(lastGuessed, guessed, lastGuessedType, guessedType) || guessedType !== correctType) {
        inCorrect = false;
      }
    }
    if (startOfChunk(lastCorrect, correct, lastCorrectType, correctType) && startOfChunk(lastGuessed, guessed, lastGuessedType, guessedType) && guessedType === correctType) {
      inCorrect = true;
    }
    if (startOfChunk(lastCorrect, correct, lastCorrectType, correctType)) bump(foundCorrect, correctType);
    if (startOfChunk(lastGuessed, guessed, lastGuessedType, guessedType)) bump(foundGuessed, guessedType);
    if (!line.boundary) {
      if (correct === guessed && guessedType === correctType) correctTags++;
      tokenCounter++;
    }
    [lastGuessed, lastCorrect, lastGuessedType, lastCorrectType] = [guessed, correct, guessedType, correctType];
  }
  if (inCorrect) bump(correctChunk, lastCorrectType);
  const types = [...new Set([...foundCorrect.keys(), ...foundGuessed.keys()])].sort();
  return {
    perType: Object.fromEntries(types.map((t) => [t, [correctChunk.get(t) ?? 0, foundGuessed.get(t) ?? 0, foundCorrect.get(t) ?? 0]])),
    tokenAccuracy: correctTags / tokenCounter,
  };
}

const TAGS = ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC-X", "I-MISC-X"];
const tag = fc.constantFrom(...TAGS);
const pairsOfSentences = fc
  .array(fc.array(fc.tuple(tag, tag), { maxLength: 10 }), { minLength: 1, maxLength: 6 })
  .filter((sentences) => sentences.some((s) => s.length > 0));

test("conlleval mode counts exactly as the transcribed conlleval script, on random IOB1/IOB2 tag sequences", () => {
  fc.assert(
    fc.property(pairsOfSentences, fc.constantFrom("IOB1" as const, "IOB2" as const), (sentences, scheme) => {
      const gold = sentences.map((s) => s.map(([g]) => g));
      const predicted = sentences.map((s) => s.map(([, p]) => p));
      const ours = entityScores(gold, predicted, { scheme });
      const script = conllevalScript(gold, predicted);
      const mine = Object.fromEntries(Object.entries(ours.perType).map(([t, s]) => [t, [s.correct, s.predicted, s.support]]));
      assert.deepEqual(mine, script.perType);
      assert.equal(ours.tokenAccuracy, script.tokenAccuracy);
    }),
    { numRuns: 2000, seed: 20240601 },
  );
});

test("the transcribed script itself gives the hand-worked numbers (it is not vacuous)", () => {
  // B-PER I-LOC vs gold B-PER I-PER: PER found 1 correct 0 gold 1; LOC found 1 gold 0; tokens 2/3.
  assert.deepEqual(conllevalScript([["B-PER", "I-PER", "O"]], [["B-PER", "I-LOC", "O"]]), { perType: { LOC: [0, 1, 0], PER: [0, 1, 1] }, tokenAccuracy: 2 / 3 });
  assert.deepEqual(conllevalScript([["B-PER", "I-PER", "O"]], [["I-PER", "I-PER", "O"]]), { perType: { PER: [1, 1, 1] }, tokenAccuracy: 2 / 3 });
});

test("printfFixed rounds like perl's printf: exact ties to even, everything else correctly", () => {
  // perl -e 'printf "%.2f %.2f %.2f %.2f", 12.125, 12.375, 0.125, 200/3' → 12.12 12.38 0.12 66.67
  assert.deepEqual([printfFixed(12.125, 2), printfFixed(12.375, 2), printfFixed(0.125, 2), printfFixed(200 / 3, 2)], ["12.12", "12.38", "0.12", "66.67"]);
  assert.equal((12.125).toFixed(2), "12.13"); // why printfFixed exists
  assert.deepEqual([printfFixed(2.5, 0), printfFixed(3.5, 0), printfFixed(0.1 + 0.2, 2), printfFixed(100, 2)], ["2", "4", "0.30", "100.00"]);
});

test("conllevalReport rounds an exact tie as perl does (97 of 800 correct = 12.125 %)", () => {
  // 800 one-token sentences: gold B-PER everywhere, predicted B-PER in the first 97 and O after.
  // found 97, correct 97, gold 800: precision 100.00, recall 100·97/800 = 12.125 → "12.12"; tokens 97/800.
  const gold = Array.from({ length: 800 }, () => ["B-PER"]);
  const predicted = gold.map((_, i) => [i < 97 ? "B-PER" : "O"]);
  const text = conllevalReport(entityScores(gold, predicted, { scheme: "IOB2" }));
  // FB1 = 2·100·12.125/112.125 = 21.6276...
  assert.equal(
    text,
    "processed 800 tokens with 800 phrases; found: 97 phrases; correct: 97.\n" +
      "accuracy:  12.12%; precision: 100.00%; recall:  12.12%; FB1:  21.63\n" +
      "              PER: precision: 100.00%; recall:  12.12%; FB1:  21.63  97\n",
  );
});
