// Gradient accumulation: K micro-batches weighted by their masked-token counts give the large batch's gradient.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { disposeParams } from "../../lib/nn";
import { createModel, labelCount, lossFn } from "../../lib/pretrain/mlm-parallel-task";
import { accumulateGradients, initRng, maxAbsDiff, snapshotOf, splitBatch } from "../../lib/parallel";
import { AdamW, valueAndGrads } from "../../lib/train";
import { MICRO_BERT, mlmRows } from "./fixtures/tiny-bert";

test("4 accumulated micro-batches equal the 8-row batch: loss, gradients, one AdamW step (1e-5); 1/K weights do not; nothing leaks", async () => {
  await initBackend({ backend: "wasm" });
  const rows = mlmRows(MICRO_BERT, 8, 12, 5);
  const micro = splitBatch(rows, 4);
  assert.ok(new Set(micro.map(labelCount)).size > 1, "the micro-batches must differ in masked count for the test to bite");
  const before = tf.memory().numTensors;
  const step = (grads: () => { loss: number; grads: Record<string, tf.Tensor> }) => {
    const params = createModel(MICRO_BERT, initRng(2));
    const optimizer = new AdamW();
    const out = grads.call(null);
    const g = snapshotOf(Object.entries(out.grads));
    optimizer.apply(params, out.grads, 1e-3);
    const p = snapshotOf(params);
    tf.dispose(Object.values(out.grads));
    optimizer.dispose();
    disposeParams(params);
    return { loss: out.loss, grads: g, params: p };
  };
  let live = createModel(MICRO_BERT, initRng(2));
  const whole = step(() => {
    const { value, grads } = valueAndGrads(live, () => lossFn(live, rows, new Rng(0), MICRO_BERT));
    const loss = (value.dataSync() as Float32Array)[0] as number;
    value.dispose();
    return { loss, grads };
  });
  const accumulated = step(() => accumulateGradients(live, micro, (b) => lossFn(live, b, new Rng(0), MICRO_BERT), labelCount));
  const naive = step(() => accumulateGradients(live, micro, (b) => lossFn(live, b, new Rng(0), MICRO_BERT), () => 1));
  disposeParams(live);
  live = new Map();
  assert.ok(Math.abs(accumulated.loss - whole.loss) < 1e-5, `loss ${accumulated.loss} vs ${whole.loss}`);
  const gradDiff = maxAbsDiff(whole.grads, accumulated.grads), paramDiff = maxAbsDiff(whole.params, accumulated.params);
  console.log(`accumulation: max |Δgrad| ${gradDiff.toExponential(1)}, max |Δparam| ${paramDiff.toExponential(1)}; 1/K weights: max |Δgrad| ${maxAbsDiff(whole.grads, naive.grads).toExponential(1)}`);
  assert.ok(gradDiff < 1e-5 && paramDiff < 1e-5, `grad ${gradDiff}, param ${paramDiff}`);
  assert.ok(maxAbsDiff(whole.grads, naive.grads) > 1e-4, "equal weights should be visibly wrong");
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => accumulateGradients(live, [], () => tf.scalar(0), () => 1), /no micro-batch/);
});
