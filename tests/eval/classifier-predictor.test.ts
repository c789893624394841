import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model";
import { BertForSequenceClassification, predictSequence } from "../../lib/tasks";
import { classifierPredictor } from "../../lib/eval";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

test("classifierPredictor: softmax of its logits equals predictSequence, order kept across length-sorted batches; no leak", () => {
  const tokenizer = tinyTokenizer();
  const model = new BertForSequenceClassification(BertModel.init(tinyConfig({ initializerRange: 0.3 }), new Rng(1)), 3, new Rng(2));
  const texts = ["a good film", "bad", "a warm , funny little film and a great lamb", "slow chefs"];
  const before0 = tf.memory().numTensors;
  const predictor = classifierPredictor(model, tokenizer, { batchSize: 2 });
  const probs = predictor.predict(texts);
  const cooler = classifierPredictor(model, tokenizer, { temperature: 4 }).predict(texts);
  assert.equal(tf.memory().numTensors, before0, "no tensor leaked");
  const reference = predictSequence(model, texts.map((t) => ({ inputIds: tokenizer.encode(t).inputIds, target: 0 })), 0);
  probs.forEach((row, i) => row.forEach((p, k) => assert.ok(Math.abs(p - reference[i]![k]!) < 1e-5, `text ${i} class ${k}`)));
  cooler.forEach((row, i) => assert.ok(Math.max(...row) <= Math.max(...probs[i]!) + 1e-9, "T > 1 lowers confidence"));
  assert.equal(predictor.logits(texts).length, 4);
  model.dispose();
});
