// The wasm backend can train a transformer: full AdamW steps of a small encoder (embedding lookup, multi-head
// attention with a padding mask, LayerNorm, GELU, dropout, softmax cross-entropy) give the same losses on wasm
// as on tfjs's reference `cpu` backend, and the same seed replays the same loss curve.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { train } from "./fixtures/encoder-training";

test("wasm training steps equal cpu training steps within 1e-4", async () => {
  await initBackend({ backend: "wasm" });
  assert.equal(tf.getBackend(), "wasm");
  const wasm = train(7, 6);
  await tf.setBackend("cpu");
  const cpu = train(7, 6);
  await tf.setBackend("wasm");
  console.log(`losses wasm ${wasm.map((l) => l.toFixed(5)).join(" ")}\nlosses cpu  ${cpu.map((l) => l.toFixed(5)).join(" ")}`);
  for (let i = 0; i < wasm.length; i++) assert.ok(Math.abs((wasm[i] as number) - (cpu[i] as number)) < 1e-4, `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`);
});

test("training lowers the loss", async () => {
  await initBackend({ backend: "wasm" });
  const losses = train(3, 40);
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < first - 0.3, `loss went from ${first.toFixed(3)} to ${last.toFixed(3)}`);
});

test("same seed, same backend → the same loss curve; another seed → another", async () => {
  await initBackend({ backend: "wasm" });
  assert.deepEqual(train(11, 4), train(11, 4));
  assert.notDeepEqual(train(11, 4), train(12, 4));
});

test("a training run leaves no tensor behind", async () => {
  await initBackend({ backend: "wasm" });
  train(5, 1); // first run may cache constants
  const before = tf.memory().numTensors;
  train(5, 3);
  assert.equal(tf.memory().numTensors, before);
});
