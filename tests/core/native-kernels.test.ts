// The native BLAS kernels (`@llm-course/native`) on the wasm heap: `BatchMatMul` and `_FusedMatMul` equal
// tfjs's `cpu` backend on random shapes (broadcast batches, transposes, size-0/1 dims, ranks 2–5, every fused
// activation, broadcast bias and PReLU weights), leave nothing behind, and the course falls back to wasm with
// a notice when the addon is off.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { initBackend, registerWasmTrainingKernels } from "../../lib/core";
import { assertClose, matMulCase, matMulSameAsCpu, onWasmAndCpu, snapshot, values, type MatMulCase } from "./kernel-parity";

before(async () => {
  await initBackend({ backend: "wasm" });
  const status = registerWasmTrainingKernels({ native: true });
  // CI installs libopenblas-dev, so the addon must be here; elsewhere this says what to install.
  assert.ok(status.active, `native kernels unavailable: ${status.reason}. Fix: ${status.fix}`);
});

test("the backend report names the BLAS and its threads", async () => {
  const status = registerWasmTrainingKernels({ native: true });
  assert.match(status.blas ?? "", /OpenBLAS|Accelerate/);
  assert.ok((status.threads ?? 0) >= 1);
});

test("broadcast batches [2,4,3,3]·[4,3,3] and the mirror equal cpu on the native path", async () => {
  await matMulSameAsCpu({ aShape: [2, 4, 3, 3], bShape: [4, 3, 3], transposeA: false, transposeB: false, seed: 11 });
  await matMulSameAsCpu({ aShape: [4, 3, 3], bShape: [2, 4, 3, 3], transposeA: false, transposeB: true, seed: 12 });
  await matMulSameAsCpu({ aShape: [4, 1, 5, 2], bShape: [3, 5, 2], transposeA: true, transposeB: false, seed: 13 });
});

test("property: native BatchMatMul equals cpu on random shapes (rank 2–5, broadcast, size 0 and 1, transposes)", async () => {
  await fc.assert(fc.asyncProperty(matMulCase, matMulSameAsCpu), { numRuns: 300, seed: 20261130 });
});

test("attention-sized batched products (each on one BLAS thread) equal cpu and leave the BLAS's threads as they were", async () => {
  const threads = registerWasmTrainingKernels({ native: true, threads: 2 }).threads;
  await matMulSameAsCpu({ aShape: [2, 4, 32, 16], bShape: [2, 4, 32, 16], transposeA: false, transposeB: true, seed: 31 });
  await matMulSameAsCpu({ aShape: [3, 64, 64], bShape: [3, 64, 40], transposeA: false, transposeB: false, seed: 32 });
  assert.equal(registerWasmTrainingKernels({ native: true }).threads, threads);
});

test("large products (the BLAS's blocked paths) equal cpu", async () => {
  for (const [aShape, bShape, ta, tb] of [[[300, 257], [257, 129], false, false], [[2, 130, 70], [2, 90, 70], false, true], [[257, 64], [257, 33], true, false]] as const) {
    await matMulSameAsCpu({ aShape: [...aShape], bShape: [...bShape], transposeA: ta, transposeB: tb, seed: 5 });
  }
});

const ACTIVATIONS = ["linear", "relu", "relu6", "sigmoid", "leakyrelu", "elu", "prelu"] as const;
type Activation = (typeof ACTIVATIONS)[number];

/** A shape that broadcasts to `[...batch, M, N]`: a random suffix of it with some dims set to 1. */
function operandShape(out: number[], keep: number, ones: boolean[]): number[] {
  return out.slice(out.length - Math.min(keep, out.length)).map((d, i) => (ones[i] ? 1 : d));
}

/**
 * `tf.fused.matMul` inputs in the domain tfjs's fused op supports (it flattens batch dims before the kernel and
 * checks the bias against the unflattened output): one side's batch is a suffix of the other's (or absent),
 * bias and PReLU weights of rank ≤ 2 that broadcast to `[M, N]`, any activation.
 */
const fusedCase = fc
  .record({
    batch: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
    drop: fc.integer({ min: 0, max: 2 }),
    bSide: fc.boolean(),
    m: fc.integer({ min: 0, max: 5 }),
    k: fc.integer({ min: 0, max: 5 }),
    n: fc.integer({ min: 0, max: 5 }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    seed: fc.integer(),
    activation: fc.constantFrom(...ACTIVATIONS),
    bias: fc.option(fc.record({ keep: fc.integer({ min: 0, max: 2 }), ones: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }) })),
    prelu: fc.record({ keep: fc.integer({ min: 0, max: 2 }), ones: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }) }),
    alpha: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ batch, drop, bSide, m, k, n, transposeA, transposeB, seed, activation, bias, prelu, alpha }) => {
    const short = batch.slice(Math.min(drop, batch.length));
    const [batchA, batchB] = bSide ? [batch, short] : [short, batch];
    const product: MatMulCase = {
      aShape: [...batchA, ...(transposeA ? [k, m] : [m, k])],
      bShape: [...batchB, ...(transposeB ? [n, k] : [k, n])],
      transposeA,
      transposeB,
      seed,
    };
    return {
      product,
      activation,
      biasShape: bias === null ? undefined : operandShape([m, n], bias.keep, bias.ones),
      preluShape: operandShape([m, n], prelu.keep, prelu.ones),
      alpha,
    };
  });

function activate(x: tf.Tensor, activation: Activation, alpha: number, prelu: tf.Tensor): tf.Tensor {
  switch (activation) {
    case "linear": return x;
    case "relu": return tf.relu(x);
    case "relu6": return tf.relu6(x);
    case "sigmoid": return tf.sigmoid(x);
    case "leakyrelu": return tf.leakyRelu(x, alpha);
    case "elu": return tf.elu(x);
    case "prelu": return tf.prelu(x, prelu);
  }
}

test("property: native _FusedMatMul (bias, every activation, broadcast operands) equals cpu's unfused ops", async () => {
  // The reference is cpu's plain ops: cpu's own _FusedMatMul refuses the flattened batches tf.fused.matMul
  // hands it whenever the batches differ (`[2,4]` against `[4]` arrives as 8 against 4).
  await fc.assert(
    fc.asyncProperty(fusedCase, async ({ product: c, activation, biasShape, preluShape, alpha }) => {
      let fused = true;
      const { wasm, cpu } = await onWasmAndCpu(() =>
        tf.tidy(() => {
          const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
          const a = tf.tensor(values(count(c.aShape), c.seed), c.aShape);
          const b = tf.tensor(values(count(c.bShape), c.seed + 1), c.bShape);
          const bias = biasShape && tf.tensor(values(count(biasShape), c.seed + 2), biasShape);
          const prelu = tf.tensor(values(count(preluShape), c.seed + 3), preluShape);
          if (fused) {
            fused = false;
            const preluActivationWeights = activation === "prelu" ? prelu : undefined;
            return snapshot(tf.fused.matMul({ a, b, transposeA: c.transposeA, transposeB: c.transposeB, bias, activation, preluActivationWeights, leakyreluAlpha: alpha }));
          }
          const product = tf.matMul(a, b, c.transposeA, c.transposeB);
          return snapshot(activate(bias ? tf.add(product, bias) : product, activation, alpha, prelu));
        }),
      );
      assertClose(wasm, cpu, `fused [${c.aShape}]·[${c.bShape}] ${c.transposeA} ${c.transposeB} bias [${biasShape}] ${activation} prelu [${preluShape}]`);
    }),
    { numRuns: 300, seed: 12 },
  );
});

test("fused activations equal cpu's unfused ops on a worked case", async () => {
  for (const activation of ACTIVATIONS) {
    let fused = true;
    const { wasm, cpu } = await onWasmAndCpu(() =>
      tf.tidy(() => {
        const a = tf.tensor(values(4 * 6, 3), [4, 6]);
        const b = tf.tensor(values(6 * 5, 4), [6, 5]);
        const bias = tf.tensor(values(5, 5), [5]);
        const prelu = tf.tensor(values(5, 6), [5]);
        if (fused) {
          fused = false;
          return snapshot(tf.fused.matMul({ a, b, bias, activation, preluActivationWeights: prelu, leakyreluAlpha: 0.3 }));
        }
        return snapshot(activate(tf.add(tf.matMul(a, b), bias), activation, 0.3, prelu));
      }),
    );
    assertClose(wasm, cpu, activation);
  }
});

test("a bias that does not broadcast to the output is refused, leaving nothing allocated", async () => {
  await initBackend({ backend: "wasm" });
  const a = tf.ones([2, 3, 4]);
  const b = tf.ones([4, 5]);
  const bias = tf.ones([4]);
  const before = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  assert.throws(() => tf.fused.matMul({ a, b, bias }), /broadcast|shape/i);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.memory().numBytes, bytes);
  tf.dispose([a, b, bias]);
});

test("gradients through native BatchMatMul and _FusedMatMul equal cpu's", async () => {
  const grads = () =>
    tf.tidy(() => {
      const a = tf.tensor(values(10 * 3, 1), [10, 3]);
      const w = tf.tensor(values(3 * 4, 2), [3, 4]);
      const bias = tf.tensor(values(4, 3), [4]);
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.fused.matMul({ a: x, b: y, bias: z, activation: "relu" }), tf.matMul(x, y)));
      const q = tf.tensor(values(2 * 3 * 5 * 4, 4), [2, 3, 5, 4]);
      const kk = tf.tensor(values(2 * 3 * 6 * 4, 5), [2, 3, 6, 4]);
      const g = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.sin(tf.matMul(x, y, false, true))); // attention scores [B, N, T, T]
      return [...tf.grads(f)([a, w, bias]), ...tf.grads(g)([q, kk])].map(snapshot);
    });
  const { wasm, cpu } = await onWasmAndCpu(grads);
  wasm.forEach((g, i) => assertClose(g, cpu[i] as ReturnType<typeof snapshot>, `gradient ${i}`));
});

test("the native kernels leave no tensor behind", async () => {
  await initBackend({ backend: "wasm" });
  const before = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  tf.tidy(() => {
    tf.matMul(tf.ones([2, 4, 3, 3]), tf.ones([4, 3, 3])).dataSync();
    tf.fused.matMul({ a: tf.ones([6, 3]), b: tf.ones([3, 2]), bias: tf.ones([2]), activation: "relu" }).dataSync();
  });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.memory().numBytes, bytes);
});

test("COURSE_NATIVE=off: the course runs on wasm, right, and the backend line says why and how to fix it", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "tests/core/fixtures/backend-line.ts"], {
    encoding: "utf8",
    env: { ...process.env, COURSE_NATIVE: "off" },
  });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split("\n").pop() as string);
  assert.equal(out.native.active, false);
  assert.deepEqual(out.values, [17, 39]);
  assert.match(out.line, /native BLAS kernels off \(disabled by COURSE_NATIVE=off\).*Fix: unset COURSE_NATIVE/);
});
