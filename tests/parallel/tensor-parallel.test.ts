// Tensor parallelism (Megatron-LM): two ranks, each holding half of every layer's heads and FFN width, take the
// step one worker takes on the whole model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { maxAbsDiff, shardParam, singleWorkerStep, tensorParallelSplit, tensorParallelStep, unshardParam } from "../../lib/parallel";
import { initBackend } from "../../lib/core";
import { MICRO_BERT, mlmRows } from "./fixtures/tiny-bert";

test("Megatron's split: Q/K/V and FFN-in by columns, attention-out and FFN-out by rows, the rest replicated", () => {
  assert.deepEqual(tensorParallelSplit("bert.encoder.layer.3.attention.self.key.weight"), { kind: "column", axis: 1 });
  assert.deepEqual(tensorParallelSplit("bert.encoder.layer.0.intermediate.dense.bias"), { kind: "column", axis: 0 });
  assert.deepEqual(tensorParallelSplit("bert.encoder.layer.1.attention.output.dense.weight"), { kind: "row", axis: 0 });
  assert.deepEqual(tensorParallelSplit("bert.encoder.layer.1.output.dense.weight"), { kind: "row", axis: 0 });
  for (const name of ["bert.encoder.layer.1.output.dense.bias", "bert.encoder.layer.1.attention.output.LayerNorm.weight", "bert.embeddings.word_embeddings.weight", "cls.predictions.transform.dense.weight"]) {
    assert.deepEqual(tensorParallelSplit(name), { kind: "replicated" }, name);
  }
  const w = Float32Array.from({ length: 12 }, (_, i) => i); // [3, 4]
  for (const split of [tensorParallelSplit("x.layer.0.attention.self.query.weight"), tensorParallelSplit("x.layer.0.output.dense.weight")]) {
    const pieces = [0, 1].map((r) => shardParam(w, [split.kind === "row" ? 4 : 3, split.kind === "row" ? 3 : 4], split, r, 2));
    assert.deepEqual([...unshardParam(pieces, split).values], [...w]);
  }
  assert.deepEqual([...shardParam(w, [3, 4], { kind: "column", axis: 1 }, 1, 2).values], [2, 3, 6, 7, 10, 11]);
});

test("2 tensor-parallel ranks: loss, gradients and one AdamW step equal one worker's (1e-5), 4 all-reduces per layer", async () => {
  await initBackend({ backend: "wasm" });
  const rows = mlmRows(MICRO_BERT, 4, 12, 1);
  // lr 1e-3 (BERT's): AdamW's first step maps g to ≈ g/(|g| + ε), so where |g| ≲ ε = 1e-6 it amplifies float
  // rounding differences of the gradient by lr/ε; the gradients themselves agree to ~1e-7.
  const reference = singleWorkerStep(MICRO_BERT, rows, { seed: 7, lr: 1e-3 });
  const tp = await tensorParallelStep(MICRO_BERT, rows, { workers: 2, seed: 7, lr: 1e-3 });
  assert.ok(Math.abs(tp.loss - reference.loss) < 1e-5, `loss ${tp.loss} vs ${reference.loss}`);
  assert.equal(tp.rankLosses[0], tp.rankLosses[1]);
  const gradDiff = maxAbsDiff(reference.grads, tp.grads);
  const paramDiff = maxAbsDiff(reference.params, tp.params);
  console.log(`tensor parallel, 2 ranks: |Δloss| ${Math.abs(tp.loss - reference.loss).toExponential(1)}, max |Δgrad| ${gradDiff.toExponential(1)}, max |Δparam| ${paramDiff.toExponential(1)}`);
  assert.ok(gradDiff < 1e-5 && paramDiff < 1e-5, `grad ${gradDiff}, param ${paramDiff}`);
  for (const stats of tp.stats) assert.equal(stats.calls.allReduce, 4 * MICRO_BERT.numLayers); // f and g per block: 2 forward + 2 backward
  assert.deepEqual(tp.leakedTensors, [0, 0]);
});

test("tensor parallelism refuses a rank count that does not divide the heads", async () => {
  await assert.rejects(tensorParallelStep(MICRO_BERT, mlmRows(MICRO_BERT, 2, 8, 1), { workers: 3 }), /4 heads do not split over 3 ranks/);
});
