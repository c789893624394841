// lib/peft/bottleneck.ts: Houlsby and Pfeiffer adapters, identity at init (W_up = 0), frozen base, files; Houlsby's
// trained LayerNorms (copies of the base's, used instead of them, saved with the adapter).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { Bottleneck, loadAdapterInto, PeftModel, saveAdapter } from "../../lib/peft";
import { finetune } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";
import { examples, logitsOf, maxAbsDiff, methodContract, perturb, quietConfig, randomPeft } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

methodContract("Houlsby adapters", (c, base) => new Bottleneck(c, { reductionFactor: 4 }, new Rng(1), base), { identityAtInit: true });
methodContract("Houlsby adapters, LayerNorms frozen", (c) => new Bottleneck(c, { reductionFactor: 4, trainLayerNorm: false }, new Rng(1)), { identityAtInit: true });
methodContract("Pfeiffer adapters", (c) => new Bottleneck(c, { placement: "pfeiffer", reductionFactor: 4 }, new Rng(1)), { identityAtInit: true });

const LN = "bert.encoder.layer.0.attention.output.LayerNorm";

test("Houlsby places two adapters per layer, Pfeiffer one (after the FFN); m = H / reductionFactor", () => {
  const houlsby = new Bottleneck(quietConfig(), { reductionFactor: 4, trainLayerNorm: false }, new Rng(1));
  const pfeiffer = new Bottleneck(quietConfig(), { placement: "pfeiffer", reductionFactor: 4 }, new Rng(1));
  try {
    assert.equal(houlsby.size, 4);
    assert.equal(houlsby.params.size, 2 * 2 * 4);
    assert.equal(pfeiffer.trainLayerNorm, false);
    assert.equal(pfeiffer.params.size, 2 * 4);
    assert.ok([...pfeiffer.params.keys()].every((k) => !k.includes("attention")));
    assert.deepEqual(houlsby.stateDict().get("base_model.model.bert.encoder.layer.0.attention.output.adapter_down.weight")?.shape, [4, 16]);
    assert.deepEqual(houlsby.stateDict().get("base_model.model.bert.encoder.layer.1.output.adapter_up.weight")?.shape, [16, 4]);
  } finally {
    houlsby.dispose();
    pfeiffer.dispose();
  }
});

test("Houlsby trains every encoder layer's LayerNorm gain and bias by default (Houlsby et al. 2019 §2.1), starting from the base's", () => {
  const model = randomPeft(3, (c, base) => new Bottleneck(c, { reductionFactor: 4 }, new Rng(1), base));
  try {
    const method = model.adapter().method as Bottleneck;
    assert.equal(method.trainLayerNorm, true);
    // 2 layers × 2 adapters × 4 tensors, plus 2 layers × 2 LayerNorms × (gain, bias).
    assert.equal(method.params.size, 2 * 2 * 4 + 2 * 2 * 2);
    const names = [...model.params.keys()];
    for (const layer of [0, 1]) {
      for (const norm of ["attention.output", "output"]) {
        for (const part of ["weight", "bias"]) {
          const own = `bert.encoder.layer.${layer}.${norm}.adapter_layer_norm.${part}`;
          assert.ok(names.includes(own), `${own} is trainable`);
          assert.deepEqual(Array.from(method.params.get(own)!.dataSync()), Array.from(model.bert.params.get(`bert.encoder.layer.${layer}.${norm}.LayerNorm.${part}`)!.dataSync()), `${own} starts as the base's`);
        }
      }
    }
    assert.ok(names.every((n) => !model.bert.params.has(n)), "no base parameter is trainable");
    // Saved as peft saves a modules_to_save copy: under the base module's own name.
    const state = method.stateDict();
    assert.deepEqual(state.get(`base_model.model.${LN}.weight`)?.shape, [16]);
    assert.deepEqual(state.get("base_model.model.bert.encoder.layer.1.output.LayerNorm.bias")?.shape, [16]);
    assert.equal(method.configJson()["train_layer_norm"], true);
  } finally {
    model.dispose();
  }
});

test("Houlsby's LayerNorm copies are used in the forward pass and move in training; the base's do not", () => {
  const data = examples(24);
  const model = randomPeft(4, (c, base) => new Bottleneck(c, { reductionFactor: 4 }, new Rng(1), base));
  try {
    const method = model.adapter().method as Bottleneck;
    const own = method.params.get("bert.encoder.layer.1.output.adapter_layer_norm.weight")!;
    const baseGain = Array.from(model.bert.params.get("bert.encoder.layer.1.output.LayerNorm.weight")!.dataSync());
    const before = logitsOf(model, data.slice(0, 6));
    tf.tidy(() => own.assign(tf.mul(own, 1.5)));
    assert.ok(maxAbsDiff(logitsOf(model, data.slice(0, 6)), before) > 1e-3, "the adapter's gain, not the base's, scales the layer");
    tf.tidy(() => own.assign(tf.div(own, 1.5)));
    const start = Array.from(own.dataSync());
    finetune(model, { train: data, padId: 0 }, () => ({ accuracy: 0 }), { epochs: 3, batchSize: 8, lr: 1e-2, warmupFraction: 0, keepBest: false });
    assert.ok(maxAbsDiff(Array.from(own.dataSync()), start) > 1e-4, "the LayerNorm copy was trained");
    assert.deepEqual(Array.from(model.bert.params.get("bert.encoder.layer.1.output.LayerNorm.weight")!.dataSync()), baseGain, "the base's LayerNorm is untouched");
  } finally {
    model.dispose();
  }
});

test("Houlsby without the base's params is a clear error; files without train_layer_norm load with frozen LayerNorms", () => {
  assert.throws(() => new Bottleneck(quietConfig(), { reductionFactor: 4 }, new Rng(1)), /train the LayerNorms.*trainLayerNorm: false/);
  const work = mkdtempSync(join(tmpdir(), "peft-houlsby-"));
  const before = tf.memory().numTensors;
  try {
    const model = randomPeft(7, (c) => new Bottleneck(c, { reductionFactor: 4, trainLayerNorm: false }, new Rng(1)));
    perturb(model.params, 8, 0.1);
    const want = logitsOf(model, examples(6));
    saveAdapter(join(work, "a"), model);
    model.dispose();
    // A file written before LayerNorms were trained: no train_layer_norm key.
    const configPath = join(work, "a", "adapter_config.json");
    const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
    delete config["train_layer_norm"];
    writeFileSync(configPath, JSON.stringify(config));
    const fresh = new PeftModel(randomBert(quietConfig(), 7), "sequence");
    loadAdapterInto(fresh, join(work, "a"), "a");
    assert.equal((fresh.adapter().method as Bottleneck).trainLayerNorm, false);
    assert.ok(maxAbsDiff(logitsOf(fresh, examples(6)), want) < 1e-5);
    fresh.dispose();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  assert.equal(tf.memory().numTensors, before);
});
