import { test } from "node:test";
import assert from "node:assert/strict";
import { ReplayBuffer, averageAccuracy, backwardTransfer, forgetting } from "../../lib/continual";
import { Rng } from "../../lib/core/rng";

test("the replay buffer keeps everything until full, then never more than its capacity", () => {
  const buffer = new ReplayBuffer<number>(5);
  const rng = new Rng(0);
  for (let i = 0; i < 3; i++) buffer.add(i, rng);
  assert.deepEqual(buffer.contents(), [0, 1, 2]);
  for (let i = 3; i < 100; i++) buffer.add(i, rng);
  assert.equal(buffer.size, 5);
  assert.equal(buffer.seen, 100);
  assert.equal(new Set(buffer.contents()).size, 5);
  assert.throws(() => new ReplayBuffer(0), /positive integer/);
});

test("reservoir sampling: every offered item ends up held with probability capacity / offered", () => {
  const counts = new Array<number>(20).fill(0);
  const trials = 4000;
  for (let s = 0; s < trials; s++) {
    const buffer = new ReplayBuffer<number>(5);
    const rng = new Rng(s);
    for (let i = 0; i < 20; i++) buffer.add(i, rng);
    for (const i of buffer.contents()) counts[i]!++;
  }
  // p = 0.25, sd of a frequency over 4000 trials ≈ 0.007: 0.035 is 5 sd.
  counts.forEach((c, i) => assert.ok(Math.abs(c / trials - 0.25) < 0.035, `item ${i}: ${c / trials}`));
});

test("sample: distinct held items, uniform, all of them when k ≥ size, buffer unchanged", () => {
  const buffer = new ReplayBuffer<string>(4);
  const rng = new Rng(1);
  for (const x of ["a", "b", "c", "d"]) buffer.add(x, rng);
  const counts = new Map<string, number>();
  for (let t = 0; t < 2000; t++) {
    const drawn = buffer.sample(2, rng);
    assert.equal(new Set(drawn).size, 2);
    for (const x of drawn) counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  for (const x of ["a", "b", "c", "d"]) assert.ok(Math.abs(counts.get(x)! / 2000 - 0.5) < 0.06, `${x}: ${counts.get(x)}`);
  assert.deepEqual(buffer.sample(10, rng).sort(), ["a", "b", "c", "d"]);
  assert.deepEqual(buffer.contents(), ["a", "b", "c", "d"]);
  assert.deepEqual(new ReplayBuffer<number>(3).sample(2, rng), []);
});

test("average accuracy, backward transfer and forgetting of a hand-made score matrix", () => {
  const R = [
    [0.9, null, null],
    [0.6, 0.8, null],
    [0.5, 0.7, 0.95],
  ];
  assert.ok(Math.abs(averageAccuracy(R) - (0.5 + 0.7 + 0.95) / 3) < 1e-12);
  assert.ok(Math.abs(backwardTransfer(R) - ((0.5 - 0.9) + (0.7 - 0.8)) / 2) < 1e-12);
  assert.ok(Math.abs(forgetting(R) - ((0.9 - 0.5) + (0.8 - 0.7)) / 2) < 1e-12);
  // Forgetting measures from the best earlier score, not the first.
  const S = [[0.5, null, null], [0.8, 0.6, null], [0.7, 0.6, 0.9]];
  assert.ok(Math.abs(forgetting(S) - (0.1 + 0) / 2) < 1e-12);
  assert.ok(Math.abs(backwardTransfer(S) - (0.2 + 0) / 2) < 1e-12);
  assert.equal(forgetting([[0.7]]), 0);
  assert.throws(() => averageAccuracy([[0.5, null], [null, 0.5]]), /R\[1\]\[0\] is missing/);
  assert.throws(() => forgetting([[0.5, null]]), /square/);
});
