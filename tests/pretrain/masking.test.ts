import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { maskSequence, maskBatch } from "../../lib/pretrain";

const SPECIALS = new Set([0, 1, 2, 3, 4]); // [PAD] [UNK] [CLS] [SEP] [MASK]
const options = { vocabSize: 1000, maskTokenId: 4, specialIds: SPECIALS };

test("never masks [CLS], [SEP] or padding, and masks 15% of real tokens", () => {
  const rng = new Rng(1);
  const ids = [2, ...Array.from({ length: 40 }, (_, i) => 10 + i), 3, 0, 0, 0];
  for (let trial = 0; trial < 50; trial++) {
    const { positions, labels, inputIds } = maskSequence(ids, rng, options);
    assert.equal(positions.length, 6); // round(40 · 0.15)
    for (const p of positions) assert.ok(!SPECIALS.has(ids[p]!), `masked special at ${p}`);
    labels.forEach((label, t) => assert.equal(label, positions.includes(t) ? ids[t] : -100));
    inputIds.forEach((id, t) => positions.includes(t) || assert.equal(id, ids[t]));
  }
});

test("80% [MASK], 10% random, 10% unchanged (tolerance 2 points over 30k choices)", () => {
  const rng = new Rng(2);
  const ids = [2, ...Array.from({ length: 100 }, (_, i) => 10 + i), 3];
  let mask = 0, same = 0, random = 0;
  for (let trial = 0; trial < 2000; trial++) {
    const { positions, inputIds } = maskSequence(ids, rng, options);
    for (const p of positions) {
      if (inputIds[p] === 4) mask++;
      else if (inputIds[p] === ids[p]) same++;
      else random++;
    }
  }
  const n = mask + same + random;
  assert.ok(Math.abs(mask / n - 0.8) < 0.02, `mask ${mask / n}`);
  assert.ok(Math.abs(random / n - 0.1) < 0.02, `random ${random / n}`);
  assert.ok(Math.abs(same / n - 0.1) < 0.02 + 0.001, `same ${same / n}`); // a random draw may hit the original id (1/995)
});

test("a short sequence still gets one prediction", () => {
  const { positions } = maskSequence([2, 50, 3], new Rng(3), options);
  assert.deepEqual(positions, [1]);
});

test("whole-word masking takes a word with all its ## pieces", () => {
  // ids ≥ 500 are `##` continuations: words are [10], [11 500 501], [12], [13 502], …
  const ids = [2, 10, 11, 500, 501, 12, 13, 502, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 3];
  const rng = new Rng(4);
  for (let trial = 0; trial < 100; trial++) {
    const { positions } = maskSequence(ids, rng, { ...options, rate: 0.2, isContinuation: (id) => id >= 500 });
    const set = new Set(positions);
    assert.equal(set.has(2), set.has(3));
    assert.equal(set.has(2), set.has(4));
    assert.equal(set.has(6), set.has(7));
  }
});

test("maskBatch gives flat positions b·T + t and their labels, and rejects ragged rows", () => {
  const batch = maskBatch([[2, 10, 11, 3], [2, 12, 3, 0]], new Rng(5), options);
  batch.flatPositions.forEach((flat, i) => {
    const [b, t] = [Math.floor(flat / 4), flat % 4];
    assert.equal(batch.labels[b]![t], batch.maskedLabels[i]);
  });
  assert.throws(() => maskBatch([[2, 3], [2]], new Rng(6), options), /row 1 has length 1/);
});

test("replacement: mask (BabyBERTa) turns every chosen token into [MASK] and chooses the same positions", () => {
  const ids = [2, ...Array.from({ length: 100 }, (_, i) => 10 + i), 3];
  for (let seed = 0; seed < 20; seed++) {
    const always = maskSequence(ids, new Rng(seed), { ...options, replacement: "mask" });
    const bert = maskSequence(ids, new Rng(seed), options);
    assert.deepEqual(always.positions, bert.positions, "the choice of positions does not depend on the replacement rule");
    assert.deepEqual(always.labels, bert.labels);
    always.inputIds.forEach((id, t) => assert.equal(id, always.positions.includes(t) ? 4 : ids[t]));
  }
});
