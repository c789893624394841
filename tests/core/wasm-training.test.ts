// The wasm backend can train a transformer: full AdamW steps of a small encoder (embedding lookup, multi-head
// attention with a padding mask, LayerNorm, GELU, dropout, softmax cross-entropy) give the same losses on wasm
// as on tfjs's reference `cpu` backend, and the same seed replays the same loss curve.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { AdamW, valueAndGrads } from "../../lib/train";
import { crossEntropy, disposeParams, encoderLayer, initEncoderLayer, layerNorm, linear, normalVariable, constantVariable, param, type EncoderLayerConfig, type Params } from "../../lib/nn";

const VOCAB = 40;
const CONFIG: EncoderLayerConfig = { hiddenSize: 32, numHeads: 4, intermediateSize: 64, dropoutRate: 0.1, layerNormEps: 1e-12, initializerRange: 0.02 };
const [B, T] = [4, 12];

function initModel(rng: Rng): Params {
  const params: Params = new Map();
  params.set("embeddings.word", normalVariable("embeddings.word", [VOCAB, CONFIG.hiddenSize], rng));
  params.set("embeddings.position", normalVariable("embeddings.position", [T, CONFIG.hiddenSize], rng));
  params.set("embeddings.LayerNorm.weight", constantVariable("embeddings.LayerNorm.weight", [CONFIG.hiddenSize], 1));
  params.set("embeddings.LayerNorm.bias", constantVariable("embeddings.LayerNorm.bias", [CONFIG.hiddenSize], 0));
  initEncoderLayer(params, "layer.0.", CONFIG, rng);
  params.set("head.weight", normalVariable("head.weight", [CONFIG.hiddenSize, VOCAB], rng));
  params.set("head.bias", constantVariable("head.bias", [VOCAB], 0));
  return params;
}

/** A batch with ragged lengths: the task is to predict each token's successor mod VOCAB; padding is −100. */
function makeBatch(rng: Rng): { ids: number[][]; mask: number[][]; labels: number[][] } {
  const ids: number[][] = [], mask: number[][] = [], labels: number[][] = [];
  for (let b = 0; b < B; b++) {
    const length = T - (b % 3) * 3; // 12, 9, 6, 12
    const row = Array.from({ length: T }, (_, t) => (t < length ? 5 + rng.int(VOCAB - 5) : 0));
    ids.push(row);
    mask.push(row.map((_, t) => (t < length ? 1 : 0)));
    labels.push(row.map((id, t) => (t < length ? (id + 1) % VOCAB : -100)));
  }
  return { ids, mask, labels };
}

function loss(params: Params, batch: ReturnType<typeof makeBatch>, rng: Rng): tf.Scalar {
  const ids = tf.tensor2d(batch.ids, [B, T], "int32");
  const mask = tf.tensor2d(batch.mask, [B, T], "int32");
  const words = tf.gather(param(params, "embeddings.word"), ids); // [B, T, H]
  const x = layerNorm(tf.add(words, param(params, "embeddings.position")), param(params, "embeddings.LayerNorm.weight") as tf.Tensor1D, param(params, "embeddings.LayerNorm.bias") as tf.Tensor1D) as tf.Tensor3D;
  const { hidden } = encoderLayer(x, params, "layer.0.", CONFIG, { attentionMask: mask, rng });
  const logits = linear(hidden, param(params, "head.weight") as tf.Tensor2D, param(params, "head.bias") as tf.Tensor1D).reshape([B * T, VOCAB]) as tf.Tensor2D;
  return crossEntropy(logits, tf.tensor1d(batch.labels.flat(), "int32"));
}

/** `steps` AdamW steps from `seed`; returns the loss of each step. Leaves no tensor behind. */
function train(seed: number, steps: number): number[] {
  const rng = new Rng(seed);
  const params = initModel(rng);
  const optimizer = new AdamW({ weightDecay: 0.01 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const batch = makeBatch(rng);
    const { value, grads } = valueAndGrads(params, () => loss(params, batch, rng));
    optimizer.apply(params, grads, 3e-3);
    losses.push(value.dataSync()[0] as number);
    value.dispose();
    tf.dispose(grads);
  }
  optimizer.dispose();
  disposeParams(params);
  return losses;
}

test("wasm training steps equal cpu training steps within 1e-4", async () => {
  await initBackend({ backend: "wasm" });
  assert.equal(tf.getBackend(), "wasm");
  const wasm = train(7, 6);
  await tf.setBackend("cpu");
  const cpu = train(7, 6);
  await tf.setBackend("wasm");
  console.log(`losses wasm ${wasm.map((l) => l.toFixed(5)).join(" ")}\nlosses cpu  ${cpu.map((l) => l.toFixed(5)).join(" ")}`);
  for (let i = 0; i < wasm.length; i++) assert.ok(Math.abs((wasm[i] as number) - (cpu[i] as number)) < 1e-4, `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`);
});

test("training lowers the loss", async () => {
  await initBackend({ backend: "wasm" });
  const losses = train(3, 40);
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < first - 0.3, `loss went from ${first.toFixed(3)} to ${last.toFixed(3)}`);
});

test("same seed, same backend → the same loss curve; another seed → another", async () => {
  await initBackend({ backend: "wasm" });
  assert.deepEqual(train(11, 4), train(11, 4));
  assert.notDeepEqual(train(11, 4), train(12, 4));
});

test("a training run leaves no tensor behind", async () => {
  await initBackend({ backend: "wasm" });
  train(5, 1); // first run may cache constants
  const before = tf.memory().numTensors;
  train(5, 3);
  assert.equal(tf.memory().numTensors, before);
});
