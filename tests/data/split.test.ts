import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { stratifiedSplit } from "../../lib/data/split";

const items = Array.from({ length: 300 }, (_, i) => ({ id: i, label: i < 200 ? "a" : i < 290 ? "b" : "c" }));

test("every item lands in exactly one split", () => {
  const s = stratifiedSplit(items, (x) => x.label, new Rng(1));
  const ids = [...s.train, ...s.validation, ...s.test].map((x) => x.id).sort((a, b) => a - b);
  assert.deepEqual(ids, items.map((x) => x.id));
});

test("each class keeps its share in every split (rounded per class)", () => {
  const s = stratifiedSplit(items, (x) => x.label, new Rng(1), { validation: 0.1, test: 0.2 });
  const count = (xs: typeof items, l: string): number => xs.filter((x) => x.label === l).length;
  assert.deepEqual([count(s.test, "a"), count(s.test, "b"), count(s.test, "c")], [40, 18, 2]);
  assert.deepEqual([count(s.validation, "a"), count(s.validation, "b"), count(s.validation, "c")], [20, 9, 1]);
  assert.equal(s.train.length, 300 - 60 - 30);
});

test("the same seed gives the same split, another seed a different one", () => {
  const ids = (seed: number): number[] => stratifiedSplit(items, (x) => x.label, new Rng(seed)).test.map((x) => x.id);
  assert.deepEqual(ids(7), ids(7));
  assert.notDeepEqual(ids(7), ids(8));
});

test("splits are shuffled, not class blocks", () => {
  const { train } = stratifiedSplit(items, (x) => x.label, new Rng(3));
  const firstB = train.findIndex((x) => x.label === "b");
  assert.ok(firstB < 50, `first "b" at ${firstB}: train looks sorted by class`);
});

test("bad fractions are refused", () => {
  assert.throws(() => stratifiedSplit(items, (x) => x.label, new Rng(0), { validation: 0.6, test: 0.6 }), /validation \+ test <= 1/);
});
