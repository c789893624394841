import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model";
import { BertForSequenceClassification, BertForTokenClassification, batchTensors, padBatch, weightedCrossEntropy, predictSequence, predictTokens } from "../../lib/tasks";
import { AdamW, valueAndGrads } from "../../lib/train";
import { tinyConfig } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const config = tinyConfig();
const examples = [
  { inputIds: [2, 17, 19, 3], target: 1 },
  { inputIds: [2, 18, 3], target: 0 },
  { inputIds: [2, 21, 36, 37, 14, 3], target: 0 },
];

test("sequence logits are [B, C], token logits [B, T, C]; the head is HF's classifier.weight/bias", () => {
  const seq = new BertForSequenceClassification(BertModel.init(config, new Rng(1)), 3, new Rng(2));
  const tok = new BertForTokenClassification(BertModel.init(config, new Rng(1)), 5, new Rng(2));
  const batch = padBatch(examples, [0, 1, 2], 0);
  const shapes = tf.tidy(() => [seq.logits(batchTensors(batch)).shape, tok.logits(batchTensors(batch)).shape]);
  assert.deepEqual(shapes, [[3, 3], [3, 6, 5]]);
  assert.deepEqual([...seq.head.keys()], ["classifier.weight", "classifier.bias"]);
  assert.deepEqual(seq.head.get("classifier.weight")?.shape, [16, 3]);
  assert.equal(seq.params.size, seq.bert.params.size + 2);
  seq.dispose();
  tok.dispose();
});

test("dynamic padding changes nothing: each example's probabilities equal those of the example alone", () => {
  const model = new BertForSequenceClassification(BertModel.init(config, new Rng(3)), 2, new Rng(4));
  const together = predictSequence(model, examples, 0, { batchSize: 3 });
  const alone = examples.map((e) => predictSequence(model, [e], 0)[0] as number[]);
  for (let i = 0; i < examples.length; i++) for (let k = 0; k < 2; k++) assert.ok(Math.abs((together[i] as number[])[k]! - (alone[i] as number[])[k]!) < 1e-5, `example ${i}`);
  const tok = new BertForTokenClassification(BertModel.init(config, new Rng(3)), 4, new Rng(4));
  const rows = predictTokens(tok, examples.map((e) => ({ inputIds: e.inputIds, target: e.inputIds.map(() => 0) })), 0);
  assert.deepEqual(rows.map((r) => r.length), [4, 3, 6], "each example cut to its own length");
  model.dispose();
  tok.dispose();
});

test("no tensor leaks from logits, loss, gradients and prediction", () => {
  const model = new BertForTokenClassification(BertModel.init(config, new Rng(5)), 3, new Rng(6));
  const before = tf.memory().numTensors;
  const batch = padBatch(examples.map((e) => ({ inputIds: e.inputIds, target: e.inputIds.map((_, t) => (t === 0 ? -100 : t % 3)) })), [0, 1, 2], 0);
  const { value, grads } = valueAndGrads(model.params, () => weightedCrossEntropy(model.logits(batchTensors(batch), { rng: new Rng(7) }).reshape([-1, 3]) as tf.Tensor2D, tf.tensor1d(batch.targets.flat(), "int32")));
  tf.dispose([value, ...Object.values(grads)]);
  predictTokens(model, examples.map((e) => ({ inputIds: e.inputIds, target: [] })), 0);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

test("one AdamW step lowers the loss (sequence head, dropout off for the comparison)", () => {
  const model = new BertForSequenceClassification(BertModel.init(config, new Rng(8)), 2, new Rng(9));
  const batch = padBatch(examples, [0, 1, 2], 0);
  const loss = () => weightedCrossEntropy(model.logits(batchTensors(batch)) as tf.Tensor2D, tf.tensor1d(batch.targets as number[], "int32"));
  const first = tf.tidy(() => loss().dataSync()[0] as number);
  const optimizer = new AdamW({ weightDecay: 0 });
  const { value, grads } = valueAndGrads(model.params, loss);
  optimizer.apply(model.params, grads, 1e-3);
  tf.dispose([value, ...Object.values(grads)]);
  const second = tf.tidy(() => loss().dataSync()[0] as number);
  assert.ok(second < first, `${second} < ${first}`);
  assert.ok(Object.keys(grads).includes("classifier.weight") && Object.keys(grads).includes("bert.pooler.dense.weight"), "head and pooler get gradients");
  optimizer.dispose();
  model.dispose();
});
