import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, describeBackend, probeWebGpu } from "../../lib/core";

test("auto picks wasm when no libtensorflow is installed, and says why the faster backends were passed over", async (t) => {
  const report = await initBackend({ gpu: "auto" });
  if (tf.findBackendFactory("tensorflow") !== null) {
    t.skip("tfjs-node(-gpu) is installed on this machine: auto rightly chose it");
    return;
  }
  if (report.backend === "webgpu") return t.skip(`a hardware WebGPU adapter is here: auto rightly chose it (${report.device})`);
  assert.equal(report.backend, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(report.gpu.found, false);
  assert.match(report.gpu.reason, /tfjs-node-gpu/);
  assert.match(report.gpu.reason, /^WebGPU: /); // tried first, and why it was passed over (here: no Vulkan loader, or only a software adapter)
  assert.ok(report.tried.some((line) => /tfjs-node/.test(line)), report.tried.join("; "));
  // With the native addon: "+ OpenBLAS 0.3.21" and its threads; without: one wasm thread and a notice with the fix.
  const line = describeBackend(report);
  if (report.native?.active) assert.match(line, /^wasm · CPU \(WebAssembly(, SIMD)? \+ (OpenBLAS|Accelerate)[^)]*\) · \d+ threads? · tfjs 4\.22\.0$/);
  else assert.match(line, /^wasm · CPU \(WebAssembly(, SIMD)?\) · 1 thread · tfjs 4\.22\.0\nnative BLAS kernels off \(.+\).*Fix: .+/);
});

test("a GPU required but not found is a loud warning, not a silent fallback", async (t) => {
  if (tf.findBackendFactory("tensorflow") !== null) return t.skip("a libtensorflow backend is installed here");
  if ((await probeWebGpu()).why === undefined) return t.skip("a hardware WebGPU adapter is here");
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    const report = await initBackend({ gpu: "require" });
    assert.equal(report.gpu.found, false);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] as string, /GPU REQUESTED \(COURSE_GPU=require\) BUT NOT FOUND/);
});

test("COURSE_BACKEND forces a backend; a wrong value names the variable and the choices", async () => {
  process.env["COURSE_BACKEND"] = "cpu";
  try {
    assert.equal((await initBackend()).backend, "cpu");
    process.env["COURSE_BACKEND"] = "gpu";
    await assert.rejects(initBackend(), /COURSE_BACKEND=gpu is not one of auto, webgpu, tensorflow, wasm, cpu/);
  } finally {
    delete process.env["COURSE_BACKEND"];
  }
  await assert.rejects(initBackend({ backend: "tensorflow" }), /COURSE_BACKEND=tensorflow but no tfjs-node package works here/);
  assert.equal((await initBackend({ backend: "wasm" })).backend, "wasm");
});
