// lib/peft/prefix-tuning.ts: per-layer key/value prefixes through the reparameterisation MLP, only prefixes stored.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { PrefixTuning, createPeftModel } from "../../lib/peft";
import { examples, logitsOf, maxAbsDiff, methodContract, quietConfig, randomClassifier } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

methodContract("prefix tuning", (c) => new PrefixTuning(c, { numVirtualTokens: 3 }, new Rng(1)), { identityAtInit: false, lr: 1e-2 });

test("prefix tuning trains an MLP but stores only the prefixes [P, L·2·H]", () => {
  const method = new PrefixTuning(quietConfig(), { numVirtualTokens: 5, encoderHiddenSize: 8 }, new Rng(1));
  try {
    assert.deepEqual([...method.params.keys()], ["embedding", "transform.0.weight", "transform.0.bias", "transform.2.weight", "transform.2.bias"]);
    const saved = method.stateDict();
    assert.deepEqual([...saved.keys()], ["prompt_embeddings"]);
    assert.deepEqual(saved.get("prompt_embeddings")?.shape, [5, 2 * 2 * 16]);
    const config = method.configJson();
    assert.equal(config["prefix_projection"], true);
    assert.equal(config["encoder_hidden_size"], 8);
  } finally {
    method.dispose();
  }
});

test("zero prefixes still take attention mass; padded input positions stay invisible with prefixes present", () => {
  const task = randomClassifier(3, 3, quietConfig());
  const batch = examples(5);
  const base = logitsOf(task, batch);
  const method = new PrefixTuning(quietConfig(), { numVirtualTokens: 2, prefixProjection: false }, new Rng(1));
  const model = createPeftModel(task, () => method);
  try {
    const table = method.params.get("prefixes") as tf.Variable;
    table.assign(tf.zeros(table.shape)); // zero keys: score 0 ⇒ some weight; zero values ⇒ the output shrinks
    const shrunk = maxAbsDiff(logitsOf(model, batch), base);
    assert.ok(shrunk > 1e-4, "zero-valued prefixes still take attention mass");
    // The padding rule with prefixes: a sequence alone and padded in a batch give the same logits.
    const alone = logitsOf(model, batch.slice(4, 5));
    const padded = logitsOf(model, batch).slice(4 * 3, 5 * 3);
    assert.ok(maxAbsDiff(alone, padded) < 1e-5);
  } finally {
    model.dispose();
  }
});
