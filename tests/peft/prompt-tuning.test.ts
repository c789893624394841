// lib/peft/prompt-tuning.ts: soft prompts in front of the input (sampled from the vocabulary), frozen base, files.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { PromptTuning, createPeftModel } from "../../lib/peft";
import { withHead } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";
import { methodContract, quietConfig, randomClassifier } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

methodContract("prompt tuning", (c) => new PromptTuning(c, { numVirtualTokens: 4, init: "RANDOM" }, new Rng(1)), { identityAtInit: false, lr: 5e-2 });

test("prompt tuning: SAMPLE_VOCAB copies rows of the word embeddings; the prompts equal those tokens written in front", () => {
  const task = randomClassifier(2, 3, quietConfig());
  const table = task.bert.params.get("bert.embeddings.word_embeddings.weight") as tf.Variable;
  const rows = Array.from({ length: 30 }, (_, i) => Array.from(table.dataSync().slice(i * 16, (i + 1) * 16)));
  // The logits of [the sampled tokens] + input on the plain model, before wrapping.
  const method = new PromptTuning(task.bert.config, { numVirtualTokens: 3 }, new Rng(4), table);
  const prompts = method.prompts.arraySync() as number[][];
  const ids = prompts.map((p) => rows.findIndex((r) => r.every((v, i) => v === p[i])));
  assert.ok(ids.every((i) => i >= 0), "every prompt is a vocabulary row");
  const plain = tf.tidy(() => Array.from(task.logits({ inputIds: tf.tensor2d([[...ids, 2, 7, 8, 3]], undefined, "int32") }).dataSync()));
  const model = createPeftModel(task, () => method);
  try {
    const ours = tf.tidy(() => Array.from(model.logits({ inputIds: tf.tensor2d([[2, 7, 8, 3]], undefined, "int32") }).dataSync()));
    assert.ok(ours.every((v, i) => Math.abs(v - (plain[i] as number)) < 1e-5), "virtual tokens = those tokens' embeddings in front");
    const config = method.configJson();
    assert.equal(config["peft_type"], "PROMPT_TUNING");
    assert.equal(config["num_virtual_tokens"], 3);
    assert.deepEqual([...method.stateDict().keys()], ["prompt_embeddings"]);
  } finally {
    model.dispose();
  }
});

test("prompt tuning on token classification drops the virtual positions; too long an input names the limit", () => {
  const model = createPeftModel(withHead("token", randomBert(quietConfig({ maxPositions: 8 }), 3), 4, new Rng(1)), (c) => new PromptTuning(c, { numVirtualTokens: 3, init: "RANDOM" }, new Rng(2)));
  try {
    const shape = tf.tidy(() => model.logits({ inputIds: tf.tensor2d([[2, 7, 8, 3]], undefined, "int32"), attentionMask: tf.tensor2d([[1, 1, 1, 0]], undefined, "int32") }).shape);
    assert.deepEqual(shape, [1, 4, 4]);
    assert.throws(() => tf.tidy(() => model.logits({ inputIds: tf.tensor2d([[2, 5, 6, 7, 8, 3]], undefined, "int32") })), /6 tokens \+ 3 virtual tokens exceed the model's 8 positions; truncate to 5/);
  } finally {
    model.dispose();
  }
});
