import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";

async function onBoth<T>(f: () => T): Promise<{ wasm: T; cpu: T }> {
  await initBackend({ backend: "wasm" });
  const wasm = f();
  await tf.setBackend("cpu");
  const cpu = f();
  await tf.setBackend("wasm");
  return { wasm, cpu };
}

test("UnsortedSegmentSum on wasm equals cpu, dropping out-of-range ids", async () => {
  const x = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]];
  const ids = [2, 0, 2, -1, 7]; // -1 and 7 fall outside [0, 4)
  const { wasm, cpu } = await onBoth(() => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, "int32"), 4).arraySync()));
  assert.deepEqual(wasm, [[3, 4], [0, 0], [6, 8], [0, 0]]);
  assert.deepEqual(wasm, cpu);
});

test("the gradient of an embedding lookup works on wasm and matches cpu", async () => {
  const grad = () =>
    tf.tidy(() => {
      const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const ids = tf.tensor2d([[0, 2], [2, 2]], [2, 2], "int32");
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.tensor1d([1, 10]))))(table);
      return g.arraySync();
    });
  const { wasm, cpu } = await onBoth(grad);
  assert.deepEqual(wasm, [[1, 10], [0, 0], [3, 30]]);
  assert.deepEqual(wasm, cpu);
});
