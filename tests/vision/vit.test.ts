import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/core/rng";
import { encoderLayer } from "../../lib/nn/encoder-layer";
import { crossEntropy } from "../../lib/nn/loss";
import { AdamW } from "../../lib/train/adamw";
import { valueAndGrads } from "../../lib/train/grads";
import type { ImageSplit } from "../../lib/data/fashion-mnist";
import { evaluateImageClassifier, trainImageClassifier } from "../../lib/vision/train-vit";
import { patchAttention } from "../../lib/vision/attention-maps";
import { numPatches, VisionTransformer, type VitConfig } from "../../lib/vision/vit";

const TINY: VitConfig = { imageSize: [8, 8], patchSize: 4, numChannels: 1, hiddenSize: 16, numLayers: 2, numHeads: 2, intermediateSize: 32, numLabels: 3, dropoutRate: 0.1, layerNormEps: 1e-12, initializerRange: 0.02, pooling: "cls" };

test("logits are [B, C]; 4 patches + [CLS] = 5 tokens; the parameter count is the formula's", () => {
  const model = VisionTransformer.init(TINY, new Rng(0));
  const before = tf.memory().numTensors;
  const shape = tf.tidy(() => model.logits(tf.randomNormal([3, 8, 8, 1]) as tf.Tensor4D).shape);
  assert.deepEqual(shape, [3, 3]);
  assert.equal(numPatches(TINY), 4);
  const layer = 4 * (16 * 16 + 16) + 2 * 2 * 16 + (16 * 32 + 32) + (32 * 16 + 16);
  assert.equal(model.numParams(), 16 * 16 + 16 + 16 + 5 * 16 + 2 * layer + 16 * 3 + 3);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => tf.tidy(() => model.logits(tf.zeros([1, 7, 7, 1]) as tf.Tensor4D)), /images are 7×7×1 but the model takes 8×8×1; preprocess them/);
  model.dispose();
});

test("the encoder is BERT's layer: the ViT's hidden states equal encoderLayer applied to its embeddings", () => {
  const model = VisionTransformer.init(TINY, new Rng(1));
  const diff = tf.tidy(() => {
    const images = tf.randomNormal([2, 8, 8, 1], 0, 1, "float32", 5) as tf.Tensor4D;
    let h = model.embed(images);
    for (let i = 0; i < TINY.numLayers; i++) h = encoderLayer(h, model.params, `vit.encoder.layer.${i}.`, { ...TINY, attentionDropoutRate: 0 }).hidden;
    return tf.max(tf.abs(tf.sub(h, model.encode(images).hidden))).dataSync()[0] as number;
  });
  assert.ok(diff < 1e-6, `max difference ${diff}`);
  model.dispose();
});

test("one AdamW step lowers the loss on a fixed batch; dropout draws from the rng", () => {
  const model = VisionTransformer.init({ ...TINY, dropoutRate: 0 }, new Rng(2));
  const images = tf.randomNormal([6, 8, 8, 1], 0, 1, "float32", 7) as tf.Tensor4D;
  const labels = tf.tensor1d([0, 1, 2, 0, 1, 2], "int32");
  const loss = () => crossEntropy(model.logits(images), labels);
  const first = tf.tidy(() => loss().dataSync()[0] as number);
  const optimizer = new AdamW();
  for (let i = 0; i < 3; i++) {
    const { value, grads } = valueAndGrads(model.params, loss);
    optimizer.apply(model.params, grads, 1e-2);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const after = tf.tidy(() => loss().dataSync()[0] as number);
  assert.ok(after < first, `${after} !< ${first}`);
  optimizer.dispose();
  model.dispose();
  const dropping = VisionTransformer.init(TINY, new Rng(2));
  const [a, b] = tf.tidy(() => [dropping.logits(images, { rng: new Rng(1) }).dataSync()[0], dropping.logits(images, { rng: new Rng(2) }).dataSync()[0]]);
  assert.notEqual(a, b);
  dropping.dispose();
  tf.dispose([images, labels]);
});

test("trainImageClassifier learns a separable toy problem from bytes; evaluation leaves no tensor behind", () => {
  // Class = which quadrant is bright: 3 classes, 8×8 bytes.
  const rng = new Rng(4);
  const count = 96;
  const pixels = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    for (let p = 0; p < 64; p++) {
      const [r, c] = [Math.floor(p / 8), p % 8];
      const quadrant = r < 4 ? (c < 4 ? 0 : 1) : c < 4 ? 2 : 3;
      pixels[i * 64 + p] = quadrant === label ? 200 + Math.floor(rng.uniform() * 55) : Math.floor(rng.uniform() * 60);
    }
  }
  const split: ImageSplit = { pixels, labels, count, rows: 8, cols: 8 };
  const preprocessing = { size: [8, 8] as [number, number], mean: [0.3], std: [0.3] };
  const model = VisionTransformer.init({ ...TINY, dropoutRate: 0 }, new Rng(5));
  const chance = evaluateImageClassifier(model, split, preprocessing).accuracy;
  const before = tf.memory().numTensors;
  const { history } = trainImageClassifier(model, split, preprocessing, { epochs: 15, batchSize: 16, lr: 1e-2 });
  assert.equal(history.length, 15 * 6);
  const { accuracy, predictions } = evaluateImageClassifier(model, split, preprocessing, { batchSize: 40 });
  assert.equal(predictions.length, count);
  assert.ok(accuracy > 0.8 && accuracy > chance + 0.3, `accuracy ${accuracy} (before training ${chance})`);
  assert.equal(tf.memory().numTensors, before);
  const image = tf.randomNormal([1, 8, 8, 1]) as tf.Tensor4D;
  const maps = patchAttention(model, image);
  image.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual([maps.rows, maps.cols, maps.layers.length], [2, 2, 2]);
  const total = maps.rollout.flat().reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(total - 1) < 1e-5);
  for (const layer of maps.layers) assert.ok(layer.flat().every((v) => v >= 0) && layer.flat().reduce((s, v) => s + v, 0) <= 1 + 1e-5);
  model.dispose();
});
