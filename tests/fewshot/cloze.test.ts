import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel, fillMask } from "../../lib/model";
import { maskedLogits } from "../../lib/pretrain";
import { batchTensors, finetune, padBatch, predictSequence, weightedCrossEntropy } from "../../lib/tasks";
import { AdamW, valueAndGrads } from "../../lib/train";
import { ClozeClassifier, buildVerbalizer, encodePrompt, parseTemplate } from "../../lib/fewshot";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const tokenizer = tinyTokenizer();
const template = parseTemplate(tokenizer, "{text} a [MASK] film .");
const verbalizer = buildVerbalizer(tokenizer, ["negative", "positive"], { negative: "bad", positive: "good" });
const texts = ["a warm , funny little film", "slow and empty", "fun"];
const examples = texts.map((t, i) => ({ inputIds: encodePrompt(tokenizer, template, t, 32), target: i === 1 ? 0 : 1 }));
const cloze = (seed: number) => new ClozeClassifier(BertModel.init(tinyConfig(), new Rng(seed)), verbalizer, template.maskId);

test("cloze logits are the MLM head's logits at each row's [MASK], for the verbalizer ids (padded batch)", () => {
  const model = cloze(1);
  const batch = padBatch(examples, [0, 1, 2], 0);
  const [ours, reference] = tf.tidy(() => {
    const inputs = batchTensors(batch);
    const width = batch.inputIds[0]!.length;
    const positions = batch.inputIds.map((row, b) => b * width + row.indexOf(template.maskId));
    // The pretraining path: hidden states gathered at the masked positions, then the vocabulary projection.
    const mlm = maskedLogits(model.bert, { ...inputs, flatPositions: tf.tensor1d(positions, "int32"), maskedLabels: tf.tensor1d([0, 0, 0], "int32") }); // [3, V]
    return [model.logits(inputs).arraySync() as number[][], tf.gather(mlm, verbalizer.tokenIds, 1).arraySync() as number[][]];
  });
  assert.deepEqual([ours.length, ours[0]!.length], [3, 2]);
  for (let b = 0; b < 3; b++) for (let c = 0; c < 2; c++) assert.ok(Math.abs(ours[b]![c]! - reference[b]![c]!) < 1e-5, `row ${b}, class ${c}: ${ours[b]![c]} vs ${reference[b]![c]}`);
  model.dispose();
});

test("zero-shot class probabilities are fill-mask's probabilities of the verbalizer words, renormalised (1e-5)", () => {
  const model = cloze(2);
  const probs = predictSequence(model, [examples[0]!], 0)[0] as number[];
  const filled = fillMask(model.bert, tokenizer, `${texts[0]} a [MASK] film .`, { topK: tokenizer.vocabSize });
  const p = verbalizer.tokenIds.map((id) => filled.find((r) => r.token === id)!.score);
  const total = p.reduce((s, v) => s + v, 0);
  p.forEach((v, c) => assert.ok(Math.abs(v / total - probs[c]!) < 1e-5, `class ${c}: ${v / total} vs ${probs[c]}`));
  model.dispose();
});

test("one prompt fine-tuning step (AdamW on the whole MLM, head included) lowers the loss", () => {
  const model = cloze(3);
  const batch = padBatch(examples, [0, 1, 2], 0);
  const loss = () => weightedCrossEntropy(model.logits(batchTensors(batch)), tf.tensor1d(batch.targets as number[], "int32"));
  const first = tf.tidy(() => loss().dataSync()[0] as number);
  const optimizer = new AdamW({ weightDecay: 0 });
  const { value, grads } = valueAndGrads(model.params, loss);
  optimizer.apply(model.params, grads, 1e-3);
  tf.dispose([value, ...Object.values(grads)]);
  const second = tf.tidy(() => loss().dataSync()[0] as number);
  assert.ok(second < first, `${second} < ${first}`);
  for (const name of ["cls.predictions.transform.dense.weight", "cls.predictions.bias", "bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.attention.self.query.weight"]) assert.ok(name in grads, `${name} gets a gradient`);
  optimizer.dispose();
  model.dispose();
});

test("leaves no tensor behind: logits, prediction, fine-tuning and dispose", () => {
  const before = tf.memory().numTensors;
  const model = cloze(4);
  tf.tidy(() => {
    model.logits(batchTensors(padBatch(examples, [0, 1, 2], 0)), { rng: new Rng(0) });
  });
  predictSequence(model, examples, 0);
  finetune(model, { train: examples, padId: 0 }, () => ({ accuracy: 0.5 }), { epochs: 2, batchSize: 2 });
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("refuses a model without an MLM head and verbalizer ids outside the vocabulary", () => {
  const bert = BertModel.init(tinyConfig(), new Rng(5));
  assert.throws(() => new ClozeClassifier(bert, { ...verbalizer, tokenIds: [1, 999] }, template.maskId), /ids 999 are outside the model's vocabulary of 39/);
  for (const [name, variable] of bert.params) {
    if (!name.startsWith("cls.")) continue;
    variable.dispose();
    bert.params.delete(name);
  }
  assert.throws(() => new ClozeClassifier(bert, verbalizer, template.maskId), /no MLM head \(cls.predictions.\*\)/);
  bert.dispose();
});
