import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import type { Rng } from "../../lib/core/rng";
import { train, type TrainingTask } from "../../lib/train";

before(async () => {
  await initBackend({ backend: "wasm" });
});

/** Least squares y = 3x − 1 on fixed points; `rows` picks which points a batch holds. */
function regression(batches: number[][]): TrainingTask<number[]> & { w: tf.Variable; b: tf.Variable } {
  const xs = [-2, -1, 0, 1, 2, 3, 4, 5];
  const w = tf.variable(tf.scalar(0));
  const b = tf.variable(tf.scalar(0));
  let next = 0;
  return {
    w,
    b,
    params: new Map([["w.weight", w], ["b.bias", b]]),
    nextBatch: (_rng: Rng) => batches[next++ % batches.length] as number[],
    loss: (rows) => {
      const x = tf.tensor1d(rows.map((i) => xs[i] as number));
      return tf.mean(tf.square(tf.sub(tf.add(tf.mul(x, w), b), tf.sub(tf.mul(x, 3), 1)))) as tf.Scalar;
    },
  };
}

test("learns, and the tensor count stays flat across steps", () => {
  const task = regression([[0, 1, 2, 3, 4, 5, 6, 7]]);
  const counts: number[] = [];
  const result = train(task, { steps: 200, lr: 0.1, warmupSteps: 0, clipNorm: 0, optimizer: { weightDecay: 0 }, onStep: () => counts.push(tf.memory().numTensors) });
  assert.ok(Math.abs((task.w.dataSync()[0] as number) - 3) < 0.05, `w = ${task.w.dataSync()[0]}`);
  assert.ok(result.history.at(-1)!.loss < result.history[0]!.loss / 100);
  assert.equal(new Set(counts.slice(1)).size, 1, "no tensor leak per step");
  task.w.dispose();
  task.b.dispose();
});

test("accumulating two half batches equals one full batch", () => {
  const full = regression([[0, 1, 2, 3, 4, 5, 6, 7]]);
  const halves = regression([[0, 1, 2, 3], [4, 5, 6, 7]]);
  const options = { steps: 5, lr: 0.05, warmupSteps: 0, clipNorm: 0, optimizer: { weightDecay: 0 } };
  train(full, options);
  train(halves, { ...options, accumulation: 2 });
  assert.ok(Math.abs((full.w.dataSync()[0] as number) - (halves.w.dataSync()[0] as number)) < 1e-6);
  tf.dispose([full.w, full.b, halves.w, halves.b]);
});

test("a NaN loss stops the run naming the step and the learning rate", () => {
  const task = regression([[0, 1]]);
  const nan: TrainingTask<number[]> = { ...task, loss: () => tf.scalar(NaN).mul(task.w) as tf.Scalar };
  assert.throws(() => train(nan, { steps: 3, lr: 0.1 }), /loss is NaN at step 1 \(learning rate .*\): lower --lr/);
  tf.dispose([task.w, task.b]);
});
