// lib/peft/files.ts: peft's adapter folder (config fields, key names, layouts), save → load → same logits with the
// head restored, several adapters on one base switched per request, the merged Hugging Face checkpoint.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { readSafetensors } from "../../lib/checkpoint";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { exportBertOnnx, loadExportSource, onnxBatch, openOnnx } from "../../lib/export";
import { Lora, PeftModel, createPeftModel, loadAdapterInto, loadPeftModel, saveAdapter, saveMergedCheckpoint } from "../../lib/peft";
import { loadTaskCheckpoint, withHead } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";
import { examples, logitsOf, maxAbsDiff, perturb, quietConfig, randomPeft, saveRandomBase } from "./helpers";

let work: string;
before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-peft-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

const batch = examples(5);

/** A trained-looking LoRA model on `randomBert(quietConfig(), seed)`. */
function trainedLora(seed: number, numLabels = 3): PeftModel {
  const model = randomPeft(seed, (c) => new Lora(c, { r: 4, alpha: 8 }, new Rng(seed)), { numLabels });
  perturb(model.adapter().method.params, seed + 100);
  return model;
}

test("saveAdapter writes peft's adapter_config.json and key names: no adapter name, lora_A [r, in], lora_B [out, r], the head as classifier.*", () => {
  const model = trainedLora(1);
  try {
    const dir = join(work, "a1");
    const bytes = saveAdapter(dir, model, { baseModelNameOrPath: "some/base", labels: ["neg", "neu", "pos"] });
    assert.deepEqual(readdirSync(dir).sort(), ["adapter_config.json", "adapter_model.safetensors", "labels.json"]);
    const config = JSON.parse(readFileSync(join(dir, "adapter_config.json"), "utf8"));
    assert.equal(config.peft_type, "LORA");
    assert.equal(config.task_type, "SEQ_CLS");
    assert.equal(config.r, 4);
    assert.equal(config.lora_alpha, 8);
    assert.deepEqual(config.target_modules, ["query", "value"]);
    assert.deepEqual(config.modules_to_save, ["classifier"]);
    assert.equal(config.base_model_name_or_path, "some/base");
    const file = readSafetensors(join(dir, "adapter_model.safetensors"));
    assert.equal(file.metadata["format"], "pt");
    const shapes = Object.fromEntries([...file.tensors].map(([k, t]) => [k, t.shape]));
    assert.deepEqual(shapes["base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"], [4, 16]);
    assert.deepEqual(shapes["base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight"], [16, 4]);
    assert.deepEqual(shapes["base_model.model.classifier.weight"], [3, 16]);
    assert.deepEqual(shapes["base_model.model.classifier.bias"], [3]);
    assert.equal(Object.keys(shapes).length, 2 * 2 * 2 + 2);
    assert.ok(Object.keys(shapes).every((k) => !k.includes("default") && k.startsWith("base_model.model.")));
    assert.ok(bytes > 4 * (8 * 4 * 16 + 3 * 16));
  } finally {
    model.dispose();
  }
});

test("save → load over the same base gives the same logits, the classifier head restored", async () => {
  const baseDir = join(work, "base");
  saveRandomBase(baseDir, 11);
  const bert = randomBert(quietConfig(), 11); // the same base weights, in memory
  const model = createPeftModel(withHead("sequence", bert, 3, new Rng(4)), (c) => new Lora(c, { r: 4 }, new Rng(2)));
  try {
    perturb(model.params, 7);
    const expected = logitsOf(model, batch);
    const dir = join(work, "a2");
    saveAdapter(dir, model, { baseModelNameOrPath: baseDir, labels: ["a", "b", "c"] });
    const loaded = await loadPeftModel(dir);
    try {
      assert.deepEqual(loaded.labels, ["a", "b", "c"]);
      assert.ok(maxAbsDiff(logitsOf(loaded.model, batch), expected) < 1e-6);
      assert.deepEqual(Array.from((loaded.model.head.get("classifier.bias") as tf.Variable).dataSync()), Array.from((model.head.get("classifier.bias") as tf.Variable).dataSync()));
    } finally {
      loaded.model.dispose();
    }
    // A base path that does not resolve: a clear error, and --base fixes it.
    const moved = JSON.parse(readFileSync(join(dir, "adapter_config.json"), "utf8"));
    moved.base_model_name_or_path = join(work, "nowhere");
    writeFileSync(join(dir, "adapter_config.json"), JSON.stringify(moved));
    await assert.rejects(loadPeftModel(dir), /not a checkpoint folder here; pass the base \(--base DIR\)/);
    const again = await loadPeftModel(dir, { base: baseDir });
    assert.ok(maxAbsDiff(logitsOf(again.model, batch), expected) < 1e-6);
    again.model.dispose();
  } finally {
    model.dispose();
  }
});

test("several adapters on one base (different methods' targets, different label sets), switched per request, each give their own model's logits", () => {
  const first = trainedLora(21);
  const second = randomPeft(21, (c) => new Lora(c, { r: 2, targetModules: ["key", "dense"] }, new Rng(3)), { numLabels: 2 });
  try {
    perturb(second.params, 8);
    saveAdapter(join(work, "one"), first);
    saveAdapter(join(work, "two"), second);
    const want1 = logitsOf(first, batch);
    const want2 = logitsOf(second, batch);
    const shared = new PeftModel(randomBert(quietConfig(), 21), "sequence");
    try {
      loadAdapterInto(shared, join(work, "one"), "one");
      loadAdapterInto(shared, join(work, "two"), "two");
      assert.deepEqual(shared.adapterNames, ["one", "two"]);
      const per = (adapter: string) => logitsOf({ logits: (inputs) => shared.logits(inputs, { adapter }) }, batch);
      assert.ok(maxAbsDiff(per("one"), want1) < 1e-6);
      assert.ok(maxAbsDiff(per("two"), want2) < 1e-6);
      assert.equal(want2.length, 5 * 2, "the second adapter's own 2-class head");
      assert.equal(shared.numLabels, 2, "the active adapter's classes");
      shared.setAdapter("one");
      assert.equal(shared.numLabels, 3);
      assert.ok(maxAbsDiff(logitsOf(shared, batch), want1) < 1e-6);
      assert.throws(() => shared.setAdapter("three"), /no adapter "three" \(have: one, two\)/);
      assert.throws(() => loadAdapterInto(shared, join(work, "one"), "one"), /already exists/);
    } finally {
      shared.dispose();
    }
  } finally {
    first.dispose();
    second.dispose();
  }
});

test("the merged checkpoint is a plain BertForSequenceClassification with the adapted logits (1e-5); its ONNX export agrees (1e-4)", async () => {
  const model = trainedLora(31);
  try {
    const expected = logitsOf(model, batch);
    const dir = join(work, "merged");
    saveMergedCheckpoint(dir, model, { labels: ["x", "y", "z"] });
    assert.ok(maxAbsDiff(logitsOf(model, batch), expected) < 1e-7, "the base is restored");
    const { model: plain, labels } = loadTaskCheckpoint(dir);
    try {
      assert.deepEqual(labels, ["x", "y", "z"]);
      assert.ok(maxAbsDiff(logitsOf(plain, batch), expected) < 1e-5);
    } finally {
      plain.dispose();
    }
    const source = loadExportSource(dir);
    try {
      assert.equal(source.task, "text-classification");
      exportBertOnnx(source.model, join(work, "merged-onnx"), {});
    } finally {
      source.model.dispose();
    }
    const ids = [[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]];
    const mask = ids.map((r) => r.map((v, i) => (i === 0 || v !== 0 ? 1 : 0)));
    const types = ids.map((r) => r.map(() => 0));
    const runner = await openOnnx(join(work, "merged-onnx", "onnx", "model.onnx"));
    const got = await runner.run(onnxBatch(ids, mask, types));
    await runner.release();
    const want = tf.tidy(() => model.logits({ inputIds: tf.tensor2d(ids, undefined, "int32"), attentionMask: tf.tensor2d(mask, undefined, "int32"), tokenTypeIds: tf.tensor2d(types, undefined, "int32") }).dataSync());
    assert.ok(maxAbsDiff(got.data, want) < 1e-4, `onnx vs adapted: ${maxAbsDiff(got.data, want)}`);
  } finally {
    model.dispose();
  }
});

test("loading refuses a misshapen tensor, an unknown method or a missing folder, naming the file", () => {
  const model = trainedLora(41);
  try {
    const dir = join(work, "broken");
    saveAdapter(dir, model);
    const shared = new PeftModel(randomBert(quietConfig(), 41), "sequence");
    try {
      const config = JSON.parse(readFileSync(join(dir, "adapter_config.json"), "utf8"));
      writeFileSync(join(dir, "adapter_config.json"), JSON.stringify({ ...config, r: 5 }));
      assert.throws(() => loadAdapterInto(shared, dir, "y"), /adapter_model\.safetensors: .*lora_A\.weight has shape \[4,16\] but this config needs \[5,16\]/);
      writeFileSync(join(dir, "adapter_config.json"), JSON.stringify({ ...config, peft_type: "LOHA" }));
      assert.throws(() => loadAdapterInto(shared, dir, "z"), /peft_type "LOHA" is not one of/);
      assert.deepEqual(shared.adapterNames, []);
    } finally {
      shared.dispose();
    }
    assert.ok(!existsSync(join(work, "nothing")));
    assert.throws(() => loadAdapterInto(model, join(work, "nothing"), "n"), /no adapter_config\.json/);
  } finally {
    model.dispose();
  }
});
