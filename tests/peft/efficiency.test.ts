// lib/peft/efficiency.ts: trainable counts, and one step's cost — AdamW state only for what trains.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { Lora, measureTrainingStep, trainableCounts } from "../../lib/peft";
import { padBatch } from "../../lib/tasks";
import { examples, quietConfig, randomClassifier, randomPeft } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

test("trainable counts: LoRA's A and B alone (head excluded) against full fine-tuning's encoder", () => {
  const lora = randomPeft(1, (c) => new Lora(c, { r: 2 }, new Rng(1)));
  const full = randomClassifier(1, 3, quietConfig());
  try {
    const l = trainableCounts(lora);
    assert.deepEqual([l.method, l.trainable, l.trainableWithHead], ["LORA", 2 * 2 * (16 * 2 + 2 * 16), 256 + 16 * 3 + 3]);
    assert.equal(l.total, trainableCounts(full).total + 256);
    const f = trainableCounts(full);
    assert.equal(f.method, "FULL");
    assert.equal(f.trainableWithHead, f.total);
  } finally {
    lora.dispose();
    full.dispose();
  }
});

test("measureTrainingStep: AdamW keeps 2 × 4 bytes per trainable scalar — LoRA's far fewer than full; a step's peak is measured; nothing leaks", async () => {
  const batch = padBatch(examples(8), [0, 1, 2, 3, 4, 5, 6, 7], 0);
  const before = tf.memory().numTensors;
  const lora = randomPeft(2, (c) => new Lora(c, { r: 2 }, new Rng(1)));
  const full = randomClassifier(2, 3, quietConfig());
  try {
    const l = await measureTrainingStep(lora, batch, { steps: 1 });
    const f = await measureTrainingStep(full, batch, { steps: 1 });
    assert.equal(l.optimizerStateBytes, 2 * 4 * (256 + 51));
    assert.equal(l.trainableBytes, 4 * (256 + 51));
    assert.ok(f.optimizerStateBytes > 10 * l.optimizerStateBytes);
    assert.ok(l.secondsPerStep > 0 && l.peakStepBytes > 0, JSON.stringify({ l, f }));
  } finally {
    lora.dispose();
    full.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
});
