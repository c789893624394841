// BERT checkpoints in Hugging Face's layout: save → load is exact, Linear weights are stored [out, in], Hugging
// Face's own variants load (extra buffers, tied decoder, NSP head, gamma/beta names, a bare `BertModel`), missing
// or misshapen tensors are named, a failed or repeated save never leaves a half-written folder, nothing leaks.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { bertConfig, configFromHf, type BertModel } from "../../lib/model";
import { bertStateDict, loadBertCheckpoint, readSafetensors, saveBertCheckpoint, writeSafetensors, type CheckpointReport, type SafetensorsInput } from "../../lib/checkpoint";
import { randomBert } from "./random-model";

const config = bertConfig("tiny", { vocabSize: 40, hiddenSize: 16, numHeads: 2, intermediateSize: 24, maxPositions: 12, numLayers: 2 });

before(async () => {
  await initBackend({ backend: "wasm" });
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "ckpt-"));
}

function assertSameParams(a: BertModel, b: BertModel, names = [...a.params.keys()]): void {
  for (const name of names) {
    const x = a.params.get(name);
    const y = b.params.get(name);
    assert.ok(x && y, name);
    assert.deepEqual(y.shape, x.shape, name);
    assert.deepEqual(y.dataSync(), x.dataSync(), name);
  }
}

/** Writes `config.json` + `model.safetensors` from a hand-built state dict (the way another tool would). */
function writeHfFolder(dir: string, state: Map<string, SafetensorsInput>, extraConfig: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ model_type: "bert", vocab_size: 40, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, max_position_embeddings: 12, ...extraConfig }));
  writeSafetensors(join(dir, "model.safetensors"), state, { metadata: { format: "pt" } });
}

test("save then load gives the same config and bit-identical parameters", () => {
  const dir = tempDir();
  const model = randomBert(config, 1);
  try {
    saveBertCheckpoint(join(dir, "ckpt"), model, { extraConfig: { course: { step: 7 } } });
    assert.deepEqual(readdirSync(dir), ["ckpt"]); // the temp folder was renamed, none left behind
    const json = JSON.parse(readFileSync(join(dir, "ckpt", "config.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual(json["course"], { step: 7 });
    assert.deepEqual(configFromHf(json), config);
    const loaded = loadBertCheckpoint(join(dir, "ckpt"));
    assert.deepEqual(loaded.config, config);
    assertSameParams(model, loaded);
    loaded.dispose();
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("model.safetensors holds PyTorch's layout: Linear weights [out, in], embeddings as they are, no tied decoder", () => {
  const dir = tempDir();
  const model = randomBert(config, 2);
  try {
    saveBertCheckpoint(dir + "/c", model);
    const file = readSafetensors(join(dir, "c", "model.safetensors"));
    assert.equal(file.metadata["format"], "pt");
    assert.deepEqual([...file.tensors.keys()].sort(), [...model.params.keys()].sort());
    const ours = model.params.get("bert.encoder.layer.1.intermediate.dense.weight") as tf.Variable; // [H, I]
    const stored = file.tensors.get("bert.encoder.layer.1.intermediate.dense.weight");
    assert.deepEqual(stored?.shape, [24, 16]); // [I, H]
    const transposed = tf.tidy(() => ours.transpose().dataSync());
    assert.deepEqual(stored?.data, transposed);
    assert.deepEqual(file.tensors.get("bert.embeddings.word_embeddings.weight")?.shape, [40, 16]);
    assert.deepEqual(file.tensors.get("bert.embeddings.word_embeddings.weight")?.data, model.params.get("bert.embeddings.word_embeddings.weight")?.dataSync());
    assert.ok(!file.tensors.has("cls.predictions.decoder.weight"));
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loads Hugging Face's variants: position_ids buffer, tied decoder, NSP head, LayerNorm gamma/beta", () => {
  const dir = tempDir();
  const model = randomBert(config, 3);
  try {
    const state = new Map<string, SafetensorsInput>();
    for (const [name, tensor] of bertStateDict(model)) state.set(name.replace(/LayerNorm\.weight$/, "LayerNorm.gamma").replace(/LayerNorm\.bias$/, "LayerNorm.beta"), tensor);
    const bias = state.get("cls.predictions.bias") as SafetensorsInput;
    state.delete("cls.predictions.bias"); // older files keep only the decoder's copy
    state.set("cls.predictions.decoder.bias", bias);
    state.set("cls.predictions.decoder.weight", state.get("bert.embeddings.word_embeddings.weight") as SafetensorsInput);
    state.set("bert.embeddings.position_ids", { dtype: "I64", shape: [1, 12], data: Array.from({ length: 12 }, (_, i) => i) });
    state.set("cls.seq_relationship.weight", { dtype: "F32", shape: [2, 16], data: new Float32Array(32) });
    state.set("cls.seq_relationship.bias", { dtype: "F32", shape: [2], data: [0, 0] });
    writeHfFolder(dir, state, { architectures: ["BertForPreTraining"] });
    const reports: CheckpointReport[] = [];
    const loaded = loadBertCheckpoint(dir, { onReport: (r) => reports.push(r) });
    assertSameParams(model, loaded);
    assert.deepEqual(reports[0]?.initialized, []);
    assert.deepEqual(reports[0]?.unused.sort(), ["bert.embeddings.position_ids", "cls.predictions.decoder.weight", "cls.seq_relationship.bias", "cls.seq_relationship.weight"]);
    loaded.dispose();
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loads a bare BertModel (no `bert.` prefix, no MLM head) and reports the heads it initialised", () => {
  const dir = tempDir();
  const model = randomBert(config, 4);
  try {
    const state = new Map<string, SafetensorsInput>();
    for (const [name, tensor] of bertStateDict(model)) if (name.startsWith("bert.")) state.set(name.slice("bert.".length), tensor);
    writeHfFolder(dir, state);
    const reports: CheckpointReport[] = [];
    const loaded = loadBertCheckpoint(dir, { onReport: (r) => reports.push(r) });
    assertSameParams(model, loaded, [...model.params.keys()].filter((n) => n.startsWith("bert.")));
    assert.deepEqual(reports[0]?.initialized, ["cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias"]);
    loaded.dispose();
    assert.throws(() => loadBertCheckpoint(dir, { missingHeads: "error" }), /missing 5 parameter\(s\).*cls\.predictions\.transform\.dense\.weight/);
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("names missing encoder tensors, wrong shapes, missing files and untied decoders", () => {
  const dir = tempDir();
  const model = randomBert(config, 5);
  try {
    const state = bertStateDict(model);
    state.delete("bert.encoder.layer.1.output.dense.bias");
    state.delete("bert.embeddings.LayerNorm.weight");
    writeHfFolder(join(dir, "missing"), state);
    assert.throws(() => loadBertCheckpoint(join(dir, "missing")), /model\.safetensors: missing 2 parameter\(s\) the config needs: bert\.embeddings\.LayerNorm\.weight, bert\.encoder\.layer\.1\.output\.dense\.bias/);

    const wrong = bertStateDict(model);
    const w = wrong.get("bert.encoder.layer.0.intermediate.dense.weight") as SafetensorsInput;
    wrong.set("bert.encoder.layer.0.intermediate.dense.weight", { ...w, shape: [16, 24] }); // [in, out]: not transposed
    writeHfFolder(join(dir, "wrong"), wrong);
    assert.throws(() => loadBertCheckpoint(join(dir, "wrong")), /model\.safetensors: tensor "bert\.encoder\.layer\.0\.intermediate\.dense\.weight" has shape \[16, 24\] but config\.json needs \[24, 16\]/);

    writeHfFolder(join(dir, "untied"), bertStateDict(model), { tie_word_embeddings: false });
    assert.throws(() => loadBertCheckpoint(join(dir, "untied")), /tie_word_embeddings is false/);

    mkdirSync(join(dir, "empty"));
    assert.throws(() => loadBertCheckpoint(join(dir, "empty")), /empty: no config\.json/);
    writeFileSync(join(dir, "empty", "config.json"), readFileSync(join(dir, "untied", "config.json"), "utf8").replace('"tie_word_embeddings":false', '"tie_word_embeddings":true'));
    assert.throws(() => loadBertCheckpoint(join(dir, "empty")), /empty: no model\.safetensors/);
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("copies the tokenizer files and refuses a vocabulary larger than the model's", () => {
  const dir = tempDir();
  const model = randomBert(config, 6);
  try {
    const tok = join(dir, "tok");
    mkdirSync(tok);
    const vocab = Array.from({ length: 40 }, (_, i) => (i < 5 ? ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"][i] : `w${i}`));
    writeFileSync(join(tok, "vocab.txt"), vocab.join("\n") + "\n");
    writeFileSync(join(tok, "tokenizer_config.json"), "{}");
    saveBertCheckpoint(join(dir, "ckpt"), model, { tokenizerDir: tok });
    assert.deepEqual(readdirSync(join(dir, "ckpt")).sort(), ["config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"]);

    writeFileSync(join(tok, "vocab.txt"), [...vocab, "extra"].join("\n") + "\n");
    assert.throws(() => saveBertCheckpoint(join(dir, "other"), model, { tokenizerDir: tok }), /41 tokens but the model's vocabSize is 40/);
    assert.ok(!existsSync(join(dir, "other")));
    assert.throws(() => saveBertCheckpoint(join(dir, "other"), model, { tokenizerDir: join(dir, "ckpt", "nothing") }), /no tokenizer\.json or vocab\.txt/);
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("saving over an existing checkpoint replaces its files and keeps the others", () => {
  const dir = tempDir();
  const first = randomBert(config, 7);
  const second = randomBert(config, 8);
  try {
    saveBertCheckpoint(dir, first);
    writeFileSync(join(dir, "trainer_state.json"), "{}");
    saveBertCheckpoint(dir, second);
    assert.deepEqual(readdirSync(dir).sort(), ["config.json", "model.safetensors", "trainer_state.json"]);
    const loaded = loadBertCheckpoint(dir);
    assertSameParams(second, loaded);
    loaded.dispose();
  } finally {
    first.dispose();
    second.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("save and load leak no tensors", () => {
  const dir = tempDir();
  const model = randomBert(config, 9);
  try {
    const before = tf.memory().numTensors;
    saveBertCheckpoint(join(dir, "c"), model);
    const loaded = loadBertCheckpoint(join(dir, "c"));
    assert.equal(tf.memory().numTensors, before + loaded.params.size);
    loaded.dispose();
    assert.equal(tf.memory().numTensors, before);
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
