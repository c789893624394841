// Pipeline parallelism (GPipe, 1F1B): two stages of two layers each, four micro-batches, take the step one worker
// takes on the whole batch; the schedules and the bubble.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bubbleFraction, gpipeSchedule, maxAbsDiff, oneFOneBSchedule, pipelineParallelStep, singleWorkerStep, stageHolds, stageLayers } from "../../lib/parallel";
import { initBackend } from "../../lib/core";
import { MICRO_BERT, mlmRows } from "./fixtures/tiny-bert";

const fmt = (ops: { kind: string; micro: number }[]) => ops.map((o) => `${o.kind}${o.micro}`).join(" ");

test("schedules: GPipe runs all forwards first; 1F1B warms up p−s−1 forwards then alternates", () => {
  assert.equal(fmt(gpipeSchedule(3)), "F0 F1 F2 B0 B1 B2");
  assert.equal(fmt(oneFOneBSchedule(0, 3, 4)), "F0 F1 F2 B0 F3 B1 B2 B3");
  assert.equal(fmt(oneFOneBSchedule(2, 3, 4)), "F0 B0 F1 B1 F2 B2 F3 B3");
  assert.equal(bubbleFraction(4, 8), 3 / 11);
  assert.equal(bubbleFraction(1, 8), 0);
  assert.deepEqual([0, 1, 2].map((s) => stageLayers(5, 3, s)), [[0, 2], [2, 4], [4, 5]]);
  assert.ok(stageHolds("bert.embeddings.word_embeddings.weight", MICRO_BERT, 2, 1), "the tied decoder lives on the last stage too");
  assert.ok(!stageHolds("bert.embeddings.LayerNorm.weight", MICRO_BERT, 2, 1));
  assert.ok(stageHolds("bert.encoder.layer.2.output.dense.weight", MICRO_BERT, 2, 1) && !stageHolds("bert.encoder.layer.2.output.dense.weight", MICRO_BERT, 2, 0));
});

for (const schedule of ["gpipe", "1f1b"] as const) {
  test(`2 pipeline stages × 4 micro-batches (${schedule}): loss, gradients and one AdamW step equal one worker's (1e-5)`, async () => {
    await initBackend({ backend: "wasm" });
    const rows = mlmRows(MICRO_BERT, 8, 12, 2);
    const reference = singleWorkerStep(MICRO_BERT, rows, { seed: 3, lr: 1e-3 });
    const pp = await pipelineParallelStep(MICRO_BERT, rows, { workers: 2, microBatches: 4, schedule, seed: 3, lr: 1e-3 });
    const gradDiff = maxAbsDiff(reference.grads, pp.grads);
    const paramDiff = maxAbsDiff(reference.params, pp.params);
    console.log(`pipeline ${schedule}: |Δloss| ${Math.abs(pp.loss - reference.loss).toExponential(1)}, max |Δgrad| ${gradDiff.toExponential(1)}, max |Δparam| ${paramDiff.toExponential(1)}, bubble ${pp.bubble.toFixed(2)} (ideal ${pp.idealBubble.toFixed(2)}), peak stored ${pp.peakStored}`);
    assert.ok(Math.abs(pp.loss - reference.loss) < 1e-5, `loss ${pp.loss} vs ${reference.loss}`);
    assert.ok(gradDiff < 1e-5 && paramDiff < 1e-5, `grad ${gradDiff}, param ${paramDiff}`);
    assert.equal(pp.timeline.length, 2 * 2 * 4); // every stage: 4 forwards and 4 backwards
    assert.ok(pp.bubble > 0 && pp.bubble < 1);
    assert.deepEqual(pp.peakStored, schedule === "gpipe" ? [0, 4] : [0, 1]); // stage 0 recomputes from ids; the last stage holds m (GPipe) or 1 (1F1B)
    assert.equal(pp.stats[0]!.calls.send, 4 + 1); // activations + the tied embeddings' gradient
    assert.deepEqual(pp.leakedTensors, [0, 0]);
  });
}
