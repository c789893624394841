// lib/embeddings: pooling, sentenceEmbeddings, InfoNCE (against PyTorch's cross_entropy over cosine/τ), SimCSE
// training, STS correlation and nearest-neighbour retrieval, on an inline ten-odd-word vocabulary and a tiny BERT.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model/bert";
import { cosineSimilarity, encodeSentences, infoNceLoss, nearestNeighbourAccuracy, poolHidden, sentenceEmbeddings, stsCorrelation, trainSimcse } from "../../lib/embeddings";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

const PYTHON = "/usr/bin/python3";
const torchMissing = spawnSync(PYTHON, ["-c", "import torch"]).status === 0 ? false : `${PYTHON} lacks PyTorch (apt-get install -y python3-torch)`;
if (torchMissing) console.log(`# SKIPPED PyTorch InfoNCE parity: ${torchMissing}`);

const TEXTS = ["good film", "bad film", "a warm , funny little film", "eu rejects german call", "acme hires dutch chefs", "slow and empty", "great fun", "maria to peru"];

test("mean pooling ignores padding; cls takes the first token", () => {
  const [mean, cls] = tf.tidy(() => {
    const hidden = tf.tensor3d([[[1, 2], [3, 4], [100, 100]]]); // [1, 3, 2], the last token is padding
    const mask = tf.tensor2d([[1, 1, 0]], [1, 3], "int32");
    return [poolHidden(hidden, mask, "mean").arraySync(), poolHidden(hidden, mask, "cls").arraySync()];
  });
  assert.deepEqual(mean, [[2, 3]]);
  assert.deepEqual(cls, [[1, 2]]);
});

test("sentenceEmbeddings: input order kept across length-sorted batches, equal to one text at a time, unit length, no leak", () => {
  const bert = BertModel.init(tinyConfig(), new Rng(0));
  const tokenizer = tinyTokenizer();
  const before = tf.memory().numTensors;
  const batched = sentenceEmbeddings(bert, tokenizer, TEXTS, { batchSize: 3 });
  assert.equal(tf.memory().numTensors, before);
  for (let i = 0; i < TEXTS.length; i++) {
    const [alone] = sentenceEmbeddings(bert, tokenizer, [TEXTS[i] as string]);
    const v = batched[i] as Float32Array;
    assert.ok(Math.abs(cosineSimilarity(v, alone as Float32Array) - 1) < 1e-5, TEXTS[i]);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
  }
  const raw = sentenceEmbeddings(bert, tokenizer, TEXTS.slice(0, 2), { pooling: "cls", normalize: false });
  assert.ok(Math.abs(Math.hypot(...(raw[0] as Float32Array)) - 1) > 1e-3, "normalize: false keeps the norm");
  assert.deepEqual(encodeSentences(tokenizer, ["good", "good film"], 8).attentionMask, [[1, 1, 1, 0], [1, 1, 1, 1]]);
  bert.dispose();
});

test("infoNceLoss equals PyTorch's cross_entropy(cos(z1, z2ᵀ)/τ, arange(B)) to 1e-5", { skip: torchMissing }, () => {
  const rng = new Rng(3);
  const [b, h, tau] = [5, 7, 0.05];
  const z1 = Array.from({ length: b * h }, () => rng.normal());
  const z2 = Array.from({ length: b * h }, () => rng.normal());
  const ours = tf.tidy(() => infoNceLoss(tf.tensor2d(z1, [b, h]), tf.tensor2d(z2, [b, h]), tau).dataSync()[0] as number);
  const script = "import sys, json, torch\nimport torch.nn.functional as F\nd = json.load(sys.stdin)\n" + "a = torch.tensor(d['z1'], dtype=torch.float64).reshape(d['b'], -1); c = torch.tensor(d['z2'], dtype=torch.float64).reshape(d['b'], -1)\n" + "sim = F.cosine_similarity(a.unsqueeze(1), c.unsqueeze(0), dim=-1) / d['tau']\nprint(F.cross_entropy(sim, torch.arange(d['b'])).item())";
  const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify({ z1, z2, b, tau }), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(Math.abs(ours - Number(run.stdout)) < 1e-5 * Math.max(1, Math.abs(ours)), `${ours} vs ${run.stdout}`);
});

test("infoNceLoss: near 0 when each view matches only its partner, log B when all views are equal; refuses τ ≤ 0", () => {
  const [aligned, uniform] = tf.tidy(() => [
    infoNceLoss(tf.eye(4) as tf.Tensor2D, tf.eye(4) as tf.Tensor2D, 0.05).dataSync()[0] as number,
    infoNceLoss(tf.ones([4, 3]) as tf.Tensor2D, tf.ones([4, 3]) as tf.Tensor2D, 0.05).dataSync()[0] as number,
  ]);
  assert.ok(aligned < 1e-6, `${aligned}`);
  assert.ok(Math.abs(uniform - Math.log(4)) < 1e-5, `${uniform}`);
  assert.throws(() => tf.tidy(() => infoNceLoss(tf.eye(2) as tf.Tensor2D, tf.eye(2) as tf.Tensor2D, 0)), /temperature must be > 0/);
});

test("trainSimcse lowers the contrastive loss, leaves no tensor behind, and refuses a model without dropout", () => {
  const bert = BertModel.init(tinyConfig(), new Rng(1));
  const tokenizer = tinyTokenizer();
  const before = tf.memory().numTensors;
  const { history } = trainSimcse(bert, tokenizer, TEXTS, { steps: 30, batchSize: 8, lr: 3e-3, temperature: 0.1 });
  assert.equal(tf.memory().numTensors, before);
  const first = history.slice(0, 5).reduce((s, r) => s + r.loss, 0) / 5;
  const last = history.slice(-5).reduce((s, r) => s + r.loss, 0) / 5;
  assert.ok(last < first, `mean loss of the last 5 steps ${last} !< first 5 ${first}`);
  bert.dispose();
  const noDropout = BertModel.init(tinyConfig({ hiddenDropout: 0, attentionDropout: 0 }), new Rng(1));
  assert.throws(() => trainSimcse(noDropout, tokenizer, TEXTS, { steps: 1 }), /no dropout, so the two views would be identical/);
  assert.throws(() => trainSimcse(noDropout, tokenizer, ["one"], { steps: 1 }), /in-batch negatives need at least 2/);
  noDropout.dispose();
});

test("stsCorrelation and nearestNeighbourAccuracy on hand-made vectors", () => {
  const e1 = [[1, 0], [1, 0], [1, 0]];
  const e2 = [[1, 0], [1, 1], [0, 1]]; // cosines 1, 0.707, 0
  const r = stsCorrelation(e1, e2, [5, 3, 1]);
  assert.equal(r.spearman, 1);
  assert.ok(Math.abs((r.cosines[1] as number) - Math.SQRT1_2) < 1e-12);
  const nn = nearestNeighbourAccuracy([[1, 0.1], [0.1, 1], [-1, 0]], [0, 1, 0], [[2, 0], [0, 3], [0.9, 0.1]], [0, 1, 0]);
  assert.deepEqual(nn.predictions, [0, 1, 1]); // [-1, 0] is closest (cosine 0) to [0, 3]
  assert.ok(Math.abs(nn.accuracy - 2 / 3) < 1e-12);
  assert.throws(() => stsCorrelation(e1, e2, [1]), /3 and 3 embeddings for 1 scores/);
});
