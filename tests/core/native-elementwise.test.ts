// The native element-wise kernels (`Exp`, `Erf`, `Softmax`, `Sum`, `Add`, `Sub`, `Multiply`, `RealDiv` on the wasm heap) equal tfjs's `cpu` backend on
// random shapes (size 0 and 1 included) and on the values that break approximations (±0, ±Inf, NaN, under- and
// overflow), and leave nothing behind.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { initBackend, registerWasmTrainingKernels } from "../../lib/core";
import { assertClose, onWasmAndCpu, snapshot, values } from "./kernel-parity";

before(async () => {
  await initBackend({ backend: "wasm" });
  const status = registerWasmTrainingKernels({ native: true });
  assert.ok(status.active, `native kernels unavailable: ${status.reason}. Fix: ${status.fix}`);
});

const shape = fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 4 });
const scale = fc.constantFrom(1, 10, 100);

/** Same NaNs, same infinities, finite values within tolerance. */
function assertSame(wasm: ReturnType<typeof snapshot>, cpu: ReturnType<typeof snapshot>, label: string, atol = 1e-6, rtol = 2e-6): void {
  assert.deepEqual(wasm.shape, cpu.shape, label);
  wasm.data.forEach((v, i) => {
    const e = cpu.data[i] as number;
    if (Number.isNaN(e) || !Number.isFinite(e)) assert.ok(Object.is(v, e) || (Number.isNaN(v) && Number.isNaN(e)), `${label}: element ${i} is ${v}, cpu has ${e}`);
  });
  const finite = (s: typeof wasm) => ({ ...s, data: s.data.map((v, i) => (Number.isFinite(cpu.data[i]) ? v : 0)) });
  assertClose(finite(wasm), finite(cpu), label, atol, rtol);
}

for (const [name, op] of [["Exp", tf.exp], ["Erf", tf.erf]] as const) {
  test(`property: native ${name} equals cpu on random shapes and scales`, async () => {
    await fc.assert(
      fc.asyncProperty(shape, scale, fc.integer(), async (s, k, seed) => {
        const count = s.reduce((a, b) => a * b, 1);
        const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(op(tf.mul(tf.tensor(values(count, seed), s), k)))));
        assertSame(wasm, cpu, `${name} [${s}] ×${k}`);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  test(`native ${name} handles ±0, ±Inf, NaN, under- and overflow as cpu does`, async () => {
    const special = [0, -0, Infinity, -Infinity, NaN, 88, 88.5, 89, -87, -87.5, -88, -103, -104, 1e-30, -1e-30, 3.4e38, -3.4e38, 0.5, -0.5, 5, -5, 10, -10];
    const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(op(tf.tensor1d(special)))));
    // Below −87.34 exp's results are subnormal (< 1.2e-38): absolute error only there. Erf is A&S 7.1.26
    // (|error| ≤ 1.5e-7) evaluated in float32 here, in double by cpu: near 0, 1 − 0.99999999 cancels.
    assertSame(wasm, cpu, `${name} of ${special}`, name === "Exp" ? 1.2e-38 : 1.5e-7);
  });
}

test("property: native Softmax equals cpu over the last axis (rank 1–4, size 0 and 1, masked −1e4 entries)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }), scale, fc.integer(), fc.boolean(), async (s, k, seed, masked) => {
      const count = s.reduce((a, b) => a * b, 1);
      const { wasm, cpu } = await onWasmAndCpu(() =>
        tf.tidy(() => {
          let x = tf.mul(tf.tensor(values(count, seed), s), k);
          if (masked) x = tf.where(tf.greater(tf.tensor(values(count, seed + 1), s), 0.5), tf.fill(s, -1e4), x); // as attention masks padding
          return snapshot(tf.softmax(x));
        }),
      );
      assertSame(wasm, cpu, `softmax [${s}] ×${k}${masked ? " masked" : ""}`);
    }),
    { numRuns: 200, seed: 4 },
  );
});

test("property: native Sum equals cpu over any axes (contiguous or not, keepDims, negative, size 0 and 1)", async () => {
  const arb = fc
    .array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 })
    .chain((s) => fc.record({ s: fc.constant(s), axes: fc.option(fc.subarray(s.map((_, i) => i), { minLength: 1 })), negative: fc.boolean(), keepDims: fc.boolean(), seed: fc.integer() }));
  await fc.assert(
    fc.asyncProperty(arb, async ({ s, axes, negative, keepDims, seed }) => {
      const axis = axes === null ? undefined : axes.map((a) => (negative ? a - s.length : a));
      const count = s.reduce((a, b) => a * b, 1);
      const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(tf.sum(tf.tensor(values(count, seed), s), axis, keepDims))));
      assertSame(wasm, cpu, `sum [${s}] axis ${axis} keepDims ${keepDims}`, 1e-5, 1e-5);
    }),
    { numRuns: 300, seed: 5 },
  );
});

test("Sum of a long column (the bias gradient of 65536 rows) keeps cpu's double-precision accuracy", async () => {
  const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(tf.sum(tf.add(tf.tensor(values(65536 * 4, 2), [65536, 4]), 0.1), 0))));
  assertSame(wasm, cpu, "sum over 65536 rows", 1e-6, 1e-6);
});

test("property: native Add, Sub, Multiply and RealDiv equal cpu with NumPy broadcasting (size 0 and 1, rank 0–5)", async () => {
  const arb = fc
    .array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 })
    .chain((out) =>
      fc.record({
        out: fc.constant(out),
        dropA: fc.integer({ min: 0, max: out.length }),
        dropB: fc.integer({ min: 0, max: out.length }),
        onesA: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
        onesB: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
        op: fc.constantFrom("add", "sub", "mul", "div"),
        seed: fc.integer(),
      }),
    );
  await fc.assert(
    fc.asyncProperty(arb, async ({ out, dropA, dropB, onesA, onesB, op, seed }) => {
      const side = (drop: number, ones: boolean[]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
      const [sa, sb] = [side(dropA, onesA), side(dropB, onesB)];
      const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
      const f = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div }[op];
      const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(f(tf.tensor(values(count(sa), seed), sa), tf.tensor(values(count(sb), seed + 1), sb)))));
      assertSame(wasm, cpu, `${op} [${sa}] [${sb}]`, 1e-6, 1e-6);
    }),
    { numRuns: 400, seed: 6 },
  );
});

test("binary ops keep IEEE semantics: x/0, 0/0, Inf−Inf, NaN", async () => {
  const { wasm, cpu } = await onWasmAndCpu(() =>
    tf.tidy(() => {
      const a = tf.tensor1d([1, -1, 0, Infinity, NaN, 2]);
      const b = tf.tensor1d([0, 0, 0, Infinity, 1, -0]);
      return [tf.div(a, b), tf.sub(a, b), tf.mul(a, b), tf.add(a, b)].map(snapshot);
    }),
  );
  wasm.forEach((w, i) => assertSame(w, cpu[i] as ReturnType<typeof snapshot>, `op ${i}`));
});

test("int32 Add stays int32 (tfjs's own kernel)", async () => {
  const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(tf.add(tf.tensor1d([1, 2], "int32"), tf.tensor1d([3, 4], "int32")))));
  assert.equal(wasm.dtype, "int32");
  assertSame(wasm, cpu, "int32 add");
});

test("gradients through native Exp, Erf and Softmax equal cpu's", async () => {
  const grads = () =>
    tf.tidy(() => {
      const x = tf.tensor(values(3 * 5 * 7, 9), [3, 5, 7]);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.softmax(tf.mul(t, 3)), tf.erf(t)), tf.exp(tf.sin(t))));
      return snapshot(tf.grad(f)(x));
    });
  const { wasm, cpu } = await onWasmAndCpu(grads);
  assertClose(wasm, cpu, "gradient", 1e-5, 1e-4);
});

test("int32 input to Exp goes to tfjs's own kernel (float32 out, as cpu)", async () => {
  const { wasm, cpu } = await onWasmAndCpu(() => tf.tidy(() => snapshot(tf.exp(tf.tensor1d([0, 1, 2], "int32")))));
  assertSame(wasm, cpu, "exp int32");
});

test("the native element-wise kernels leave no tensor behind", async () => {
  await initBackend({ backend: "wasm" });
  const before = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  tf.tidy(() => {
    const x = tf.ones([4, 9]);
    tf.exp(x).dataSync();
    tf.erf(x).dataSync();
    tf.softmax(x).dataSync();
    tf.sum(x, 0).dataSync();
    tf.mul(x, tf.ones([9])).dataSync();
  });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.memory().numBytes, bytes);
});
