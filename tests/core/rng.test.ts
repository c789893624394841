import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";

test("the same seed gives the same stream; another seed another", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const draw = (r: Rng) => Array.from({ length: 8 }, () => r.nextUint32());
  const first = draw(a);
  assert.deepEqual(first, draw(b));
  assert.notDeepEqual(first, draw(c));
});

test("state() and fromState() resume the stream exactly", () => {
  const rng = new Rng(7);
  for (let i = 0; i < 100; i++) rng.uniform();
  const saved = JSON.parse(JSON.stringify(rng.state()));
  const expected = Array.from({ length: 5 }, () => rng.uniform());
  const resumed = Rng.fromState(saved);
  assert.deepEqual(Array.from({ length: 5 }, () => resumed.uniform()), expected);
});

test("uniform draws have mean 1/2 and variance 1/12 (tolerance 0.01)", () => {
  const rng = new Rng(1);
  const n = 100_000;
  const xs = Array.from({ length: n }, () => rng.uniform());
  const mean = xs.reduce((a, b) => a + b) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.01, `variance ${variance}`);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test("truncated normal stays within ±2·std and has std ≈ 0.88·std", () => {
  const values = new Rng(3).truncatedNormal(50_000, 0.02);
  const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const std = Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
  assert.ok(max <= 0.04, `max ${max}`);
  assert.ok(Math.abs(std / 0.02 - 0.88) < 0.02, `std ratio ${std / 0.02}`); // σ of N(0,1) truncated at ±2 is 0.880
});

test("shuffle is a permutation, and int() covers [0, n)", () => {
  const rng = new Rng(9);
  const items = Array.from({ length: 50 }, (_, i) => i);
  const shuffled = rng.shuffle([...items]);
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual([...shuffled].sort((a, b) => a - b), items);
  const seen = new Set(Array.from({ length: 1000 }, () => rng.int(6)));
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5]);
  assert.throws(() => rng.int(0), /n >= 1/);
});
