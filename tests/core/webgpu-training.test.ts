// The webgpu backend can train the course's encoder: AdamW steps of a small encoder block (embedding lookup,
// multi-head attention with a padding mask, LayerNorm, GELU, dropout, softmax cross-entropy) give the same losses
// on webgpu as on tfjs's reference `cpu` backend, and leave no tensor behind. In CI it runs on Mesa's software
// adapter (llvmpipe through Dawn's OpenGL backend: `.ci/run` installs libegl-dev, libegl-mesa0, libgl1-mesa-dri);
// on a machine with a GPU, on the GPU. Correctness only: no timing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { initBackend, probeWebGpu } from "../../lib/core";
import { train } from "./fixtures/encoder-training";

/** As the wasm test: float32 summed in another order (llvmpipe measured 2.4e-7 on losses of ≈3.7). */
const TOLERANCE = 1e-4;
const STEPS = 4;

/** Whether this machine has what the software adapter needs (Debian's paths), so that no adapter there is a failure, not a skip. */
const MESA = ["/usr/lib/x86_64-linux-gnu/libEGL.so", "/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0", "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so"].every((path) => existsSync(path));

test("a WebGPU adapter is found where Mesa's software renderer is installed", { skip: MESA ? false : "no Mesa EGL here (install libegl-dev libegl-mesa0 libgl1-mesa-dri)" }, async () => {
  const probe = await probeWebGpu({ software: true });
  assert.ok(probe.adapter, probe.why);
  assert.equal(typeof probe.adapter.software, "boolean");
  assert.ok(probe.adapter.device.length > 0);
});

test(`webgpu training steps equal cpu training steps within ${TOLERANCE}; no tensor left behind`, async (t) => {
  const probe = await probeWebGpu({ software: true });
  if (!probe.adapter) return t.skip(`no WebGPU adapter: ${probe.why}`);
  const report = await initBackend({ backend: "webgpu" });
  assert.equal(tf.getBackend(), "webgpu");
  assert.equal(report.adapter?.device, probe.adapter.device);
  const webgpu = train(7, STEPS);
  const before = tf.memory().numTensors; // after one run, so that cached constants do not count
  train(7, 1);
  assert.equal(tf.memory().numTensors, before, "a training step leaked tensors on webgpu");
  await tf.setBackend("cpu");
  const cpu = train(7, STEPS);
  console.log(`losses webgpu ${webgpu.map((l) => l.toFixed(6)).join(" ")}\nlosses cpu    ${cpu.map((l) => l.toFixed(6)).join(" ")}\nmax |difference| ${Math.max(...webgpu.map((l, i) => Math.abs(l - (cpu[i] as number)))).toExponential(2)}`);
  for (let i = 0; i < STEPS; i++) assert.ok(Math.abs((webgpu[i] as number) - (cpu[i] as number)) < TOLERANCE, `step ${i}: webgpu ${webgpu[i]} vs cpu ${cpu[i]}`);
});
