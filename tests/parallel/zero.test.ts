// ZeRO stages 0–2 on two data-parallel ranks: the same step as one worker, with less memory per rank.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { FlatAdamW, maxAbsDiff, singleWorkerStep, zeroStep } from "../../lib/parallel";
import { AdamW } from "../../lib/train";
import { initBackend } from "../../lib/core";
import { MICRO_BERT, mlmRows } from "./fixtures/tiny-bert";

test("FlatAdamW takes AdamW's steps (decay only where flagged), 3 steps within 1e-6", async () => {
  await initBackend({ backend: "wasm" });
  const init = [0.5, -0.2, 0.1, 0.7], decays = Uint8Array.of(1, 1, 0, 0);
  const gradients = [[0.1, -0.3, 1e-7, 0], [0.2, 0.1, -0.05, 0.4], [-0.1, 0.2, 0.3, -0.2]];
  const flat = Float32Array.from(init);
  const opt = new FlatAdamW(decays);
  const params = new Map([["a.weight", tf.variable(tf.tensor(init.slice(0, 2)))], ["a.bias", tf.variable(tf.tensor(init.slice(2)))]]);
  const ref = new AdamW();
  for (const g of gradients) {
    opt.apply(flat, Float32Array.from(g), 0.1);
    ref.apply(params, { "a.weight": tf.tensor(g.slice(0, 2)), "a.bias": tf.tensor(g.slice(2)) }, 0.1);
  }
  const expected = [...params.get("a.weight")!.dataSync(), ...params.get("a.bias")!.dataSync()];
  expected.forEach((e, i) => assert.ok(Math.abs(e - (flat[i] as number)) < 1e-6, `${i}: ${flat[i]} vs ${e}`));
  assert.equal(opt.stateBytes, 2 * 4 * 4);
  ref.dispose();
  for (const v of params.values()) v.dispose();
});

test("ZeRO-0/1/2 on 2 ranks: loss, reduced gradient and one AdamW step equal one worker's (1e-5); ZeRO-2 holds ≥1.8x less optimiser+gradient memory", async () => {
  await initBackend({ backend: "wasm" });
  const rows = mlmRows(MICRO_BERT, 6, 12, 4);
  const reference = singleWorkerStep(MICRO_BERT, rows, { seed: 11, lr: 1e-3 });
  const perRank: number[] = [];
  for (const stage of [0, 1, 2] as const) {
    const z = await zeroStep(MICRO_BERT, rows, { workers: 2, stage, seed: 11, lr: 1e-3 });
    const gradDiff = maxAbsDiff(reference.grads, z.grads), paramDiff = maxAbsDiff(reference.params, z.params);
    const held = z.memory.map((m) => m.gradBytes + m.optimizerBytes);
    console.log(`ZeRO-${stage}: |Δloss| ${Math.abs(z.loss - reference.loss).toExponential(1)}, max |Δgrad| ${gradDiff.toExponential(1)}, max |Δparam| ${paramDiff.toExponential(1)}, grad+optimizer bytes per rank ${held.join(", ")}`);
    assert.ok(Math.abs(z.loss - reference.loss) < 1e-5, `stage ${stage} loss ${z.loss} vs ${reference.loss}`);
    assert.ok(gradDiff < 1e-5 && paramDiff < 1e-5, `stage ${stage}: grad ${gradDiff}, param ${paramDiff}`);
    assert.deepEqual(z.leakedTensors, [0, 0]);
    perRank.push(Math.max(...held));
    if (stage === 2) assert.equal(z.stats[0]!.calls.reduceScatter, 1);
  }
  const [ddp, zero1, zero2] = perRank as [number, number, number];
  assert.ok(ddp / zero1 > 1.4 && ddp / zero1 < 1.6, `ZeRO-1 keeps all gradients: 3P → 2P bytes, got ${ddp / zero1}`);
  assert.ok(ddp / zero2 >= 1.8, `ZeRO-2 cut ${ddp / zero2}`);
});
