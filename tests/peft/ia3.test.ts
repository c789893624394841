// lib/peft/ia3.ts: rescaling vectors at 1 (identity at init), peft's input/output rule, frozen base, training, files.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Ia3 } from "../../lib/peft";
import { methodContract, quietConfig } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

methodContract("IA³", (c) => new Ia3(c), { identityAtInit: true });

test("IA³ with peft's BERT defaults: keys and values scaled at the output [H], both output.dense Linears at the input", () => {
  const ia3 = new Ia3(quietConfig());
  try {
    const shapes = Object.fromEntries([...ia3.stateDict()].map(([k, v]) => [k.replace("base_model.model.bert.encoder.layer.0.", ""), v.shape]));
    assert.deepEqual(shapes["attention.self.key.ia3_l"], [16, 1]);
    assert.deepEqual(shapes["attention.self.value.ia3_l"], [16, 1]);
    assert.deepEqual(shapes["attention.output.dense.ia3_l"], [1, 16]);
    assert.deepEqual(shapes["output.dense.ia3_l"], [1, 32], "the FFN's inner activation (intermediate size)");
    assert.equal(ia3.params.size, 2 * 4);
    // Output rule: l ⊙ (x·W + b) (the bias scaled too); input rule: (l ⊙ x)·W + b (the bias not).
    const hook = ia3.hooks.linear as NonNullable<typeof ia3.hooks.linear>;
    (ia3.params.get("bert.encoder.layer.0.attention.self.key.ia3_l") as tf.Variable).assign(tf.fill([16], 2));
    (ia3.params.get("bert.encoder.layer.0.output.dense.ia3_l") as tf.Variable).assign(tf.fill([32], 3));
    const [x, w, b] = [tf.ones([1, 16]), tf.eye(16), tf.ones([16])];
    const [x2, w2] = [tf.ones([1, 32]), tf.fill([32, 16], 1 / 32)];
    const out = tf.tidy(() => Array.from(hook("bert.encoder.layer.0.attention.self.key", x, w as tf.Tensor2D, b as tf.Tensor1D).dataSync()));
    const ff = tf.tidy(() => Array.from(hook("bert.encoder.layer.0.output.dense", x2, w2 as tf.Tensor2D, b as tf.Tensor1D).dataSync()));
    assert.ok(out.every((v) => v === 4), "2 · (1 + 1)");
    assert.ok(ff.every((v) => Math.abs(v - 4) < 1e-6), "3·1 + 1");
    tf.dispose([x2, w2]);
    tf.dispose([x, w, b]);
  } finally {
    ia3.dispose();
  }
});
