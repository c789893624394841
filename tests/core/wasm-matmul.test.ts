// The course's wasm `BatchMatMul` honours the op's whole contract: batch broadcasting, transposes, size-0 and
// size-1 dimensions, ranks 2–5; other dtypes behave as plain tfjs-wasm. Reference: tfjs's `cpu` backend on
// inputs broadcast to the full batch shape beforehand (its own batch broadcasting is wrong, see kernel-parity.ts).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { initBackend, registerWasmTrainingKernels } from "../../lib/core";
import { planMatMul } from "../../lib/core/wasm-matmul";
import { matMulCase, matMulSameAsCpu as sameAsCpu } from "./kernel-parity";

// The wasm-only path (the native BLAS kernels have their own tests in native-kernels.test.ts).
before(async () => {
  await initBackend({ backend: "wasm" });
  registerWasmTrainingKernels({ native: false });
});


test("broadcast batch [2,4,3,3]·[4,3,3] equals cpu (issue #11, part 3)", async () => {
  await sameAsCpu({ aShape: [2, 4, 3, 3], bShape: [4, 3, 3], transposeA: false, transposeB: false, seed: 11 });
});

test("the mirror case [4,3,3]·[2,4,3,3] equals cpu and fills the whole output", async () => {
  await sameAsCpu({ aShape: [4, 3, 3], bShape: [2, 4, 3, 3], transposeA: false, transposeB: false, seed: 12 });
});

test("batches that broadcast both ways ([4,1]·[1,3] batches) equal cpu, with transposes", async () => {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    const aShape = [4, 1, ...(ta ? [5, 2] : [2, 5])];
    const bShape = [3, ...(tb ? [2, 5] : [5, 2])];
    await sameAsCpu({ aShape, bShape, transposeA: ta, transposeB: tb, seed: 13 });
  }
});

test("K = 0 gives zeros and empty batches give empty outputs", async () => {
  await sameAsCpu({ aShape: [2, 3, 0], bShape: [2, 0, 4], transposeA: false, transposeB: false, seed: 1 });
  await sameAsCpu({ aShape: [0, 3, 2], bShape: [2, 4], transposeA: false, transposeB: false, seed: 2 });
  await sameAsCpu({ aShape: [2, 1, 3, 2], bShape: [0, 2, 4], transposeA: false, transposeB: false, seed: 3 });
});

test("property: random shapes (rank 2–5, broadcast, size 0 and 1, transposes) equal cpu", async () => {
  await fc.assert(fc.asyncProperty(matMulCase, sameAsCpu), { numRuns: 300, seed: 20261130 });
});

test("non-float32 inputs behave as plain tfjs-wasm (its error), not silently wrong", async () => {
  await initBackend({ backend: "wasm" });
  assert.throws(() => tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]], [1, 2], "int32"), tf.tensor2d([[3], [4]], [2, 1], "int32")).dataSync()), /non-float32/);
});

test("mismatched inner or batch dimensions are refused with tfjs's messages", async () => {
  await initBackend({ backend: "wasm" });
  assert.throws(() => planMatMul([2, 3], [4, 5], false, false), /inner shapes \(3\) and \(4\)/);
  assert.throws(() => planMatMul([2, 3, 4], [3, 4, 5], false, false), /broadcast/i);
  assert.throws(() => tf.tidy(() => tf.matMul(tf.ones([2, 2, 3]), tf.ones([3, 3, 4]))), /broadcast/i);
});

test("the wasm BatchMatMul leaves no tensor behind, broadcasting or not", async () => {
  await initBackend({ backend: "wasm" });
  const before = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  for (const c of [[[4, 8, 16], [4, 8, 16]], [[2, 4, 3, 3], [4, 3, 3]], [[3, 5], [2, 5, 4]]] as const) {
    tf.tidy(() => tf.matMul(tf.ones(c[0] as unknown as number[]), tf.ones(c[1] as unknown as number[]), false, c[0].length === 3 && c[1].length === 3).dataSync());
  }
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.memory().numBytes, bytes);
});
