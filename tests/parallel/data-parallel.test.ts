// Synchronous data-parallel training: N worker threads, gradients weighted by label count and reduced through
// shared memory, one AdamW update per step on every replica.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { disposeParams } from "../../lib/nn";
import { AdamW, valueAndGrads } from "../../lib/train";
import { DataParallelTrainer, initRng, reduceSlice, shardWeights, sliceOf, splitBatch } from "../../lib/parallel";
import { createModel, labelCount, lossFn, makeBatch, TINY, type TinyBatch, type TinyConfig } from "./fixtures/tiny-encoder";

const TASK = join(__dirname, "fixtures", "tiny-encoder.ts");
const FAILING = join(__dirname, "fixtures", "failing-task.ts");
const LR = 3e-3;
/** Rows 0–3 are long and rows 4–7 short: worker 0's shard has 4x the labels of worker 1's. */
const UNEVEN = [12, 12, 12, 12, 3, 3, 3, 3];

function batches(config: TinyConfig, steps: number, seed: number): TinyBatch[] {
  const rng = new Rng(seed);
  return Array.from({ length: steps }, () => makeBatch(config, 8, rng, UNEVEN));
}

/** The reference: one in-process replica, no threads, the whole batch per step. Returns losses and final params. */
function trainInProcess(config: TinyConfig, seed: number, data: TinyBatch[]): { losses: number[]; params: Map<string, Float32Array> } {
  const params = createModel(config, initRng(seed));
  const optimizer = new AdamW();
  const losses: number[] = [];
  for (const batch of data) {
    const { value, grads } = valueAndGrads(params, () => lossFn(params, batch, new Rng(0), config));
    optimizer.apply(params, grads, LR);
    losses.push((value.dataSync() as Float32Array)[0] as number);
    value.dispose();
    tf.dispose(grads);
  }
  const values = new Map([...params].map(([name, v]) => [name, new Float32Array(v.dataSync() as Float32Array)]));
  optimizer.dispose();
  disposeParams(params);
  return { losses, params: values };
}

test("splitBatch splits every array field by rows, extra rows first, and copies other fields", () => {
  const shards = splitBatch({ ids: [[1], [2], [3], [4], [5]], weights: new Float32Array([1, 2, 3, 4, 5]), name: "x" }, 2);
  assert.deepEqual(shards.map((s) => s.ids), [[[1], [2], [3]], [[4], [5]]]);
  assert.deepEqual(shards.map((s) => [...s.weights]), [[1, 2, 3], [4, 5]]);
  assert.deepEqual(shards.map((s) => s.name), ["x", "x"]);
  assert.throws(() => splitBatch({ ids: [[1]], labels: [[1], [2]] }, 1), /field "labels" has 2 rows/);
  assert.throws(() => splitBatch([1], 2), /1 rows cannot feed 2 workers/);
});

test("reduce-scatter: slices of N workers cover the gradient once, and each is the weighted sum (N = 3)", () => {
  const [size, workers] = [10, 3];
  const grads = Float32Array.from({ length: workers * size }, (_, k) => (k % 7) - 3 + Math.floor(k / size) / 8);
  const weights = shardWeights([2, 1, 1]);
  assert.deepEqual(weights, [0.5, 0.25, 0.25]);
  const reduced = new Float32Array(size).fill(NaN);
  let squares = 0;
  for (let i = 0; i < workers; i++) squares += reduceSlice(grads, reduced, weights, size, ...sliceOf(i, workers, size));
  reduced.forEach((value, j) => {
    const expected = weights.reduce((sum, w, i) => sum + w * (grads[i * size + j] as number), 0);
    assert.ok(Math.abs(value - expected) < 1e-6, `element ${j}: ${value} vs ${expected}`);
  });
  assert.ok(Math.abs(squares - reduced.reduce((a, v) => a + v * v, 0)) < 1e-6);
  assert.deepEqual(shardWeights([0, 0]), [0, 0]);
});

test("label-count weights make shard gradients sum to the full-batch gradient; equal weights do not", async () => {
  await initBackend({ backend: "wasm" });
  const params = createModel(TINY, initRng(3));
  const [batch] = batches(TINY, 1, 4) as [TinyBatch];
  const shards = splitBatch(batch, 2);
  const gradient = (b: TinyBatch) => {
    const { value, grads } = valueAndGrads(params, () => lossFn(params, b, new Rng(0), TINY));
    value.dispose();
    const flat = tf.tidy(() => tf.concat([...params.keys()].map((name) => grads[name]!.flatten())).dataSync() as Float32Array);
    tf.dispose(grads);
    return flat;
  };
  const full = gradient(batch);
  const [g0, g1] = shards.map(gradient) as [Float32Array, Float32Array];
  const counts = shards.map(labelCount);
  assert.deepEqual(counts, [48, 12]);
  const weights = shardWeights(counts);
  const maxDiff = (w: number[]) => full.reduce((m, f, j) => Math.max(m, Math.abs(f - ((w[0] as number) * (g0[j] as number) + (w[1] as number) * (g1[j] as number)))), 0);
  const scale = full.reduce((m, f) => Math.max(m, Math.abs(f)), 0);
  assert.ok(maxDiff(weights) < 1e-6 * Math.max(1, scale) * 10, `weighted: max |Δ| ${maxDiff(weights)}`);
  assert.ok(maxDiff([0.5, 0.5]) > 1e-3 * scale, `equal weights should be wrong, max |Δ| ${maxDiff([0.5, 0.5])}`);
  disposeParams(params);
});

for (const workers of [2, 1]) {
  test(`${workers} worker thread(s) take the same steps on a 2B batch as 1 in-process replica (dropout off, 1e-5)`, async () => {
    await initBackend({ backend: "wasm" });
    const data = batches(TINY, 4, 9);
    const reference = trainInProcess(TINY, 5, data);
    const trainer = await DataParallelTrainer.start<TinyConfig, TinyBatch>(TASK, TINY, { workers, seed: 5 });
    try {
      const losses: number[] = [];
      for (const batch of data) losses.push((await trainer.step(batch, LR)).loss);
      losses.forEach((l, i) => assert.ok(Math.abs(l - (reference.losses[i] as number)) < 1e-5, `step ${i}: ${l} vs ${reference.losses[i]}`));
      const replicas = await Promise.all(Array.from({ length: workers }, (_, i) => trainer.params(i)));
      let worst = 0;
      for (const [name, expected] of reference.params) {
        const got = replicas[0]!.get(name)!.values;
        expected.forEach((e, j) => (worst = Math.max(worst, Math.abs(e - (got[j] as number)))));
        for (const other of replicas.slice(1)) assert.deepEqual(other.get(name)!.values, got, `replicas differ on ${name}`); // bit-identical
      }
      console.log(`${workers} worker(s): max |Δparam| vs in-process after ${data.length} steps: ${worst.toExponential(2)}`);
      assert.ok(worst < 1e-5, `max |Δparam| ${worst}`);
    } finally {
      await trainer.close();
    }
  });
}

test("the same seed replays the same losses with dropout on; another seed does not", async () => {
  const config: TinyConfig = { ...TINY, layer: { ...TINY.layer, dropoutRate: 0.1 } };
  const data = batches(config, 3, 2);
  const run = async (seed: number) => {
    const trainer = await DataParallelTrainer.start<TinyConfig, TinyBatch>(TASK, config, { workers: 2, seed });
    try {
      const losses: number[] = [];
      for (const batch of data) losses.push((await trainer.step(batch, LR)).loss);
      return losses;
    } finally {
      await trainer.close();
    }
  };
  const [a, b, c] = await Promise.all([run(11), run(11), run(12)]);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("a worker that throws fails the step with its index and stack, and closes the trainer", async () => {
  const trainer = await DataParallelTrainer.start<TinyConfig, TinyBatch>(FAILING, TINY, { workers: 2 });
  const [batch] = batches(TINY, 1, 3) as [TinyBatch];
  batch.ids[4]![0] = 1; // row 4 opens worker 1's shard
  await assert.rejects(trainer.step(batch, LR), (error: Error) => {
    assert.match(error.message, /data-parallel worker 1 of 2 failed/);
    assert.match(error.message, /sentinel token 1 reached lossFn/);
    assert.match(error.message, /failing-task\.ts/); // the worker's stack
    return true;
  });
  await assert.rejects(trainer.step(batch, LR), /worker 1 of 2 failed/); // stays failed
  assert.deepEqual(await trainer.close(), []);
});

test("a task module that cannot load fails start, naming the worker and the path", async () => {
  const missing = join(__dirname, "fixtures", "no-such-task.ts");
  await assert.rejects(DataParallelTrainer.start(missing, TINY, { workers: 1 }), /worker 0 of 1 failed .*no-such-task\.ts/s);
  await assert.rejects(DataParallelTrainer.start("relative/task.ts", TINY), /must be absolute/);
});

test("loadParams overwrites every replica; a wrong name or size is refused by name", async () => {
  const trainer = await DataParallelTrainer.start<TinyConfig, TinyBatch>(TASK, TINY, { workers: 2 });
  try {
    const bias = new Float32Array(TINY.vocabSize).map((_, i) => i / 100);
    await trainer.loadParams(new Map([["head.bias", bias]]));
    for (const i of [0, 1]) assert.deepEqual((await trainer.params(i)).get("head.bias")!.values, bias);
    await assert.rejects(trainer.loadParams(new Map([["head.bias", new Float32Array(3)]])), /"head.bias" has 40 values, got 3/);
    await assert.rejects(trainer.loadParams(new Map([["head.biass", bias]])), /no parameter "head.biass"/);
    assert.equal((await trainer.step(batches(TINY, 1, 1)[0]!, LR)).step, 1); // still usable
  } finally {
    await trainer.close();
  }
});

test("training leaves no tensor behind in any worker, nor in the main thread", async () => {
  await initBackend({ backend: "wasm" });
  const main = tf.memory().numTensors;
  const trainer = await DataParallelTrainer.start<TinyConfig, TinyBatch>(TASK, TINY, { workers: 2 });
  const data = batches(TINY, 4, 1);
  await trainer.step(data[0]!, LR, { clipNorm: 0.5 }); // the first step creates the AdamW slots
  const before = await trainer.numTensors();
  for (const batch of data.slice(1)) await trainer.step(batch, LR, { clipNorm: 0.5 });
  assert.deepEqual(await trainer.numTensors(), before);
  assert.deepEqual(await trainer.close(), [0, 0]); // replicas and optimizer state disposed
  assert.equal(tf.memory().numTensors, main);
});
