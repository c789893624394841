// lib/peft/adalora.ts: SVD-form update at zero, the cubic budget, importance scores, the orthogonality regulariser,
// and the schedule inside the trainer: after `finetune` the total rank equals the target exactly.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { AdaLora, adaloraBudget, loadAdapterInto, PeftModel, saveAdapter } from "../../lib/peft";
import { finetune } from "../../lib/tasks";
import { randomBert } from "../checkpoint/random-model";
import { examples, logitsOf, maxAbsDiff, methodContract, perturb, quietConfig, randomPeft } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

methodContract("AdaLoRA", (c) => new AdaLora(c, { initR: 4, targetR: 2, alpha: 4, dropout: 0 }, new Rng(1)), { identityAtInit: true, lr: 2e-2 });

test("the budget schedule: b⁰ until tᵢ, cubic down to the target at T − t_f, then the target (eq. 12)", () => {
  const at = (t: number) => adaloraBudget(t, 100, 48, 16, { tinit: 10, tfinal: 20, deltaT: 1 });
  assert.deepEqual(at(1), { budget: 48, mask: false });
  assert.deepEqual(at(10), { budget: 48, mask: false });
  assert.equal(at(11).budget, Math.floor(32 * (1 - 1 / 70) ** 3 + 16));
  assert.equal(at(45).budget, Math.floor(32 * 0.5 ** 3 + 16)); // halfway: 20
  assert.equal(at(80).budget, 16);
  assert.deepEqual(at(81), { budget: 16, mask: true });
  const budgets = Array.from({ length: 100 }, (_, i) => at(i + 1).budget);
  assert.ok(budgets.every((b, i) => i === 0 || b <= (budgets[i - 1] as number)), "never grows");
  assert.equal(adaloraBudget(7, 100, 48, 16, { tinit: 0, tfinal: 0, deltaT: 5 }).mask, false, "only every deltaT steps");
});

test("the orthogonality penalty is 0 for orthonormal P and Q and grows as they drift", () => {
  const method = new AdaLora(quietConfig(), { initR: 2, targetR: 1, targetModules: ["query"] }, new Rng(1));
  try {
    const eye = (rows: number, cols: number) => tf.tidy(() => tf.eye(rows, cols));
    for (const [name, v] of method.params) {
      if (name.endsWith("lora_A")) v.assign(eye(16, 2)); // P [in, r] with orthonormal columns
      if (name.endsWith("lora_B")) v.assign(eye(2, 16)); // Q [r, out] with orthonormal rows
    }
    assert.ok(tf.tidy(() => method.orthogonalityPenalty().dataSync()[0] as number) < 1e-6);
    const p = method.params.get("bert.encoder.layer.0.attention.self.query.lora_A") as tf.Variable;
    tf.tidy(() => p.assign(tf.mul(p, 2)));
    // ‖4·I₂ − I₂‖_F = 3√2 for that P; the mean over 4 matrices (2 layers × P, Q).
    assert.ok(Math.abs((tf.tidy(() => method.orthogonalityPenalty().dataSync()[0] as number)) - (3 * Math.SQRT2) / 4) < 1e-5);
  } finally {
    method.dispose();
  }
});

test("importance: s = Ī·U from |θ·∇θ| (eq. 8–11), triplet score = s(λ) + mean s(P column) + mean s(Q row); exactly the top-b survive", () => {
  const method = new AdaLora(quietConfig(), { initR: 3, targetR: 1, targetModules: ["query"], beta1: 0.5, beta2: 0.5 }, new Rng(1));
  try {
    const layers = method.modules;
    const values = [[1, 2, 3], [3, 0, 0.5]];
    const grads: Record<string, tf.Tensor> = {};
    layers.forEach((name, i) => {
      (method.params.get(`${name}.lora_E`) as tf.Variable).assign(tf.tensor1d(values[i] as number[]));
      for (const part of ["lora_A", "lora_B"]) {
        const v = method.params.get(`${name}.${part}`) as tf.Variable;
        v.assign(tf.zerosLike(v)); // |θ·g| = 0: only λ scores
      }
    });
    for (const [name, v] of method.params) grads[name] = tf.onesLike(v);
    method.training.afterStep?.(1, 10, grads); // step 1 ≤ tᵢ = 1: importance measured, no masking yet
    tf.dispose(Object.values(grads));
    assert.deepEqual([...method.ranks().values()], [3, 3]);
    // I = |λ|; Ī = 0.5·I; U = 0.5·|I − Ī| = 0.25·I; s = Ī·U = 0.125·I².
    const scores = method.tripletScores();
    layers.forEach((name, i) => assert.deepEqual(Array.from(scores.get(name) as Float32Array), (values[i] as number[]).map((v) => 0.125 * v * v)));
    method.maskToBudget(3); // 1.125 (layer 0 #2), 1.125 (layer 1 #0: tie, later), 0.5 (layer 0 #1)
    assert.deepEqual([...method.ranks().values()], [2, 1]);
    assert.deepEqual(Array.from((method.params.get(`${layers[1]}.lora_E`) as tf.Variable).dataSync()), [3, 0, 0], "pruned λ zeroed");
  } finally {
    method.dispose();
  }
});

test("inside finetune the schedule runs by itself: the final total rank equals targetR × modules exactly, only kept triplets saved", () => {
  const model = randomPeft(9, (c) => new AdaLora(c, { initR: 4, targetR: 2, alpha: 4, dropout: 0, targetModules: ["query", "value", "intermediate.dense"] }, new Rng(1)));
  try {
    const method = model.adapter().method as AdaLora;
    const before = [...method.ranks().values()];
    assert.deepEqual(before, [4, 4, 4, 4, 4, 4]);
    finetune(model, { train: examples(40), padId: 0 }, () => ({ accuracy: 0 }), { epochs: 5, batchSize: 8, lr: 2e-2, warmupFraction: 0 });
    const ranks = [...method.ranks().values()];
    assert.equal(ranks.reduce((a, b) => a + b, 0), 2 * 6, `ranks ${ranks}`);
    assert.ok(new Set(ranks).size > 1 || ranks.every((r) => r === 2), "ranks are allocated per module");
    const config = method.configJson();
    const pattern = config["rank_pattern"] as Record<string, boolean[]>;
    assert.equal(Object.values(pattern).flat().filter(Boolean).length, 12);
    // Pruned triplets are out of the file (their λ is masked in the forward pass, even after a best-epoch restore).
    const state = method.stateDict();
    for (const [key, kept] of Object.entries(pattern)) assert.deepEqual(state.get(`base_model.model.${key}`)?.shape, [kept.filter(Boolean).length, 1], key);
    // The schedule the trainer ran is what peft's config needs: 5 epochs × 5 batches.
    assert.equal(config["total_step"], 25);
    assert.equal(config["tinit"], 2);
    assert.equal(config["tfinal"], 5);
  } finally {
    model.dispose();
  }
});

test("files as peft writes them: rank_pattern keyed <module>.lora_E, only kept triplets saved ([r_m, in], [r_m, 1], [out, r_m]); load gives the same logits", () => {
  const work = mkdtempSync(join(tmpdir(), "peft-adalora-"));
  const before = tf.memory().numTensors;
  const data = examples(6);
  const model = randomPeft(9, (c) => new AdaLora(c, { initR: 4, targetR: 2, alpha: 4, dropout: 0, targetModules: ["query", "value"] }, new Rng(1)));
  try {
    const method = model.adapter().method as AdaLora;
    perturb(method.params, 3);
    // Prune by hand: layer 0 query keeps triplets 0 and 2, layer 0 value keeps none, the rest keep all.
    const set = (module: string, kept: number[]) => tf.tidy(() => (method as unknown as { layers: Map<string, { mask: tf.Variable; e: tf.Variable }> }).layers.get(module)!.mask.assign(tf.tensor1d(kept)));
    set("bert.encoder.layer.0.attention.self.query", [1, 0, 1, 0]);
    set("bert.encoder.layer.0.attention.self.value", [0, 0, 0, 0]);
    const want = logitsOf(model, data);
    const config = method.configJson();
    assert.deepEqual(Object.keys(config["rank_pattern"] as object).sort(), ["bert.encoder.layer.0.attention.self.query.lora_E", "bert.encoder.layer.0.attention.self.value.lora_E", "bert.encoder.layer.1.attention.self.query.lora_E", "bert.encoder.layer.1.attention.self.value.lora_E"]);
    assert.deepEqual((config["rank_pattern"] as Record<string, boolean[]>)["bert.encoder.layer.0.attention.self.query.lora_E"], [true, false, true, false]);
    // peft's AdaLoraConfig.__post_init__ needs total_step > tinit + tfinal, all numbers (an untrained adapter here).
    assert.ok(typeof config["total_step"] === "number" && (config["total_step"] as number) > (config["tinit"] as number) + (config["tfinal"] as number));
    assert.equal(config["init_r"], 4);
    const state = method.stateDict();
    const shape = (module: string, part: string) => state.get(`base_model.model.bert.encoder.layer.${module}.${part}`)?.shape;
    assert.deepEqual(shape("0.attention.self.query", "lora_A"), [2, 16]);
    assert.deepEqual(shape("0.attention.self.query", "lora_E"), [2, 1]);
    assert.deepEqual(shape("0.attention.self.query", "lora_B"), [16, 2]);
    assert.deepEqual(shape("0.attention.self.value", "lora_A"), [0, 16]);
    assert.deepEqual(shape("1.attention.self.value", "lora_B"), [16, 4]);
    assert.ok([...state.keys()].every((k) => !k.includes("ranknum") && !k.endsWith(".weight")), "peft saves AdaLoRA's parameters without .weight and no ranknum");
    // The kept rows are triplets 0 and 2, in order.
    const e = Array.from(method.params.get("bert.encoder.layer.0.attention.self.query.lora_E")!.dataSync());
    assert.deepEqual(Array.from(state.get("base_model.model.bert.encoder.layer.0.attention.self.query.lora_E")!.data as Float32Array), [e[0], e[2]]);
    saveAdapter(join(work, "a"), model);
    const fresh = new PeftModel(randomBert(quietConfig(), 9), "sequence");
    loadAdapterInto(fresh, join(work, "a"), "a");
    assert.ok(maxAbsDiff(logitsOf(fresh, data), want) < 1e-5, "peft-shaped files load back to the same logits");
    assert.deepEqual([...(fresh.adapter().method as AdaLora).ranks().values()], [2, 0, 4, 4]);
    fresh.dispose();
  } finally {
    model.dispose();
    rmSync(work, { recursive: true, force: true });
  }
  assert.equal(tf.memory().numTensors, before);
});

test("our older AdaLoRA files still load: rank_pattern keyed by module, full-size tensors, pruned triplets masked", () => {
  const work = mkdtempSync(join(tmpdir(), "peft-adalora-old-"));
  const data = examples(6);
  const model = randomPeft(9, (c) => new AdaLora(c, { initR: 3, targetR: 2, alpha: 3, dropout: 0, targetModules: ["query"] }, new Rng(1)));
  try {
    const method = model.adapter().method as AdaLora;
    perturb(method.params, 4);
    saveAdapter(join(work, "a"), model); // nothing pruned: full-size tensors
    // The old config: module-name keys; layer 1 pruned to triplets 0 and 2.
    const configPath = join(work, "a", "adapter_config.json");
    const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
    config["rank_pattern"] = { "bert.encoder.layer.0.attention.self.query": [true, true, true], "bert.encoder.layer.1.attention.self.query": [true, false, true] };
    writeFileSync(configPath, JSON.stringify(config));
    tf.tidy(() => (method as unknown as { layers: Map<string, { mask: tf.Variable }> }).layers.get("bert.encoder.layer.1.attention.self.query")!.mask.assign(tf.tensor1d([1, 0, 1])));
    const want = logitsOf(model, data);
    const fresh = new PeftModel(randomBert(quietConfig(), 9), "sequence");
    loadAdapterInto(fresh, join(work, "a"), "a");
    assert.deepEqual([...(fresh.adapter().method as AdaLora).ranks().values()], [3, 2]);
    assert.ok(maxAbsDiff(logitsOf(fresh, data), want) < 1e-5);
    fresh.dispose();
  } finally {
    model.dispose();
    rmSync(work, { recursive: true, force: true });
  }
});
