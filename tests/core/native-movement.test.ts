// The native data-movement kernels (`GatherV2`, `Transpose`, `UnsortedSegmentSum` on the wasm heap) equal tfjs's
// `cpu` backend on random shapes (size 0 and 1, any axis, batchDims, float32, int32 and bool), refuse bad indices
// as tfjs does, leave nothing behind, and agree with the wasm-only path (no addon).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { initBackend, registerWasmTrainingKernels } from "../../lib/core";
import { transposeLoops } from "../../lib/core/native-kernels";
import { assertClose, onWasmAndCpu, snapshot, values } from "./kernel-parity";

before(async () => {
  await initBackend({ backend: "wasm" });
  const status = registerWasmTrainingKernels({ native: true });
  assert.ok(status.active, `native kernels unavailable: ${status.reason}. Fix: ${status.fix}`);
});

const dtype = fc.constantFrom<"float32" | "int32" | "bool">("float32", "int32", "bool");

/** A tensor of `dtype` with deterministic values (int32 in [−50, 50), bool from the sign). */
function tensorOf(shape: number[], type: "float32" | "int32" | "bool", seed: number): tf.Tensor {
  const v = values(shape.reduce((a, b) => a * b, 1), seed);
  if (type === "float32") return tf.tensor(v, shape);
  if (type === "int32") return tf.tensor(Int32Array.from(v, (x) => Math.floor(x * 50)), shape, "int32");
  return tf.tensor(Uint8Array.from(v, (x) => (x > 0 ? 1 : 0)), shape, "bool");
}

/** x of rank 1–4, an axis, batchDims ≤ axis, and int32 indices `[...x.shape[:batchDims], ...extra]` inside `[0, x.shape[axis])`. */
const gatherCase = fc
  .record({ shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), extra: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), seed: fc.integer() })
  .chain(({ shape, extra, seed }) =>
    fc.record({
      shape: fc.constant(shape),
      extra: fc.constant(extra),
      seed: fc.constant(seed),
      axis: fc.integer({ min: 0, max: shape.length - 1 }),
      negative: fc.boolean(),
      batchDims: fc.integer({ min: 0, max: shape.length - 1 }),
      dtype,
    }),
  )
  // batchDims ≤ axis; over an empty batch tfjs's cpu kernel fails (it reshapes the indices to [0, NaN]).
  .map((c) => ({ ...c, batchDims: c.shape.slice(0, Math.min(c.batchDims, c.axis)).includes(0) ? 0 : Math.min(c.batchDims, c.axis) }));

test("property: native GatherV2 equals cpu (rank 1–4, any axis, negative axis, batchDims, size 0 and 1, float32/int32/bool)", async () => {
  await fc.assert(
    fc.asyncProperty(gatherCase, async ({ shape, extra, seed, axis, negative, batchDims, dtype: type }) => {
      const dim = shape[axis] as number;
      // With nothing to index on the axis, only an empty index list is valid.
      const indicesShape = [...shape.slice(0, batchDims), ...(dim === 0 ? [0] : extra)];
      const count = indicesShape.reduce((a, b) => a * b, 1);
      const ids = Int32Array.from(values(count, seed + 7), (v) => Math.floor(((v + 1) / 2) * dim) % Math.max(dim, 1));
      const label = `gather [${shape}] ${type} by [${indicesShape}] axis ${axis} batchDims ${batchDims}`;
      const { wasm, cpu } = await onWasmAndCpu(() =>
        tf.tidy(() => snapshot(tf.gather(tensorOf(shape, type, seed), tf.tensor(ids, indicesShape, "int32"), negative ? axis - shape.length : axis, batchDims))),
      );
      assert.deepEqual(wasm, cpu, label);
    }),
    { numRuns: 400, seed: 21 },
  );
});

test("the embedding lookup and the MLM's gathered positions equal cpu (a [10000, 128] table, 16×128 ids; 304 rows of [2048, 128])", async () => {
  const { wasm, cpu } = await onWasmAndCpu(() =>
    tf.tidy(() => {
      const table = tf.tensor(values(10000 * 128, 3), [10000, 128]);
      const ids = tf.tensor(Int32Array.from(values(16 * 128, 4), (v) => Math.floor((v + 1) * 4999.5)), [16, 128], "int32");
      const flat = tf.gather(table, ids).reshape([2048, 128]);
      const positions = tf.tensor(Int32Array.from(values(304, 5), (v) => Math.floor((v + 1) * 1023.5)), [304], "int32");
      return [snapshot(tf.sum(flat, 1)), snapshot(tf.gather(flat, positions))];
    }),
  );
  assert.deepEqual(wasm, cpu);
});

test("GatherV2 refuses an index outside [0, dim) with tfjs's message and leaves nothing allocated", async () => {
  const cases = [[0, 4], [1, -1, 2]];
  await tf.setBackend("cpu");
  const cpuMessages = cases.map((ids) => {
    try {
      tf.tidy(() => tf.gather(tf.ones([4, 3]), tf.tensor1d(ids, "int32")));
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  });
  await initBackend({ backend: "wasm" });
  const x = tf.ones([4, 3]);
  const bad = cases.map((ids) => tf.tensor1d(ids, "int32"));
  const backend = tf.backend() as BackendWasm;
  const [tensors, ids] = [tf.memory().numTensors, backend.numDataIds()];
  bad.forEach((indices, i) => {
    assert.match(cpuMessages[i] as string, /GatherV2: the index value -?\d is not in \[0, 3\]/);
    assert.throws(() => tf.gather(x, indices), { message: cpuMessages[i] });
  });
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(backend.numDataIds(), ids);
  tf.dispose([x, ...bad]);
});

/** A shape of rank 0–5 (dims 0–4, sometimes 17–40 so that the tiled path runs) and a permutation of its axes. */
const transposeCase = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 17, max: 40 }) }), { maxLength: 5 })
  .filter((s) => s.reduce((a, b) => a * b, 1) <= 20000)
  .chain((shape) => fc.record({ shape: fc.constant(shape), perm: fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }), dtype, seed: fc.integer() }));

test("property: native Transpose equals cpu (rank 0–5, size 0 and 1, tiled last axes, float32/int32/bool)", async () => {
  await fc.assert(
    fc.asyncProperty(transposeCase, async ({ shape, perm, dtype: type, seed }) => {
      const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(tf.transpose(tensorOf(shape, type, seed), perm))));
      assert.deepEqual(wasm, cpu, `transpose [${shape}] ${type} by [${perm}]`);
    }),
    { numRuns: 400, seed: 22 },
  );
});

test("the attention heads' split and merge, a matrix transpose and tiled int32 and bool transposes equal cpu", async () => {
  const { wasm, cpu } = await onWasmAndCpu(() =>
    tf.tidy(() => {
      const heads = tf.tensor(values(16 * 128 * 2 * 64, 6), [16, 128, 2, 64]);
      const split = tf.transpose(heads, [0, 2, 1, 3]);
      const tiled = ["float32", "int32", "bool"].map((type) => snapshot(tf.transpose(tensorOf([3, 33, 20], type as "bool", 9), [0, 2, 1]))); // cache tiles, every element size
      return [snapshot(split), snapshot(tf.transpose(split, [0, 2, 1, 3])), snapshot(tf.transpose(tf.tensor(values(300 * 129, 7), [300, 129]))), ...tiled];
    }),
  );
  assert.deepEqual(wasm, cpu);
});

test("a transpose that moves nothing shares the buffer (and outlives its source); size-1 axes count as nothing", async () => {
  await initBackend({ backend: "wasm" });
  assert.deepEqual(transposeLoops([3, 1, 4], [1, 0, 2]).dims, [[12, 1]]);
  assert.deepEqual(transposeLoops([2, 3, 4], [0, 2, 1]).dims, [[2, 12], [4, 1], [3, 4]]);
  const x = tf.tensor(values(12, 8), [3, 1, 4]);
  const expected = [...x.dataSync()];
  const y = tf.transpose(x, [1, 0, 2]);
  assert.equal(y.dataId, x.dataId);
  assert.deepEqual(y.shape, [1, 3, 4]);
  x.dispose();
  assert.deepEqual([...y.dataSync()], expected);
  y.dispose();
});

test("property: native UnsortedSegmentSum equals cpu (ids out of range and negative dropped, size 0 and 1, rank 1–3)", async () => {
  // 1-D ids, as gather's gradient passes them: tfjs's cpu kernel sums over axis 0 only (wrong for ids of rank 2).
  const arb = fc.record({
    rows: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 1 }),
    inner: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
    segments: fc.integer({ min: 1, max: 6 }), // 0: tfjs's cpu kernel fails (it packs an empty list)
    seed: fc.integer(),
    type: fc.constantFrom<"float32" | "int32">("float32", "int32"),
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ rows, inner, segments, seed, type }) => {
      const count = rows.reduce((a, b) => a * b, 1);
      const ids = Int32Array.from(values(count, seed + 1), (v) => Math.floor(v * (segments + 2))); // some < 0, some ≥ segments
      const { wasm, cpu } = await onWasmAndCpu(() =>
        tf.tidy(() => snapshot(tf.unsortedSegmentSum(tensorOf([...rows, ...inner], type, seed), tf.tensor1d(ids, "int32"), segments))),
      );
      // int32 sums stay int32 here, as in TensorFlow (the JS kernel); tfjs's cpu kernel returns float32.
      assertClose(wasm, { ...cpu, dtype: type }, `segment sum [${rows}|${inner}] ${type} into ${segments}`, 1e-6, 1e-6);
    }),
    { numRuns: 300, seed: 23 },
  );
});

test("UnsortedSegmentSum with ids of rank 2 follows TensorFlow: out[ids[i, j], ...] += x[i, j, ...]", async () => {
  await initBackend({ backend: "wasm" });
  const out = tf.tidy(() => snapshot(tf.unsortedSegmentSum(tf.tensor3d([[[1], [2]], [[3], [4]]]), tf.tensor2d([[0, 1], [1, 2]], [2, 2], "int32") as unknown as tf.Tensor1D, 3))); // ids typed 1-D, any rank runs
  assert.deepEqual(out, { shape: [3, 1], dtype: "float32", data: [1, 5, 4] });
});

/** An embedding lookup, the gathered positions and a head split, and their gradients (GatherV2, UnsortedSegmentSum, Transpose). */
function embeddingProgram(): ReturnType<typeof snapshot>[] {
  return tf.tidy(() => {
    const table = tf.tensor(values(50 * 8, 11), [50, 8]);
    const ids = tf.tensor(Int32Array.from(values(3 * 5, 12), (v) => Math.floor((v + 1) * 24.5)), [3, 5], "int32");
    const positions = tf.tensor1d([0, 4, 4, 14, 7], "int32");
    const f = (w: tf.Tensor) => {
      const h = tf.gather(w, ids).reshape([3, 5, 2, 4]).transpose([0, 2, 1, 3]); // [B, N, T, D]
      const flat = h.transpose([0, 2, 1, 3]).reshape([15, 8]);
      return tf.sum(tf.mul(tf.sin(tf.gather(flat, positions)), tf.range(0, 8)));
    };
    const { value, grad } = tf.valueAndGrad(f)(table);
    return [snapshot(value), snapshot(grad)];
  });
}

test("gradients through gather, its segment sum and transposes equal cpu's", async () => {
  const { wasm, cpu } = await onWasmAndCpu(embeddingProgram);
  wasm.forEach((g, i) => assertClose(g, cpu[i] as ReturnType<typeof snapshot>, `output ${i}`, 1e-6, 1e-5));
});

test("without the addon (native: false) tfjs's own wasm kernels run and agree", async () => {
  await initBackend({ backend: "wasm" });
  const native = embeddingProgram();
  const kernel = () => tf.getKernel(tf.GatherV2, "wasm")?.kernelFunc;
  const nativeGather = kernel();
  registerWasmTrainingKernels({ native: false });
  try {
    assert.notEqual(kernel(), nativeGather);
    embeddingProgram().forEach((g, i) => assertClose(g, native[i] as ReturnType<typeof snapshot>, `output ${i}`, 1e-6, 1e-6));
  } finally {
    registerWasmTrainingKernels({ native: true });
  }
});

test("the native data-movement kernels leave no tensor behind", async () => {
  await initBackend({ backend: "wasm" });
  const backend = tf.backend() as BackendWasm;
  const [tensors, bytes, ids] = [tf.memory().numTensors, tf.memory().numBytes, backend.numDataIds()];
  embeddingProgram();
  tf.tidy(() => {
    tf.transpose(tf.ones([2, 3]), [1, 0]).dataSync();
    tf.transpose(tf.ones([2, 1]), [1, 0]).dataSync();
    tf.gather(tf.ones([4, 2]), tf.tensor1d([3, 0], "int32")).dataSync();
  });
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.memory().numBytes, bytes);
  assert.equal(backend.numDataIds(), ids);
});
