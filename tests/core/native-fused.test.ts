// The fused native training kernels (lib/core/native-fused.ts: LayerNorm and its gradient, the gathered
// cross-entropy and its gradient, softmax's gradient, dropout masks, AdamW in place, buffer-sharing Identity)
// equal tfjs's composite ops on the `cpu` backend on random shapes (size 0 and 1 included), and leave nothing behind.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs";
import { fusedKernel, initBackend, registerWasmTrainingKernels, Rng } from "../../lib/core";
import { crossEntropy, dropout, gelu, layerNorm } from "../../lib/nn";
import { AdamW } from "../../lib/train";
import { assertClose, onWasmAndCpu, snapshot, values } from "./kernel-parity";

before(async () => {
  await initBackend({ backend: "wasm" });
  const status = registerWasmTrainingKernels({ native: true });
  assert.ok(status.active, `native kernels unavailable: ${status.reason}. Fix: ${status.fix}`);
  assert.ok(fusedKernel("CourseLayerNorm"), "the fused kernels are registered on wasm");
});

const shape = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 });
/** Rows of any count (0 included) over a last axis of 1–7: tfjs's own composite LayerNorm gradient fails for H = 0. */
const rowsShape = fc.tuple(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }), fc.integer({ min: 1, max: 7 })).map(([rows, h]) => [...rows, h]);

test("property: fused LayerNorm and its gradients (x, gamma, beta) equal cpu's composite ops", async () => {
  await fc.assert(
    fc.asyncProperty(rowsShape, fc.constantFrom(1, 10, 1000), fc.constantFrom(1e-12, 1e-5), fc.integer(), async (s, k, eps, seed) => {
      const count = s.reduce((a, b) => a * b, 1);
      const h = s[s.length - 1] as number;
      const run = () =>
        tf.tidy(() => {
          // An offset mean (k·0.3) and scale k: the variance must not cancel.
          const x = tf.add(tf.mul(tf.tensor(values(count, seed), s), k), 0.3 * k);
          const gamma = tf.tensor1d(values(h, seed + 1));
          const beta = tf.tensor1d(values(h, seed + 2));
          const w = tf.tensor(values(count, seed + 3), s);
          const y = layerNorm(x, gamma, beta, eps);
          const [dx, dgamma, dbeta] = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, g as tf.Tensor1D, b as tf.Tensor1D, eps), w)))([x, gamma, beta]);
          return [y, dx, dgamma, dbeta].map((t) => snapshot(t as tf.Tensor));
        });
      const { wasm, cpu } = await onWasmAndCpu(run);
      ["y", "dx", "dgamma", "dbeta"].forEach((name, i) => assertClose(wasm[i]!, cpu[i]!, `${name} [${s}] ×${k} eps ${eps}`, 2e-4, 2e-3));
    }),
    { numRuns: 150, seed: 11 },
  );
});

test("fused LayerNorm refuses a gamma that is not [H]", async () => {
  await initBackend({ backend: "wasm" });
  const before = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => layerNorm(tf.ones([2, 3]), tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D)), /gamma \[4\].*must be \[3\]/);
  assert.equal(tf.memory().numTensors, before);
});

test("property: fused cross-entropy and its gradient equal cpu's (ignored −100 and out-of-range labels, N = 0 and 1)", async () => {
  // C ≥ 2: the composite's tf.oneHot refuses depth 1 (the fused kernel takes it: loss 0, gradient 0).
  const arb = fc.record({ n: fc.integer({ min: 0, max: 7 }), c: fc.integer({ min: 2, max: 9 }), k: fc.constantFrom(1, 10, 50), seed: fc.integer() });
  await fc.assert(
    fc.asyncProperty(arb, async ({ n, c, k, seed }) => {
      const rng = new Rng(seed);
      const labels = Array.from({ length: n }, () => (rng.uniform() < 0.3 ? -100 : rng.uniform() < 0.1 ? c + 2 : rng.int(c)));
      const run = () =>
        tf.tidy(() => {
          const logits = tf.mul(tf.tensor2d(values(n * c, seed), [n, c]), k);
          const ids = tf.tensor1d(labels, "int32");
          const value = crossEntropy(logits as tf.Tensor2D, ids);
          const g = tf.grad((l: tf.Tensor) => tf.mul(crossEntropy(l as tf.Tensor2D, ids), 3))(logits);
          return [value, g].map(snapshot);
        });
      const { wasm, cpu } = await onWasmAndCpu(run);
      assertClose(wasm[0]!, cpu[0]!, `loss n=${n} c=${c} ×${k} labels ${labels}`, 1e-5, 1e-5);
      assertClose(wasm[1]!, cpu[1]!, `dlogits n=${n} c=${c} ×${k}`, 1e-6, 1e-4);
    }),
    { numRuns: 150, seed: 12 },
  );
});

test("fused cross-entropy over one class: loss 0, gradient 0", async () => {
  await initBackend({ backend: "wasm" });
  const [loss, grad] = tf.tidy(() => {
    const ids = tf.tensor1d([0, -100, 0], "int32");
    const logits = tf.tensor2d([[3], [1], [-2]]);
    return [crossEntropy(logits, ids), tf.grad((l: tf.Tensor) => crossEntropy(l as tf.Tensor2D, ids))(logits)].map((t) => [...t.dataSync()]);
  });
  assert.deepEqual(loss, [0]);
  assert.deepEqual(grad, [0, 0, 0]);
});

test("fused cross-entropy with float labels casts them, as the composite does", async () => {
  const run = () => tf.tidy(() => snapshot(crossEntropy(tf.tensor2d([[1, 2, 3], [0, 0, 5]]), tf.tensor1d([2, 0]))));
  const { wasm, cpu } = await onWasmAndCpu(run);
  assertClose(wasm, cpu, "float labels");
});

test("property: the softmax gradient (native) equals cpu's on random shapes, masked −1e4 entries included", async () => {
  await fc.assert(
    fc.asyncProperty(shape, fc.constantFrom(1, 10), fc.integer(), fc.boolean(), async (s, k, seed, masked) => {
      const count = s.reduce((a, b) => a * b, 1);
      const run = () =>
        tf.tidy(() => {
          let x = tf.mul(tf.tensor(values(count, seed), s), k);
          if (masked) x = tf.where(tf.greater(tf.tensor(values(count, seed + 1), s), 0.5), tf.fill(s, -1e4), x);
          const w = tf.tensor(values(count, seed + 2), s);
          return snapshot(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w)))(x));
        });
      const { wasm, cpu } = await onWasmAndCpu(run);
      assertClose(wasm, cpu, `softmax grad [${s}] ×${k}`, 1e-6, 1e-4);
    }),
    { numRuns: 150, seed: 13 },
  );
});

test("property: fused GELU and its gradient equal cpu's composite ops on random shapes and scales up to 100", async () => {
  await fc.assert(
    fc.asyncProperty(shape, fc.constantFrom(1, 3, 10, 100), fc.integer(), async (s, k, seed) => {
      const count = s.reduce((a, b) => a * b, 1);
      const run = () =>
        tf.tidy(() => {
          const x = tf.mul(tf.tensor(values(count, seed), s), k);
          const w = tf.tensor(values(count, seed + 1), s);
          return [gelu(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gelu(t), w)))(x)].map(snapshot);
        });
      const { wasm, cpu } = await onWasmAndCpu(run);
      assertClose(wasm[0]!, cpu[0]!, `gelu [${s}] ×${k}`, 1e-6, 1e-5);
      assertClose(wasm[1]!, cpu[1]!, `gelu grad [${s}] ×${k}`, 1e-5, 1e-4);
    }),
    { numRuns: 150, seed: 14 },
  );
});

test("native dropout masks are bit-identical to the JS masks of the same Rng, and leave it in the same state", async () => {
  for (const [s, rate] of [[[4, 33, 7], 0.1], [[0, 5], 0.5], [[1], 0.9], [[2, 3], 0.3]] as const) {
    const run = () => {
      const rng = new Rng(42);
      rng.uniform(); // mid-stream
      const out = tf.tidy(() => snapshot(dropout(tf.add(tf.ones([...s]), 1), rate, rng)));
      return { out, state: rng.state(), next: rng.uniform() };
    };
    const { wasm, cpu } = await onWasmAndCpu(run);
    assert.deepEqual(wasm.out, cpu.out, `mask [${s}] rate ${rate}`);
    assert.deepEqual(wasm.state, cpu.state);
    assert.equal(wasm.next, cpu.next);
  }
});

test("AdamW in place (native) equals cpu's tfjs ops over several steps, with and without weight decay", async () => {
  const run = () => {
    // Made inside tidy, as lib/nn's parameters are: the initial tensor goes, the variable owns its buffer.
    const params = new Map<string, tf.Variable>([
      ["layer.dense.weight", tf.tidy(() => tf.variable(tf.tensor2d(values(12, 1), [3, 4])))],
      ["layer.dense.bias", tf.tidy(() => tf.variable(tf.tensor1d(values(4, 2))))],
      ["empty.weight", tf.tidy(() => tf.variable(tf.zeros([0, 3])))],
    ]);
    const ids = [...params.values()].map((p) => p.dataId);
    const optimizer = new AdamW({ weightDecay: 0.1 });
    for (let step = 0; step < 4; step++) {
      const grads = { "layer.dense.weight": tf.tensor2d(values(12, 10 + step), [3, 4]), "layer.dense.bias": tf.tensor1d(values(4, 20 + step)), "empty.weight": tf.zeros([0, 3]) };
      optimizer.apply(params, grads, 1e-2);
      tf.dispose(Object.values(grads));
    }
    // In place on wasm (the same buffers), tfjs's assign on cpu (new ones).
    const inPlace = [...params.values()].every((p, i) => p.dataId === ids[i]);
    const out = { inPlace, tensors: [...params.values(), ...optimizer.state().m.values(), ...optimizer.state().v.values()].map(snapshot) };
    optimizer.dispose();
    tf.dispose([...params.values()]);
    return out;
  };
  const { wasm, cpu } = await onWasmAndCpu(run);
  assert.equal(wasm.inPlace, true, "the native update ran in place");
  assert.equal(cpu.inPlace, false);
  wasm.tensors.forEach((w, i) => assertClose(w, cpu.tensors[i]!, `tensor ${i}`, 1e-7, 1e-5));
});

test("AdamW leaves a tensor that shares the parameter's buffer untouched (falls back to tfjs ops)", async () => {
  await initBackend({ backend: "wasm" });
  const weight = tf.variable(tf.tensor1d([1, 2, 3]));
  const alias = tf.clone(weight); // shares the buffer (Identity is a reference on wasm)
  const params = new Map([["w", weight]]);
  const optimizer = new AdamW();
  const g = tf.tensor1d([1, 1, 1]);
  optimizer.apply(params, { w: g }, 0.1);
  assert.deepEqual([...alias.dataSync()], [1, 2, 3]);
  assert.ok(weight.dataSync()[0]! < 1, "the parameter moved");
  optimizer.dispose();
  tf.dispose([weight, alias, g]);
});

test("Identity shares the buffer on wasm: a clone outlives its source, Cast to another dtype still converts", async () => {
  await initBackend({ backend: "wasm" });
  const x = tf.tensor1d([1.5, -2.5, 3]);
  const y = tf.clone(x);
  assert.equal(y.dataId, x.dataId);
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1.5, -2.5, 3]);
  const i = tf.cast(y, "int32");
  assert.equal(i.dtype, "int32");
  assert.deepEqual([...i.dataSync()], [1, -2, 3]);
  tf.dispose([y, i]);
});

test("the fused kernels leave no tensor behind (forward, backward, AdamW)", async () => {
  await initBackend({ backend: "wasm" });
  const w = tf.variable(tf.tensor2d(values(24, 5), [4, 6]));
  const params = new Map([["w.weight", w]]);
  const optimizer = new AdamW();
  const run = () => {
    const { value, grads } = tf.variableGrads(() => {
      const h = dropout(gelu(layerNorm(w, tf.ones([6]) as tf.Tensor1D, tf.zeros([6]) as tf.Tensor1D)), 0.2, new Rng(1));
      return crossEntropy(tf.softmax(h) as tf.Tensor2D, tf.tensor1d([1, -100, 5, 0], "int32"));
    }, [w]);
    optimizer.apply(params, { "w.weight": grads["w.weight"] as tf.Tensor }, 1e-3);
    tf.dispose([value, ...Object.values(grads)]);
  };
  run(); // creates the moments
  const before = tf.memory();
  run();
  assert.equal(tf.memory().numTensors, before.numTensors);
  assert.equal(tf.memory().numBytes, before.numBytes);
  optimizer.dispose();
  w.dispose();
});

test("without the addon (native: false) the composite ops run and agree", async () => {
  await initBackend({ backend: "wasm" });
  const program = () => tf.tidy(() => {
    const x = tf.tensor2d(values(12, 3), [3, 4]);
    const g = tf.grad((t: tf.Tensor) => crossEntropy(gelu(layerNorm(t, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D)) as tf.Tensor2D, tf.tensor1d([0, 3, -100], "int32")))(x);
    return snapshot(g);
  });
  const fused = program();
  registerWasmTrainingKernels({ native: false });
  try {
    assert.equal(fusedKernel("CourseLayerNorm"), false);
    assertClose(program(), fused, "composite vs fused", 1e-6, 1e-4);
  } finally {
    registerWasmTrainingKernels({ native: true });
  }
});
