// Helpers for kernel property tests: run one tensor program on the course's wasm backend (with its kernel
// overrides) and on tfjs's reference `cpu` backend, and random shapes for batched products.
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";

/** Runs `f` on wasm, then on cpu; returns both results (wasm stays the backend afterwards). */
export async function onWasmAndCpu<T>(f: () => T): Promise<{ wasm: T; cpu: T }> {
  await initBackend({ backend: "wasm" });
  const wasm = f();
  await tf.setBackend("cpu");
  try {
    return { wasm, cpu: f() };
  } finally {
    await tf.setBackend("wasm");
  }
}

/** Deterministic values in (−1, 1) from `seed` (a small LCG: tests need reproducible, not random, numbers). */
export function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = (seed >>> 0) || 1;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Shape and values of a tensor, for comparing across backends. */
export function snapshot(t: tf.Tensor): { shape: number[]; dtype: string; data: number[] } {
  return { shape: t.shape, dtype: t.dtype, data: [...t.dataSync()] };
}

/** Asserts equal shapes and dtypes and values within `atol + rtol·|expected|`. */
export function assertClose(actual: ReturnType<typeof snapshot>, expected: ReturnType<typeof snapshot>, label: string, atol = 1e-5, rtol = 1e-4): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  actual.data.forEach((v, i) => {
    const e = expected.data[i] as number;
    assert.ok(Math.abs(v - e) <= atol + rtol * Math.abs(e), `${label}: element ${i} is ${v}, cpu has ${e}`);
  });
}

export interface MatMulCase {
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
  seed: number;
}

/**
 * Random `BatchMatMul` inputs of rank 2–5: a broadcast batch shape of rank 0–3 whose dims are 0–3, each side
 * keeping a suffix of it with some dims set to 1 (broadcast); M, K, N in 0–6 (so size-0 and size-1 occur).
 */
export const matMulCase: fc.Arbitrary<MatMulCase> = fc
  .record({
    batch: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    dropA: fc.integer({ min: 0, max: 3 }),
    dropB: fc.integer({ min: 0, max: 3 }),
    onesA: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    onesB: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    m: fc.integer({ min: 0, max: 6 }),
    k: fc.integer({ min: 0, max: 6 }),
    n: fc.integer({ min: 0, max: 6 }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ batch, dropA, dropB, onesA, onesB, m, k, n, transposeA, transposeB, seed }) => {
    const side = (drop: number, ones: boolean[]) => batch.slice(Math.min(drop, batch.length)).map((d, i) => (ones[i] ? 1 : d));
    return {
      aShape: [...side(dropA, onesA), ...(transposeA ? [k, m] : [m, k])],
      bShape: [...side(dropB, onesB), ...(transposeB ? [n, k] : [k, n])],
      transposeA,
      transposeB,
      seed,
    };
  });

/**
 * `tf.matMul` of the case on the current backend, as a snapshot (no tensor left behind).
 * @param expandBatches broadcast both inputs to the full batch shape first. The reference needs it: tfjs 4.22's
 *   `cpu` (and original wasm) kernels pair batches by `index % batchSize`, right only when one side's batch is
 *   a suffix of the other's — for `[4,1,2,5]·[3,5,2]` cpu returns 16 of the 48 values NumPy gives.
 */
export function runMatMul({ aShape, bShape, transposeA, transposeB, seed }: MatMulCase, expandBatches = false): ReturnType<typeof snapshot> {
  return tf.tidy(() => {
    let a: tf.Tensor = tf.tensor(values(aShape.reduce((x, y) => x * y, 1), seed), aShape);
    let b: tf.Tensor = tf.tensor(values(bShape.reduce((x, y) => x * y, 1), seed + 1), bShape);
    if (expandBatches) {
      const batch = tf.backend_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
      a = tf.broadcastTo(a, [...batch, ...aShape.slice(-2)]);
      b = tf.broadcastTo(b, [...batch, ...bShape.slice(-2)]);
    }
    return snapshot(tf.matMul(a, b, transposeA, transposeB));
  });
}

/** Asserts that `tf.matMul` of the case on wasm equals the reference (cpu on batch-broadcast inputs). */
export async function matMulSameAsCpu(c: MatMulCase): Promise<void> {
  let first = true; // wasm runs the op as given; cpu, the reference, gets its batches broadcast beforehand
  const { wasm, cpu } = await onWasmAndCpu(() => {
    const out = runMatMul(c, !first);
    first = false;
    return out;
  });
  assertClose(wasm, cpu, `[${c.aShape}]·[${c.bShape}] transposeA=${c.transposeA} transposeB=${c.transposeB}`);
}
