import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { AdamW, clipByGlobalNorm, decaysByDefault, linearWarmupDecay } from "../../lib/train";

before(async () => {
  await initBackend({ backend: "wasm" });
});

test("AdamW's first step matches the formula by hand", () => {
  const params = new Map([["w.weight", tf.variable(tf.tensor1d([1, -2]))], ["w.bias", tf.variable(tf.tensor1d([0.5]))]]);
  const optimizer = new AdamW({ weightDecay: 0.1, epsilon: 1e-8 });
  const grads = { "w.weight": tf.tensor1d([0.5, 0.25]), "w.bias": tf.tensor1d([-1]) };
  optimizer.apply(params, grads, 0.01);
  // step 1: m̂ = g, v̂ = g², update = g/|g| + λθ  (no decay on the bias)
  const w = params.get("w.weight")!.dataSync();
  assert.ok(Math.abs(w[0]! - (1 - 0.01 * (1 + 0.1 * 1))) < 1e-6);
  assert.ok(Math.abs(w[1]! - (-2 - 0.01 * (1 + 0.1 * -2))) < 1e-6);
  assert.ok(Math.abs(params.get("w.bias")!.dataSync()[0]! - (0.5 + 0.01)) < 1e-6);
  assert.equal(decaysByDefault("bert.embeddings.LayerNorm.weight"), false);
  tf.dispose(Object.values(grads));
  optimizer.dispose();
  for (const v of params.values()) v.dispose();
});

test("linear warm-up then decay to zero", () => {
  assert.equal(linearWarmupDecay(0, 1, 10, 110), 0.1);
  assert.equal(linearWarmupDecay(9, 1, 10, 110), 1);
  assert.equal(linearWarmupDecay(10, 1, 10, 110), 1);
  assert.equal(linearWarmupDecay(60, 1, 10, 110), 0.5);
  assert.equal(linearWarmupDecay(110, 1, 10, 110), 0);
});

test("warm-up runs one update ahead of Hugging Face's get_linear_schedule_with_warmup, and decay equals it", () => {
  // transformers `optimization.py`, `_get_linear_schedule_with_warmup_lr_lambda`:
  //   s < W ? s / max(1, W) : max(0, (T - s) / max(1, T - W))
  const hf = (s: number, w: number, t: number) => (s < w ? s / Math.max(1, w) : Math.max(0, (t - s) / Math.max(1, t - w)));
  for (const [w, t] of [[10, 110], [1, 5], [0, 7], [7, 7]] as const) {
    for (let s = 0; s <= t; s++) {
      const expected = s < w ? hf(s, w, t) + 1 / w : hf(s, w, t); // during warm-up ours is HF's plus one step's rise
      assert.ok(Math.abs(linearWarmupDecay(s, 1, w, t) - expected) < 1e-12, `W=${w} T=${t} step ${s}`);
    }
  }
});

test("global-norm clipping scales all gradients by one factor", () => {
  const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) }; // norm 5
  const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
  assert.equal(norm, 5);
  assert.deepEqual([...clipped["a"]!.dataSync(), ...clipped["b"]!.dataSync()].map((x) => Number(x.toFixed(6))), [0.6, 0, 0.8]);
  const { grads: unchanged } = clipByGlobalNorm(grads, 10);
  assert.deepEqual([...unchanged["b"]!.dataSync()], [4]);
  tf.dispose([...Object.values(grads), ...Object.values(clipped), ...Object.values(unchanged)]);
});
