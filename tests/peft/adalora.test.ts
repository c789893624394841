// lib/peft/adalora.ts: SVD-form update at zero, the cubic budget, importance scores, the orthogonality regulariser,
// and the schedule inside the trainer: after `finetune` the total rank equals the target exactly.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { AdaLora, adaloraBudget } from "../../lib/peft";
import { finetune } from "../../lib/tasks";
import { examples, methodContract, quietConfig, randomPeft } from "./helpers";

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

test("inside finetune the schedule runs by itself: the final total rank equals targetR × modules exactly, pruned λ are zero", () => {
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
    for (const [name, e] of method.stateDict()) {
      if (!name.endsWith("lora_E")) continue;
      const kept = pattern[name.replace("base_model.model.", "").replace(".lora_E", "")] as boolean[];
      Array.from(e.data as Float32Array).forEach((v, i) => assert.ok(kept[i] || v === 0, `${name}[${i}] pruned but ${v}`));
    }
  } finally {
    model.dispose();
  }
});
