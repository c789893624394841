// The webgpu backend has every kernel the course runs (the list scripts/kernel-audit.mjs records from the test
// suites of the models, tasks, training, PEFT, compression and pretraining), AddN over more inputs than a shader
// may bind equals cpu's, and a command the GPU rejected makes the next read throw instead of returning garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend, probeWebGpu } from "../../lib/core";

const audit = JSON.parse(readFileSync(join(__dirname, "fixtures", "course-kernels.json"), "utf8")) as { kernels: string[] };

async function webgpu(t: { skip(message: string): void }): Promise<boolean> {
  const probe = await probeWebGpu({ software: true });
  if (!probe.adapter) {
    t.skip(`no WebGPU adapter: ${probe.why}`);
    return false;
  }
  await initBackend({ backend: "webgpu" });
  return true;
}

test("every kernel the course runs is registered on webgpu", async (t) => {
  if (!(await webgpu(t))) return;
  assert.ok(audit.kernels.length > 40, `the audit lists only ${audit.kernels.length} kernels`);
  for (const name of ["UnsortedSegmentSum", "BatchMatMul", "Erf", "Softmax", "AddN"]) assert.ok(audit.kernels.includes(name), `${name} is missing from the audit`);
  const missing = audit.kernels.filter((name) => tf.getKernel(name, "webgpu") === undefined);
  assert.deepEqual(missing, [], `webgpu lacks ${missing.join(", ")} (register them in lib/core/webgpu-kernels.ts)`);
});

test("AddN of 40 tensors (more than a shader binds) equals cpu's, and leaves no tensor behind", async (t) => {
  if (!(await webgpu(t))) return;
  const values = Array.from({ length: 40 }, (_, i) => Array.from({ length: 5 }, (_, j) => Math.sin(i * 5 + j)));
  // any: the backend's tensor map (which also holds the partial sums the kernel makes) is internal.
  const dataIds = () => (tf.backend() as any).tensorMap.numDataIds() as number;
  const [tensorsBefore, dataBefore] = [tf.memory().numTensors, dataIds()];
  const onGpu = tf.tidy(() => tf.addN(values.map((v) => tf.tensor1d(v))).dataSync());
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(dataIds(), dataBefore, "partial sums left on the GPU");
  await tf.setBackend("cpu");
  const onCpu = tf.tidy(() => tf.addN(values.map((v) => tf.tensor1d(v))).dataSync());
  await tf.setBackend("webgpu");
  for (let j = 0; j < 5; j++) assert.ok(Math.abs((onGpu[j] as number) - (onCpu[j] as number)) < 1e-5, `element ${j}: ${onGpu[j]} vs ${onCpu[j]}`);
});

test("a command the GPU rejected makes the next read throw, once", async (t) => {
  if (!(await webgpu(t))) return;
  // any: the backend's device is internal to tfjs-backend-webgpu.
  const device = (tf.backend() as any).device;
  const usage = (globalThis as any).GPUBufferUsage;
  device.createBuffer({ size: 16, usage: usage.MAP_READ | usage.STORAGE }); // invalid: MAP_READ only goes with COPY_DST
  // Large enough to run on the GPU (tfjs computes small tensors of CPU values on the CPU).
  const x = tf.tidy(() => tf.add(tf.range(0, 4096), 1));
  assert.throws(() => x.dataSync(), /webgpu: the GPU rejected 1 command before this read/);
  const y = tf.tidy(() => tf.add(tf.range(0, 4096), 1));
  assert.equal(y.dataSync()[4095], 4096);
  tf.dispose([x, y]);
});
