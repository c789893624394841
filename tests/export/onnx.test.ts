import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import type { BertModel } from "../../lib/model";
import type { TaskModel } from "../../lib/tasks";
import { buildBertOnnx, decodeOnnxModel, exportBertOnnx, loadExportSource, onnxBatch, openOnnx, quantizeInt8, dequantizeInt8, quantizeWeightsInt8, transformersJsLocation } from "../../lib/export";
import { randomBert } from "../checkpoint/random-model";
import { maxAbsDiff, randomTaskModel, saveTaskCheckpoint, softmax, tinyConfig, tinyTokenizer } from "./helpers";

const TEXTS = ["the film was good .", "paris is in france , a great warm film", "bad"];
let work: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-export-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The texts as one batch padded to the longest (the last row is mostly [PAD]). */
function paddedBatch(texts: readonly string[] = TEXTS) {
  const enc = tinyTokenizer().encodeBatch(texts, { padding: "longest" });
  return { ids: enc.map((e) => e.inputIds), mask: enc.map((e) => e.attentionMask), types: enc.map((e) => e.tokenTypeIds) };
}

/** tfjs logits of the model on the padded batch (no tensors left behind). */
function tfjsLogits(model: BertModel | TaskModel, b = paddedBatch()): Float32Array {
  return tf.tidy(() => {
    const inputs = { inputIds: tf.tensor2d(b.ids, undefined, "int32"), attentionMask: tf.tensor2d(b.mask, undefined, "int32"), tokenTypeIds: tf.tensor2d(b.types, undefined, "int32") };
    if ("kind" in model) return model.logits(inputs).dataSync() as Float32Array;
    return model.mlmLogits(model.encode(inputs).hidden).dataSync() as Float32Array;
  });
}

async function onnxLogits(path: string, b = paddedBatch()): Promise<{ data: Float32Array; dims: number[] }> {
  const runner = await openOnnx(path);
  try {
    return await runner.run(onnxBatch(b.ids, b.mask, b.types));
  } finally {
    await runner.release();
  }
}

// transformers.js is ESM-only: dynamic import; its outputs are untyped, hence the `any`s.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function transformersPipeline(task: string, dir: string, quantized: boolean): Promise<any> {
  const transformers = await import("@xenova/transformers");
  const { parent, name } = transformersJsLocation(dir);
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = parent;
  return transformers.pipeline(task as "fill-mask", name, { quantized });
}

test("fill-mask: onnxruntime's logits equal the tfjs model's within 1e-4 on a padded batch (opset 14 and 17)", async () => {
  const bert = randomBert(tinyConfig(), 1);
  try {
    const expected = tfjsLogits(bert);
    for (const opset of [14, 17]) {
      const dir = join(work, `mlm-${opset}`);
      const report = exportBertOnnx(bert, dir, { tokenizer: tinyTokenizer(), opset });
      const got = await onnxLogits(join(dir, "onnx", "model.onnx"));
      assert.deepEqual(got.dims, [3, paddedBatch().ids[0]!.length, tinyConfig().vocabSize]);
      const diff = maxAbsDiff(got.data, expected);
      assert.ok(diff < 1e-4, `opset ${opset}: max |Δlogits| ${diff}`);
      assert.equal(report.ops["LayerNormalization"] !== undefined, opset >= 17, "LayerNormalization op only from opset 17");
    }
  } finally {
    bert.dispose();
  }
});

test("text- and token-classification: onnxruntime's logits equal the tfjs TaskModel's within 1e-4", async () => {
  for (const kind of ["sequence", "token"] as const) {
    const model = randomTaskModel(kind, 3, 2);
    try {
      const dir = join(work, `cls-${kind}`);
      exportBertOnnx(model, dir, { tokenizer: tinyTokenizer(), labels: ["neg", "neu", "pos"] });
      const got = await onnxLogits(join(dir, "onnx", "model.onnx"));
      const t = paddedBatch().ids[0]!.length;
      assert.deepEqual(got.dims, kind === "sequence" ? [3, 3] : [3, t, 3]);
      const diff = maxAbsDiff(got.data, tfjsLogits(model));
      assert.ok(diff < 1e-4, `${kind}: max |Δlogits| ${diff}`);
      const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
      assert.deepEqual(config["id2label"], { "0": "neg", "1": "neu", "2": "pos" });
      assert.deepEqual(config["label2id"], { neg: 0, neu: 1, pos: 2 });
    } finally {
      model.dispose();
    }
  }
});

test("a different model's weights do not pass the parity check (the test can fail)", async () => {
  const a = randomBert(tinyConfig(), 3);
  const b = randomBert(tinyConfig(), 4);
  try {
    const dir = join(work, "other");
    exportBertOnnx(b, dir, {});
    const diff = maxAbsDiff((await onnxLogits(join(dir, "onnx", "model.onnx"))).data, tfjsLogits(a));
    assert.ok(diff > 1e-2, `two random models agree to ${diff}?`);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("transformers.js pipeline('fill-mask') runs the export offline; scores = softmax of our logits (1e-4)", async () => {
  const bert = randomBert(tinyConfig(), 5);
  try {
    const dir = join(work, "tjs-fill-mask");
    exportBertOnnx(bert, dir, { tokenizer: tinyTokenizer() });
    const fill = await transformersPipeline("fill-mask", dir, false);
    const text = "paris is in [MASK] .";
    const out = (await fill(text, { topk: tinyConfig().vocabSize })) as { score: number; token: number }[];
    const enc = tinyTokenizer().encode(text);
    const at = enc.inputIds.indexOf(4);
    const logits = tfjsLogits(bert, { ids: [enc.inputIds], mask: [enc.attentionMask], types: [enc.tokenTypeIds] });
    const V = tinyConfig().vocabSize;
    const probs = softmax(logits.subarray(at * V, (at + 1) * V));
    assert.equal(out.length, V);
    for (const { score, token } of out) assert.ok(Math.abs(score - probs[token]!) < 1e-4, `token ${token}: ${score} vs ${probs[token]}`);
  } finally {
    bert.dispose();
  }
});

test("transformers.js pipeline('text-classification') reads id2label; scores = softmax of our logits (1e-4)", async () => {
  const model = randomTaskModel("sequence", 3, 6);
  try {
    const dir = join(work, "tjs-text-classification");
    const labels = ["negative", "neutral", "positive"];
    exportBertOnnx(model, dir, { tokenizer: tinyTokenizer(), labels });
    const classify = await transformersPipeline("text-classification", dir, false);
    for (const text of TEXTS) {
      const out = (await classify(text, { topk: 3 })) as { label: string; score: number }[];
      const enc = tinyTokenizer().encode(text);
      const probs = softmax(tfjsLogits(model, { ids: [enc.inputIds], mask: [enc.attentionMask], types: [enc.tokenTypeIds] }));
      assert.equal(out.length, 3);
      for (const { label, score } of out) assert.ok(Math.abs(score - probs[labels.indexOf(label)]!) < 1e-4, `${text} / ${label}: ${score} vs ${probs[labels.indexOf(label)]}`);
    }
    // All texts in one call: transformers.js pads them into one batch; padding must not change any score.
    const batched = (await classify(TEXTS, { topk: 3 })) as { label: string; score: number }[][];
    const padded = softmax(tfjsLogits(model).subarray(0, 3));
    for (const { label, score } of batched[0]!) assert.ok(Math.abs(score - padded[labels.indexOf(label)]!) < 1e-4, `batched ${label}`);
    assert.equal(batched.length, TEXTS.length);
  } finally {
    model.dispose();
  }
});

test("transformers.js pipeline('token-classification') scores each token as softmax of our logits (1e-4)", async () => {
  const model = randomTaskModel("token", 3, 7);
  try {
    const dir = join(work, "tjs-token-classification");
    // No "O" label: the pipeline drops tokens tagged O, and we want every token back.
    const labels = ["B-LOC", "I-LOC", "B-PER"];
    exportBertOnnx(model, dir, { tokenizer: tinyTokenizer(), labels });
    const tag = await transformersPipeline("token-classification", dir, false);
    const text = "maria lives in oslo , paris is in france";
    const out = (await tag(text)) as { entity: string; score: number; index: number; word: string }[];
    const enc = tinyTokenizer().encode(text);
    const logits = tfjsLogits(model, { ids: [enc.inputIds], mask: [enc.attentionMask], types: [enc.tokenTypeIds] });
    assert.equal(out.length, enc.inputIds.length - 2, "every token but [CLS] and [SEP]");
    for (const { entity, score, index } of out) {
      const probs = softmax(logits.subarray(index * 3, index * 3 + 3));
      const best = probs.indexOf(Math.max(...probs));
      assert.equal(entity, labels[best]);
      assert.ok(Math.abs(score - probs[best]!) < 1e-4, `token ${index}: ${score} vs ${probs[best]}`);
    }
  } finally {
    model.dispose();
  }
});

test("int8: model_quantized.onnx uses DynamicQuantizeLinear + MatMulInteger, is smaller, and stays close to fp32", async () => {
  const bert = randomBert(tinyConfig({ hiddenSize: 64, intermediateSize: 128, numHeads: 2 }), 8);
  try {
    const dir = join(work, "int8");
    const report = exportBertOnnx(bert, dir, { tokenizer: tinyTokenizer(), quantize: "int8" });
    const model = decodeOnnxModel(readFileSync(join(dir, "onnx", "model_quantized.onnx")));
    const ops = model.graph!.node!.map((n) => n.opType);
    const initializers = new Set(model.graph!.initializer!.map((t) => t.name));
    assert.equal(ops.filter((o) => o === "MatMulInteger").length, 2 * 6 + 1 + 1, "6 Linears per layer + MLM transform + tied decoder");
    assert.ok(ops.includes("DynamicQuantizeLinear"));
    for (const n of model.graph!.node!.filter((n) => n.opType === "MatMul")) assert.ok(!n.input!.some((i) => initializers.has(i)), "no float MatMul against a weight is left");
    const ratio = report.files["onnx/model.onnx"]! / report.files["onnx/model_quantized.onnx"]!;
    // Tiny model: graph bytes (node names) and the fp32 position table weigh more than at BERT-Mini size (≈ 3.9×).
    assert.ok(ratio > 2.5, `size ratio ${ratio}`);
    const fp32 = await onnxLogits(join(dir, "onnx", "model.onnx"));
    const q = await onnxLogits(join(dir, "onnx", "model_quantized.onnx"));
    const diff = maxAbsDiff(q.data, fp32.data);
    const scale = Math.max(...Array.from(fp32.data, Math.abs));
    assert.ok(diff > 0 && diff < 0.05 * scale, `int8 max |Δlogits| ${diff} (logits up to ${scale})`);
  } finally {
    bert.dispose();
  }
});

test("transformers.js loads model_quantized.onnx by default (quantized: true)", async () => {
  const model = randomTaskModel("sequence", 2, 9);
  try {
    const dir = join(work, "tjs-int8");
    exportBertOnnx(model, dir, { tokenizer: tinyTokenizer(), quantize: "int8" });
    const classify = await transformersPipeline("text-classification", dir, true);
    const out = (await classify(TEXTS[0], { topk: 2 })) as { score: number }[];
    assert.ok(Math.abs(out[0]!.score + out[1]!.score - 1) < 1e-5);
  } finally {
    model.dispose();
  }
});

test("int8 per column reproduces each weight within half a step, and keeps all-zero columns", () => {
  const data = Float32Array.from([0.5, 0, -1, 0.25, 0, 2, -0.125, 0, 0.75]); // [3, 3], column 1 all zero
  const q = quantizeInt8(data, 3, 3, 1);
  assert.deepEqual(Array.from(q.scales), [0.5 / 127, 1, 2 / 127].map(Math.fround));
  const back = dequantizeInt8(q, 3, 3, 1);
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(back[i]! - data[i]!) <= q.scales[i % 3]! / 2 + 1e-7);
  assert.equal(q.q[5], 127, "the largest |w| of a column maps to ±127");
  assert.equal(q.q[2], -64);
});

test("quantizeWeightsInt8: ~4x fewer bytes, logits close to fp32, no tensor leaked", () => {
  const bert = randomBert(tinyConfig({ hiddenSize: 64, intermediateSize: 128 }), 10);
  const before = tf.memory().numTensors;
  const { model, bytes, fp32Bytes, maxWeightError } = quantizeWeightsInt8(bert);
  try {
    assert.ok(fp32Bytes / bytes > 3, `ratio ${fp32Bytes / bytes}`);
    assert.ok(maxWeightError > 0 && maxWeightError < 0.01);
    const diff = maxAbsDiff(tfjsLogits(model), tfjsLogits(bert));
    assert.ok(diff > 0 && diff < 0.05, `max |Δlogits| ${diff}`);
  } finally {
    model.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
  bert.dispose();
});

test("exportBertOnnx writes the transformers.js layout atomically, replaces an old export, leaks nothing", () => {
  const bert = randomBert(tinyConfig(), 11);
  try {
    const dir = join(work, "layout");
    const before = tf.memory().numTensors;
    exportBertOnnx(bert, dir, { tokenizer: tinyTokenizer(), quantize: "int8" });
    exportBertOnnx(bert, dir, { tokenizer: tinyTokenizer() });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(readdirSync(dir).sort(), ["config.json", "onnx", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"]);
    assert.deepEqual(readdirSync(join(dir, "onnx")), ["model.onnx"], "the second export replaced the first whole");
    assert.ok(!readdirSync(work).some((f) => f.includes(".tmp-") || f.includes(".old-")), "no temp folder left");
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual(config["architectures"], ["BertForMaskedLM"]);
    assert.ok(statSync(join(dir, "onnx", "model.onnx")).size > bert.numParams() * 4);
  } finally {
    bert.dispose();
  }
});

test("classification without a head, or labels of the wrong count, fail naming the way out", () => {
  const bert = randomBert(tinyConfig(), 12);
  const model = randomTaskModel("sequence", 2, 13);
  try {
    assert.throws(() => exportBertOnnx(bert, join(work, "x"), { task: "text-classification" }), /needs a sequence-classification TaskModel/);
    assert.throws(() => exportBertOnnx(model, join(work, "y"), { labels: ["a", "b", "c"] }), /3 labels given for a head with 2 classes/);
    assert.throws(() => buildBertOnnx({ bert }, { task: "fill-mask", opset: 11 }), /supported are 13–18/);
    assert.ok(!existsSync(join(work, "x")) && !existsSync(join(work, "y")));
  } finally {
    bert.dispose();
    model.dispose();
  }
});

test("loadExportSource reads a Hugging Face classification folder ([C, H] classifier, id2label) back to the same logits", () => {
  const model = randomTaskModel("sequence", 3, 14);
  try {
    const dir = join(work, "hf-sequence");
    saveTaskCheckpoint(dir, model, ["a", "b", "c"]);
    const before = tf.memory().numTensors;
    const loaded = loadExportSource(dir);
    assert.equal(loaded.task, "text-classification");
    assert.deepEqual(loaded.labels, ["a", "b", "c"]);
    assert.equal(loaded.tokenizerDir, dir);
    assert.ok(maxAbsDiff(tfjsLogits(loaded.model), tfjsLogits(model)) < 1e-6);
    loaded.model.dispose();
    assert.equal(tf.memory().numTensors, before, "disposing the loaded model frees everything it made");
  } finally {
    model.dispose();
  }
});
