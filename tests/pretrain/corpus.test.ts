// The pretraining corpus: document-level held-out split spread over the list, streams and windows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { consecutiveWindows, randomWindows, splitTexts } from "../../lib/pretrain";

test("splitTexts holds out 5% of the documents spread over the list, not its tail", () => {
  // Three "datasets" one after another, as the course corpus is.
  const texts = [...Array.from({ length: 100 }, (_, i) => `en ${i}`), ...Array.from({ length: 60 }, (_, i) => `fin ${i}`), ...Array.from({ length: 40 }, (_, i) => `zh ${i}`)];
  const { train, heldOut } = splitTexts(texts, 0.05);
  assert.equal(heldOut.length, 10);
  assert.equal(train.length + heldOut.length, texts.length);
  assert.deepEqual(new Set([...train, ...heldOut]), new Set(texts), "every document lands in exactly one side");
  for (const prefix of ["en", "fin", "zh"]) {
    assert.ok(heldOut.some((t) => t.startsWith(prefix)), `${prefix} is held out in part`);
    assert.ok(train.some((t) => t.startsWith(prefix)), `${prefix} is trained on`);
  }
  assert.deepEqual(heldOut.slice(0, 2), ["en 19", "en 39"], "the last of each block of 20");
});

test("splitTexts keeps one held-out document for tiny corpora and none for a single document", () => {
  assert.deepEqual(splitTexts(["a", "b", "c"], 0.05), { train: ["a", "b"], heldOut: ["c"] });
  assert.deepEqual(splitTexts(["only"], 0.05), { train: ["only"], heldOut: [] });
  assert.equal(splitTexts(["a", "b"], 0.9).train.length, 1, "never holds out everything");
});

test("windows are [CLS] + T−2 stream tokens + [SEP], random ones inside the stream", () => {
  const stream = Int32Array.from({ length: 50 }, (_, i) => 100 + i);
  const windows = consecutiveWindows(stream, 10, 1, 2);
  assert.equal(windows.length, 6);
  assert.deepEqual(windows[1], [1, 108, 109, 110, 111, 112, 113, 114, 115, 2]);
  for (const w of randomWindows(stream, 20, 10, new Rng(3), 1, 2)) {
    assert.equal(w.length, 10);
    const first = w[1] as number;
    assert.deepEqual(w.slice(1, -1), Array.from({ length: 8 }, (_, i) => first + i), "consecutive stream tokens");
    assert.ok(first >= 100 && first <= 142);
  }
  assert.throws(() => randomWindows(stream.subarray(0, 5), 1, 10, new Rng(0), 1, 2), /fewer than one window/);
});
