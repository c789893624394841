import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model";
import { BertForSequenceClassification, finetune, predictSequence } from "../../lib/tasks";
import { attentionRollout, integratedGradients, integratedGradientsWithin, logitsFromEmbeddings, randomizationCheck, spearman, tokenHeatmapHtml, wordEmbeddings } from "../../lib/eval";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const tokenizer = tinyTokenizer();
const ids = (text: string) => tokenizer.encode(text).inputIds;
const PAD = 0;

/** A tiny sentiment model trained until "good/fun/great" → 1 and "bad/slow/empty" → 0 (the rest of the words are noise). */
function trainedModel(): BertForSequenceClassification {
  const model = new BertForSequenceClassification(BertModel.init(tinyConfig({ hiddenDropout: 0, attentionDropout: 0 }), new Rng(1)), 2, new Rng(2));
  const texts: [string, number][] = [];
  const nouns = ["film", "lamb", "chefs", "oslo", "peru"];
  for (const n of nouns) for (const [w, y] of [["good", 1], ["fun", 1], ["great", 1], ["bad", 0], ["slow", 0], ["empty", 0]] as const) texts.push([`a ${w} ${n}`, y], [`${n} ${w}`, y]);
  const train = texts.map(([t, y]) => ({ inputIds: ids(t), target: y }));
  finetune(model, { train, padId: PAD }, () => ({ accuracy: 0 }), { epochs: 30, batchSize: 12, lr: 3e-3, warmupFraction: 0, keepBest: false });
  const probs = predictSequence(model, train, PAD);
  const accuracy = probs.filter((p, i) => (p[1]! > 0.5 ? 1 : 0) === train[i]!.target).length / train.length;
  assert.ok(accuracy === 1, `the toy model must learn its task first (accuracy ${accuracy})`);
  return model;
}

let trained: BertForSequenceClassification;
before(() => {
  trained = trainedModel();
});

test("logits from the model's own word embeddings equal model.logits (the IG forward is the model)", () => {
  const x = [ids("a good film"), ids("bad lamb")];
  const before0 = tf.memory().numTensors;
  for (const one of x) {
    const [a, b] = tf.tidy(() => {
      const inputIds = tf.tensor2d([one], [1, one.length], "int32");
      return [trained.logits({ inputIds }).arraySync() as number[][], logitsFromEmbeddings(trained, wordEmbeddings(trained, inputIds)).arraySync() as number[][]];
    });
    for (let k = 0; k < 2; k++) assert.ok(Math.abs(a[0]![k]! - b[0]![k]!) < 1e-5, `${a} vs ${b}`);
  }
  assert.equal(tf.memory().numTensors, before0, "no tensor leaked");
});

test("IG completeness: Σ attributions = F(x) − F(x') within 1% with 256 steps, and the error falls with more steps", () => {
  const before0 = tf.memory().numTensors;
  for (const text of ["a good film", "slow chefs", "a great peru", "oslo empty"]) {
    const r = integratedGradients(trained, ids(text), { steps: 256 });
    assert.ok(Math.abs(r.logit - r.baselineLogit) > 0.1, "a non-trivial logit difference to explain");
    assert.ok(r.completenessError <= 0.01, `${text}: completeness error ${(100 * r.completenessError).toFixed(2)}%`);
    const coarse = integratedGradients(trained, ids(text), { steps: 2, target: r.target });
    assert.ok(coarse.completenessError >= r.completenessError, `${text}: 2 steps ${coarse.completenessError} < 256 steps ${r.completenessError}`);
  }
  assert.equal(tf.memory().numTensors, before0, "no tensor leaked");
});

test("integratedGradientsWithin doubles the steps until completeness is within the tolerance", () => {
  const r = integratedGradientsWithin(trained, ids("a good film"), { tolerance: 0.01, steps: 4 });
  assert.ok(r.completenessError <= 0.01 && r.steps > 4 && Number.isInteger(Math.log2(r.steps)), `${r.steps} steps, error ${r.completenessError}`);
  const capped = integratedGradientsWithin(trained, ids("a good film"), { tolerance: 0, steps: 4, maxSteps: 8 });
  assert.equal(capped.steps, 8);
});

test("IG points at the sentiment word: it gets the largest |attribution| among the words", () => {
  for (const [text, word] of [["a good film", "good"], ["lamb slow", "slow"], ["a empty oslo", "empty"]] as const) {
    const encoded = ids(text);
    const r = integratedGradients(trained, encoded, { steps: 32 });
    const words = encoded.map((_, i) => i).slice(1, -1); // skip [CLS] and [SEP] (their baseline is themselves: IG 0)
    const best = words.reduce((a, b) => (Math.abs(r.attributions[b]!) > Math.abs(r.attributions[a]!) ? b : a));
    assert.equal(tokenizer.idToToken(encoded[best]!), word, `${text}: ${r.attributions.map((v) => v.toFixed(3))}`);
    assert.equal(r.attributions[0], 0);
  }
});

test("attention rollout: a [T] distribution from [CLS]; with one layer it is ½·mean-head attention + ½ on [CLS] itself", () => {
  const encoded = ids("a good film");
  const before0 = tf.memory().numTensors;
  const r = attentionRollout(trained.bert, encoded);
  assert.equal(r.length, encoded.length);
  assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-5 && r.every((v) => v >= 0));
  const oneLayer = BertModel.init(tinyConfig({ numLayers: 1 }), new Rng(4));
  const rolled = attentionRollout(oneLayer, encoded);
  const attn = tf.tidy(() => oneLayer.encode({ inputIds: tf.tensor2d([encoded], [1, encoded.length], "int32") }, { outputAttentions: true }).attentions[0]!.mean(1).arraySync() as number[][][]);
  rolled.forEach((v, j) => assert.ok(Math.abs(v - (0.5 * attn[0]![0]![j]! + (j === 0 ? 0.5 : 0))) < 1e-6));
  oneLayer.dispose();
  assert.equal(tf.memory().numTensors, before0, "no tensor leaked");
});

test("sanity check: a randomised model's attributions do not rank tokens like the trained model's", () => {
  const texts = ["a good film and a warm lamb", "lamb slow , little chefs", "a great chefs in oslo", "peru bad , a little empty film", "a fun oslo and funny chefs", "dutch chefs empty , slow film"].map(ids);
  const before0 = tf.memory().numTensors;
  const r = randomizationCheck(trained, texts, { steps: 16, seed: 3 });
  assert.equal(r.correlations.length, texts.length);
  assert.ok(r.mean < 0.8, `mean rank correlation ${r.mean}: IG would not pass the check`);
  assert.equal(tf.memory().numTensors, before0, "no tensor leaked (the random copy is disposed)");
  const self = texts.map((t) => integratedGradients(trained, t, { steps: 16 }).attributions.map(Math.abs));
  assert.ok(Math.abs(spearman(self[0]!, self[0]!) - 1) < 1e-12, "a map correlates perfectly with itself");
});

test("spearman equals scipy.stats.spearmanr (ties averaged)", (t) => {
  const a = [3, 1, 4, 1, 5, 9, 2, 6];
  const b = [2, 7, 1, 8, 2, 8, 1, 8];
  const r = spawnSync("/usr/bin/python3", ["-c", `from scipy.stats import spearmanr; print(repr(spearmanr(${JSON.stringify(a)}, ${JSON.stringify(b)}).correlation))`], { encoding: "utf8" });
  if (r.status !== 0) return t.skip(`scipy unavailable under /usr/bin/python3: ${r.stderr?.slice(-200)}`);
  assert.ok(Math.abs(spearman(a, b) - Number(r.stdout)) < 1e-12, `${spearman(a, b)} vs ${r.stdout}`);
});

test("the heat map is plain HTML with inline styles: red for positive, blue for negative, pieces joined, text escaped", () => {
  const html = tokenHeatmapHtml(["[CLS]", "boy", "##cott", "<b>"], [0, 1, -0.5, 0.25], { title: "IG" });
  assert.match(html, /rgba\(220,50,47,1\.000\)[^>]*>boy<\/span><span[^>]*rgba\(38,139,210,0\.500\)[^>]*>cott</);
  assert.match(html, />&lt;b&gt;</);
  assert.doesNotMatch(html, /<script|<style|class=/);
  assert.throws(() => tokenHeatmapHtml(["a"], [1, 2]), /1 tokens but 2 scores/);
});
