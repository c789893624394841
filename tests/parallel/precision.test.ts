// fp16 and bf16 rounding, checked against NumPy's float16 and PyTorch's bfloat16 on the same values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { bf16Round, castTo, FORMAT_LIMITS, fp16Round, roundArray } from "../../lib/parallel";

/** Values across both formats' ranges: ties, subnormals, overflow edges, signs. */
function probes(): Float32Array {
  const xs = [0, 1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 65519, 65520, 70000, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -26, 1e-8, 5.96e-8, 1e-5, 3.14159, -2.71828, 1e30, 1e-30, 1 + 2 ** -8, 1 + 3 * 2 ** -8];
  let s = 7;
  for (let i = 0; i < 300; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    xs.push(((s / 2 ** 31) * 2 - 1) * 10 ** (((s >> 8) % 24) - 12));
  }
  return Float32Array.from(xs);
}

test("fp16Round equals NumPy's float16 and bf16Round PyTorch's bfloat16 on 322 values (ties, subnormals, overflow)", () => {
  const xs = probes();
  const script = "import sys,json,numpy as np,torch\nx=np.array(json.load(sys.stdin),dtype=np.float32)\nprint(json.dumps([x.astype(np.float16).astype(np.float64).tolist(),torch.from_numpy(x).to(torch.bfloat16).to(torch.float64).tolist()]))";
  const run = spawnSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify([...xs]), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  // JSON has no ∞: Python prints Infinity, which JSON.parse rejects, so map it first
  const [f16, b16] = JSON.parse(run.stdout.replace(/-Infinity/g, '"-inf"').replace(/Infinity/g, '"inf"')) as (number | string)[][];
  const num = (v: number | string) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
  xs.forEach((x, i) => {
    assert.equal(fp16Round(x), num(f16![i]!), `fp16(${x})`);
    assert.equal(bf16Round(x), num(b16![i]!), `bf16(${x})`);
  });
});

test("the formats' limits: fp16 underflows below 2⁻²⁴ and overflows above 65504; bf16 does neither there", () => {
  assert.equal(fp16Round(2 ** -26), 0);
  assert.equal(bf16Round(2 ** -26), 2 ** -26);
  assert.equal(fp16Round(1e5), Infinity);
  assert.equal(bf16Round(1e5), 99840);
  assert.equal(fp16Round(FORMAT_LIMITS.fp16.max), 65504);
  assert.deepEqual([...roundArray(Float32Array.of(1 + 2 ** -9), "bf16")], [1]); // bf16 keeps 7 mantissa bits
});

test("castTo rounds the forward value and the gradient flowing back; nothing leaks", async () => {
  await initBackend({ backend: "wasm" });
  const before = tf.memory().numTensors;
  const x = tf.tensor1d([1 + 2 ** -12, 3]);
  const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(castTo(v, "fp16"), tf.tensor1d([2 ** -26, 1e-3]))))(x);
  assert.deepEqual([...grad.dataSync()], [0, fp16Round(1e-3)]); // 2⁻²⁶ underflows in fp16
  const value = tf.tidy(() => castTo(x, "fp16"));
  assert.deepEqual([...value.dataSync()], [1, 3]);
  tf.dispose([x, grad, value]);
  assert.equal(tf.memory().numTensors, before);
});
