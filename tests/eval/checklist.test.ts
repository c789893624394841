import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import {
  addTypos, bankingMfts, charNoise, directionalTests, expandTemplate, invarianceTests, lowerCase, nameTemplates, runBehaviouralTests, sentimentMfts, swapWord, togglePunctuation, behaviouralTable,
  type MftCase, type PairCase, type PredictFn,
} from "../../lib/eval";

/** A keyword "model": positive iff it sees more positive than negative words; it cannot read negation or typos. */
const POS = ["good", "great", "wonderful", "moving", "funny", "beautiful", "loved", "rose", "increased", "masterpiece", "recommended"];
const NEG = ["bad", "awful", "boring", "dull", "terrible", "predictable", "hated", "fell", "loss", "waste", "avoid"];
const keyword: PredictFn = (texts) =>
  texts.map((t) => {
    const words = t.toLowerCase().match(/[a-z]+/g) ?? [];
    const s = words.filter((w) => POS.includes(w)).length - words.filter((w) => NEG.includes(w)).length;
    const p = 1 / (1 + Math.exp(-2 * s));
    return [1 - p, p];
  });
const LABELS = ["negative", "positive"];

test("templates expand to every combination of their slots, in order", () => {
  assert.deepEqual(expandTemplate("{a} {b}.", { a: ["x", "y"], b: ["1", "2"] }), ["x 1.", "x 2.", "y 1.", "y 2."]);
  assert.throws(() => expandTemplate("{a} {c}", { a: ["x"] }), /no values for \{c\}/);
});

test("MFT: the keyword model passes plain sentiment but fails every negation case", () => {
  const [plain, negation] = runBehaviouralTests(keyword, LABELS, sentimentMfts("movies").slice(0, 2));
  assert.equal(plain!.failures, 0);
  assert.ok(negation!.failureRate > 0.6, `negation failure rate ${negation!.failureRate}`);
  assert.ok(negation!.examples.length === 3 && / not /.test(negation!.examples[0]!.text));
});

test("INV: predictions that change under a perturbation are failures; the row shows an example", () => {
  const texts = ["The film was good.", "A boring plot."];
  const results = runBehaviouralTests(keyword, LABELS, [{ type: "INV", name: "typo", capability: "robustness", cases: [{ original: texts[0]!, edited: "The film was godo." }, { original: texts[1]!, edited: "A BORING plot." }] }]);
  assert.equal(results[0]!.failures, 1);
  assert.deepEqual(results[0]!.examples[0], { text: "The film was good.", edited: "The film was godo.", expected: "positive", predicted: "negative" });
  assert.match(String(behaviouralTable(results)[0]!["example failure"]), /godo/);
});

test("DIR: appending a positive clause must not lower P(positive) by more than the tolerance", () => {
  const [pos, neg] = directionalTests(["The plot was good.", "It was bad."], "movies");
  assert.ok((pos!.cases as PairCase[]).every((c) => c.edited.startsWith(c.original)));
  const r = runBehaviouralTests(keyword, LABELS, [pos!, neg!]);
  assert.equal(r[0]!.failures, 0);
  assert.equal(r[1]!.failures, 0);
  const stubborn: PredictFn = (texts) => texts.map((t) => (t.includes("Avoid") || t.includes("hated") || t.includes("waste") ? [0.2, 0.8] : [0.4, 0.6]));
  assert.equal(runBehaviouralTests(stubborn, LABELS, [neg!])[0]!.failures, 2, "P(negative) drops 0.4 → 0.2 for every case");
});

test("a suite naming a label the model lacks fails with the model's labels", () => {
  assert.throws(() => runBehaviouralTests(keyword, ["neg", "pos"], sentimentMfts("finance").slice(0, 1)), /label "(negative|positive)" is not one of the model's \(neg, pos\)/);
});

test("perturbations: typos swap adjacent letters, noise grows with the rate, swaps only replace whole words", () => {
  const rng = new Rng(1);
  const typo = addTypos("good film", rng)!;
  assert.equal(typo.length, 9);
  assert.deepEqual([...typo].sort(), [..."good film"].sort());
  assert.notEqual(typo, "good film");
  assert.equal(addTypos("12 34", rng), null);
  const text = "The quarterly operating profit of the company rose sharply in Finland.";
  assert.equal(charNoise(text, rng, 0), text);
  const diff = (a: string): number => {
    // Levenshtein distance to `text` (insertions shift the rest, so position-wise comparison would overcount).
    let prev = Array.from({ length: text.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= text.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === text[j - 1] ? 0 : 1)));
      prev = row;
    }
    return prev[text.length]!;
  };
  assert.ok(diff(charNoise(text, new Rng(2), 0.3)) > diff(charNoise(text, new Rng(2), 0.02)));
  assert.equal(swapWord("Maryland is not Mary.", ["Mary"], ["Mary", "Olga"], rng), "Maryland is not Olga.");
  assert.equal(swapWord("No names.", ["Mary"], ["Olga"], rng), null);
  assert.equal(lowerCase("abc"), null);
  assert.equal(togglePunctuation("Good."), "Good");
  assert.equal(togglePunctuation("Good"), "Good.");
});

test("INV suite skips texts a perturbation does not apply to; name templates feed the swap tests", () => {
  const suite = invarianceTests([...nameTemplates("finance"), "sales rose"], { seed: 1 });
  const names = suite.find((t) => t.name === "swap a person's name")!;
  assert.equal(names.cases.length, nameTemplates("finance").length, "\"sales rose\" has no name");
  assert.ok(suite.every((t) => (t.cases as PairCase[]).every((c) => c.original !== c.edited)));
  assert.deepEqual(invarianceTests(["x"], { seed: 1 }), invarianceTests(["x"], { seed: 1 }));
});

test("banking MFT labels are Banking77 categories", () => {
  const categories = ["lost_or_stolen_card", "card_arrival", "cancel_transfer", "exchange_rate", "card_not_working", "transfer_not_received_by_recipient", "pin_blocked"]; // checked against the mirror's categories.json
  for (const c of bankingMfts()[0]!.cases as MftCase[]) assert.ok(categories.includes(c.label), c.label);
});
