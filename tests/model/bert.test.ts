import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel, bertConfig, configFromHf, configToHf, parameterShapes, generate, pickToken, trainingFlopsPerToken, mfu } from "../../lib/model";
import { AdamW, valueAndGrads } from "../../lib/train";
import { maskBatch, mlmLoss, mlmTensors, evaluateMlm } from "../../lib/pretrain";

const config = bertConfig("tiny", { vocabSize: 50, hiddenSize: 32, numHeads: 2, intermediateSize: 64, maxPositions: 16 });

before(async () => {
  await initBackend({ backend: "wasm" });
});

test("encoder output is [B, T, H]; MLM logits [B, T, V]; pooled [B, H]", () => {
  const model = BertModel.init(config, new Rng(1));
  const shapes = tf.tidy(() => {
    const { hidden, attentions } = model.encode({ inputIds: tf.tensor2d([[2, 7, 9, 3], [2, 8, 3, 0]], [2, 4], "int32"), attentionMask: tf.tensor2d([[1, 1, 1, 1], [1, 1, 1, 0]], [2, 4], "int32") }, { outputAttentions: true });
    return [hidden.shape, model.mlmLogits(hidden).shape, model.pool(hidden).shape, attentions.length, attentions[0]?.shape];
  });
  assert.deepEqual(shapes, [[2, 4, 32], [2, 4, 50], [2, 32], 2, [2, 2, 4, 4]]);
  model.dispose();
});

test("parameters have Hugging Face's names and the tiny preset's count", () => {
  const shapes = parameterShapes(bertConfig("tiny"));
  assert.deepEqual(shapes.get("bert.encoder.layer.1.attention.self.query.weight"), [128, 128]);
  assert.deepEqual(shapes.get("cls.predictions.bias"), [30522]);
  const total = [...shapes.values()].reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  // Closed form: embeddings (V+P+S)·H + 2H; per layer 4(H²+H) + 2H·I + I + H + 4H; pooler and MLM transform
  // H²+H each, its LayerNorm 2H; the decoder is tied, its bias V.
  const [V, H, I, P, S, L] = [30522, 128, 512, 512, 2, 2];
  const expected = (V + P + S) * H + 2 * H + L * (4 * (H * H + H) + 2 * H * I + I + H + 4 * H) + 2 * (H * H + H) + 2 * H + V;
  assert.equal(total, expected);
  assert.ok(total > 4.3e6 && total < 4.5e6, "BERT-Tiny has ≈4.4 M parameters");
});

test("padding does not change the outputs at real positions", () => {
  const model = BertModel.init(config, new Rng(2));
  const [short, padded] = tf.tidy(() => [
    model.encode({ inputIds: tf.tensor2d([[2, 7, 9, 3]], [1, 4], "int32") }).hidden.arraySync(),
    model.encode({ inputIds: tf.tensor2d([[2, 7, 9, 3, 0, 0]], [1, 6], "int32"), attentionMask: tf.tensor2d([[1, 1, 1, 1, 0, 0]], [1, 6], "int32") }).hidden.arraySync(),
  ]) as [number[][][], number[][][]];
  for (let t = 0; t < 4; t++) for (let h = 0; h < 32; h++) assert.ok(Math.abs(short[0]![t]![h]! - padded[0]![t]![h]!) < 1e-4);
  model.dispose();
});

test("a causal model's outputs do not depend on later tokens", () => {
  const model = BertModel.init({ ...config, causal: true }, new Rng(3));
  const [a, b] = tf.tidy(() => [
    model.encode({ inputIds: tf.tensor2d([[5, 6, 7, 8]], [1, 4], "int32") }).hidden.arraySync(),
    model.encode({ inputIds: tf.tensor2d([[5, 6, 7, 40]], [1, 4], "int32") }).hidden.arraySync(),
  ]) as [number[][][], number[][][]];
  for (let t = 0; t < 3; t++) assert.ok(Math.abs(a[0]![t]![0]! - b[0]![t]![0]!) < 1e-5, `position ${t} changed`);
  assert.ok(Math.abs(a[0]![3]![0]! - b[0]![3]![0]!) > 1e-6, "the last position must see its own token");
  model.dispose();
});

test("one MLM training step lowers the loss on the same batch, and leaks nothing", () => {
  const rng = new Rng(4);
  const model = BertModel.init(config, rng);
  const ids = [[2, 10, 11, 12, 13, 14, 15, 3], [2, 20, 21, 22, 23, 3, 0, 0]];
  const mask = ids.map((row) => row.map((id) => (id === 0 ? 0 : 1)));
  const masked = maskBatch(ids, rng, { vocabSize: 50, maskTokenId: 4, specialIds: new Set([0, 1, 2, 3, 4]), rate: 0.3 });
  const batch = mlmTensors(masked, mask);
  const optimizer = new AdamW();
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const { value, grads } = valueAndGrads(model.params, () => mlmLoss(model, batch));
    optimizer.apply(model.params, grads, 1e-2);
    losses.push(value.dataSync()[0] as number);
    value.dispose();
    tf.dispose(grads);
  }
  const trained = [...model.params.keys()].filter((name) => !name.startsWith("bert.pooler")).length; // MLM leaves the pooler untouched
  assert.equal(tf.memory().numTensors, before + 2 * trained, "only AdamW's m and v are new");
  assert.ok(losses[2]! < losses[0]!, `losses ${losses}`);
  const metrics = evaluateMlm(model, [batch]);
  assert.equal(metrics.maskedTokens, masked.maskedLabels.length);
  assert.ok(Math.abs(metrics.perplexity - Math.exp(metrics.loss)) < 1e-9);
  optimizer.dispose();
  tf.dispose(Object.values(batch));
  model.dispose();
});

test("config survives a Hugging Face config.json round trip", () => {
  const json = JSON.parse(JSON.stringify(configToHf(config)));
  assert.equal(json.model_type, "bert");
  assert.deepEqual(json.architectures, ["BertForMaskedLM"]);
  assert.deepEqual(configFromHf(json), config);
  assert.throws(() => configFromHf({ ...json, hidden_size: 33 }, "x/config.json"), /x\/config.json: hiddenSize 33 is not divisible by numHeads 2/);
  assert.throws(() => configFromHf({ ...json, hidden_act: "relu" }), /hidden_act is "relu", which is not supported/);
});

test("pickToken: greedy, top-k and top-p keep the right candidates", () => {
  const logits = [0, 3, 1, 2];
  assert.equal(pickToken(logits), 1);
  assert.equal(pickToken(logits, { bannedIds: [1] }), 3);
  const rng = new Rng(5);
  const topK = new Set(Array.from({ length: 200 }, () => pickToken(logits, { temperature: 1, topK: 2, rng })));
  assert.deepEqual([...topK].sort(), [1, 3]);
  // softmax([3,2,1,0]) = [.644,.237,.087,.032]: top-p 0.5 keeps only the first.
  const topP = new Set(Array.from({ length: 200 }, () => pickToken(logits, { temperature: 1, topP: 0.5, rng })));
  assert.deepEqual([...topP], [1]);
  assert.throws(() => pickToken(logits, { temperature: 1 }), /needs an rng/);
});

test("generate continues a prompt with a causal model and refuses an MLM", () => {
  const model = BertModel.init({ ...config, causal: true }, new Rng(6));
  const before = tf.memory().numTensors;
  const out = generate(model, [2, 10], { maxNewTokens: 5 });
  assert.equal(out.length, 5);
  assert.deepEqual(generate(model, [2, 10], { maxNewTokens: 5 }), out, "greedy is deterministic");
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
  const mlm = BertModel.init(config, new Rng(7));
  assert.throws(() => generate(mlm, [2]), /needs a causal model/);
  mlm.dispose();
});

test("training FLOPs per token: 6·params for the dense layers plus attention and the gathered head", () => {
  const mini = bertConfig("mini");
  // L4/H256/I1024: dense 4·(4·256² + 2·256·1024) = 3,145,728; attention at T=128: 4·4·128·256 = 524,288;
  // head at 15%: 0.15·(256² + 256·30522) = 1,181,875.2
  const expected = 6 * 3_145_728 + 3 * 524_288 + 6 * 1_181_875.2;
  assert.ok(Math.abs(trainingFlopsPerToken(mini, 128) - expected) < 1e-6);
  assert.equal(mfu(10, 1e8, 10), 0.1); // 1 GFLOP/s achieved of a 10 GFLOP/s peak
});
