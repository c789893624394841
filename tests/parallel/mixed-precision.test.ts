// Mixed precision emulated: fp16 without loss scaling loses small gradients, scaled fp16 and bf16 keep them; the
// dynamic scaler skips overflowing steps and halves, grows after clean runs (PyTorch GradScaler's rule).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { BertModel } from "../../lib/model";
import { DynamicLossScaler, hasOverflow, initRng, maxAbsDiff, mixedPrecisionGrads, mixedPrecisionStep, singleWorkerStep, underflowFraction } from "../../lib/parallel";
import { AdamW } from "../../lib/train";
import { MICRO_BERT, mlmRows } from "./fixtures/tiny-bert";

const asSnapshot = (m: Map<string, Float32Array>) => Object.fromEntries([...m].map(([k, v]) => [k, { shape: [v.length], values: v }]));

test("fp32 through the hooks is the plain model; fp16 underflows ≥0.5% of gradient entries unscaled, <0.1% scaled by 2¹⁶; bf16 none", async () => {
  await initBackend({ backend: "wasm" });
  const before = tf.memory().numTensors;
  const model = BertModel.init(MICRO_BERT, initRng(1));
  const rows = mlmRows(MICRO_BERT, 8, 12, 3);
  const fp32 = mixedPrecisionGrads(model, rows, "fp32");
  const plain = singleWorkerStep(MICRO_BERT, rows, { seed: 1 });
  assert.ok(Math.abs(fp32.loss - plain.loss) < 1e-6);
  const flat = (s: Record<string, { values: Float32Array }>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { shape: [v.values.length], values: v.values }]));
  assert.ok(maxAbsDiff(flat(plain.grads), asSnapshot(fp32.grads)) < 1e-6);
  const fp16 = underflowFraction(fp32.grads, mixedPrecisionGrads(model, rows, "fp16").grads);
  const scaled = underflowFraction(fp32.grads, mixedPrecisionGrads(model, rows, "fp16", 2 ** 16).grads);
  const bf16 = underflowFraction(fp32.grads, mixedPrecisionGrads(model, rows, "bf16").grads);
  console.log(`gradient entries lost to underflow: fp16 ${(100 * fp16).toFixed(2)}%, fp16 × 2¹⁶ ${(100 * scaled).toFixed(3)}%, bf16 ${(100 * bf16).toFixed(3)}%`);
  assert.ok(fp16 >= 0.005, `fp16 unscaled lost ${fp16}`);
  assert.ok(scaled < 0.001, `fp16 scaled lost ${scaled}`);
  assert.equal(bf16, 0);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("an overflowing scale skips the step (weights unchanged) and halves; clean steps apply and grow the scale", async () => {
  await initBackend({ backend: "wasm" });
  const model = BertModel.init(MICRO_BERT, initRng(1));
  const optimizer = new AdamW();
  const rows = mlmRows(MICRO_BERT, 4, 12, 3);
  const scaler = new DynamicLossScaler({ initScale: 2 ** 40, growthInterval: 2 });
  const weight = () => new Float32Array(model.params.get("bert.encoder.layer.0.attention.self.query.weight")!.dataSync() as Float32Array);
  const w0 = weight();
  const first = mixedPrecisionStep(model, optimizer, rows, { format: "fp16", lr: 1e-3, scaler });
  assert.ok(first.overflow && !first.applied, "2⁴⁰ × loss overflows fp16 (max 65504)");
  assert.deepEqual(weight(), w0);
  assert.equal(scaler.scale, 2 ** 39);
  let step = first;
  for (let i = 0; i < 40 && !step.applied; i++) step = mixedPrecisionStep(model, optimizer, rows, { format: "fp16", lr: 1e-3, scaler });
  console.log(`scale after ${scaler.skipped} skipped steps: 2^${Math.log2(scaler.scale)}`);
  assert.ok(step.applied && Number.isFinite(step.loss), "the scale backs off until the gradients fit");
  assert.equal(scaler.scale, step.scale);
  assert.equal(scaler.skipped, Math.log2(2 ** 40 / step.scale));
  assert.notDeepEqual(weight(), w0);
  optimizer.dispose();
  model.dispose();
  // the scale sequence itself: PyTorch's GradScaler rule
  const s = new DynamicLossScaler({ initScale: 8, growthInterval: 2 });
  const trace = [false, false, true, false, false, false].map((o) => (s.update(o), s.scale));
  assert.deepEqual(trace, [8, 16, 8, 8, 16, 16]);
  assert.equal(s.skipped, 1);
  assert.ok(hasOverflow([Float32Array.of(1, NaN)]) && !hasOverflow([Float32Array.of(1, 2)]));
  assert.throws(() => new DynamicLossScaler({ backoffFactor: 2 }), /0 < backoffFactor < 1/);
});
