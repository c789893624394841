// Activation recomputation: the same gradients from less activation memory, at the price of a second forward.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { disposeParams } from "../../lib/nn";
import { initialParams, measureRecompute } from "../../lib/parallel";
import { MICRO_BERT, mlmRows } from "./fixtures/tiny-bert";

test("checkpointed layers give the same loss and gradients (1e-6) with a lower memory peak; nothing leaks", async () => {
  await initBackend({ backend: "wasm" });
  const config = { ...MICRO_BERT, numLayers: 6 };
  const params = initialParams(config, 4);
  const rows = mlmRows(config, 8, 16, 6);
  const before = tf.memory().numTensors;
  const plain = await measureRecompute(params, rows, config, false);
  const recomputed = await measureRecompute(params, rows, config, true);
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Math.abs(plain.loss - recomputed.loss) < 1e-6);
  let worst = 0;
  for (const [name, g] of plain.grads) {
    const r = recomputed.grads.get(name);
    assert.ok(r, `no gradient for ${name} with recomputation`);
    g.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (r[i] as number)))));
  }
  console.log(`recomputation: peak ${(plain.peakBytes / 1024).toFixed(0)} KiB → ${(recomputed.peakBytes / 1024).toFixed(0)} KiB, ${plain.ms.toFixed(0)} → ${recomputed.ms.toFixed(0)} ms, max |Δgrad| ${worst.toExponential(1)}`);
  assert.ok(worst < 1e-6, `max |Δgrad| ${worst}`);
  assert.ok(recomputed.peakBytes < 0.75 * plain.peakBytes, `peak ${recomputed.peakBytes} vs ${plain.peakBytes}`);
  disposeParams(params);
});
