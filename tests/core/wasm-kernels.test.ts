import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { initBackend } from "../../lib/core";
import { assertClose, onWasmAndCpu, snapshot, values } from "./kernel-parity";

async function onBoth<T>(f: () => T): Promise<{ wasm: T; cpu: T }> {
  await initBackend({ backend: "wasm" });
  const wasm = f();
  await tf.setBackend("cpu");
  const cpu = f();
  await tf.setBackend("wasm");
  return { wasm, cpu };
}

test("UnsortedSegmentSum on wasm equals cpu, dropping out-of-range ids", async () => {
  const x = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]];
  const ids = [2, 0, 2, -1, 7]; // -1 and 7 fall outside [0, 4)
  const { wasm, cpu } = await onBoth(() => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, "int32"), 4).arraySync()));
  assert.deepEqual(wasm, [[3, 4], [0, 0], [6, 8], [0, 0]]);
  assert.deepEqual(wasm, cpu);
});

test("the gradient of an embedding lookup works on wasm and matches cpu", async () => {
  const grad = () =>
    tf.tidy(() => {
      const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const ids = tf.tensor2d([[0, 2], [2, 2]], [2, 2], "int32");
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.tensor1d([1, 10]))))(table);
      return g.arraySync();
    });
  const { wasm, cpu } = await onBoth(grad);
  assert.deepEqual(wasm, [[1, 10], [0, 0], [3, 30]]);
  assert.deepEqual(wasm, cpu);
});

test("BatchMatMul on wasm equals cpu for every transpose and batch layout", async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 3], [3, 4], false, false],
    [[5, 3], [4, 3], false, true],
    [[3, 5], [3, 4], true, false],
    [[3, 5], [4, 3], true, true],
    [[2, 5, 3], [3, 4], false, false], // batch against one shared matrix
    [[2, 5, 3], [1, 3, 4], false, false],
    [[2, 3, 5], [2, 4, 3], true, true],
    [[2, 2, 5, 3], [2, 2, 4, 3], false, true], // [B, N, T, D]·[B, N, T, D]ᵀ as attention does
    [[5, 3], [2, 3, 4], false, false], // a shared left matrix
  ];
  for (const [shapeA, shapeB, ta, tb] of cases) {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor(Array.from({ length: shapeA.reduce((x, y) => x * y) }, (_, i) => Math.sin(i + 1)), shapeA);
        const b = tf.tensor(Array.from({ length: shapeB.reduce((x, y) => x * y) }, (_, i) => Math.cos(i * 0.7)), shapeB);
        const c = tf.matMul(a, b, ta, tb);
        return { shape: c.shape, values: [...c.dataSync()] };
      });
    const { wasm, cpu } = await onBoth(run);
    assert.deepEqual(wasm.shape, cpu.shape, `${shapeA}·${shapeB} ${ta} ${tb}`);
    wasm.values.forEach((v, i) => assert.ok(Math.abs(v - (cpu.values[i] as number)) < 1e-4, `${shapeA}·${shapeB} ${ta} ${tb} at ${i}`));
  }
});

test("the fast BatchMatMul leaves no tensor behind", async () => {
  await initBackend({ backend: "wasm" });
  const a = tf.ones([4, 8, 16]);
  const b = tf.ones([4, 8, 16]);
  const before = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  tf.tidy(() => tf.matMul(a, b, false, true).dataSync());
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.memory().numBytes, bytes);
  tf.dispose([a, b]);
});

test("property: UnsortedSegmentSum equals cpu on random shapes (size 0 and 1, int32, ids out of range)", async () => {
  const arb = fc.record({
    rows: fc.integer({ min: 0, max: 6 }),
    inner: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
    numSegments: fc.integer({ min: 1, max: 5 }),
    int: fc.boolean(),
    seed: fc.integer(),
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ rows, inner, numSegments, int, seed }) => {
      const shape = [rows, ...inner];
      const count = shape.reduce((a, b) => a * b, 1);
      const ids = Array.from(values(rows, seed), (v) => Math.floor((v + 1) * (numSegments + 1)) - 1); // −1 … numSegments
      const data = Array.from(values(count, seed + 1), (v) => (int ? Math.round(v * 10) : v));
      const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(tf.unsortedSegmentSum(tf.tensor(data, shape, int ? "int32" : "float32"), tf.tensor1d(ids, "int32"), numSegments))));
      // TensorFlow's UnsortedSegmentSum keeps x's dtype (wasm does); tfjs's cpu kernel upcasts int32 to float32.
      assert.equal(wasm.dtype, int ? "int32" : "float32");
      assertClose({ ...wasm, dtype: cpu.dtype }, cpu, `x [${shape}] ids [${ids}] numSegments ${numSegments}`);
    }),
    { numRuns: 150, seed: 7 },
  );
});
