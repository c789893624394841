// Issue #18 asks for transformers.js inference on the GPU where the installed version supports WebGPU in Node.
// @xenova/transformers 2.17.2 does not: in Node it runs onnxruntime-node 1.14 with the execution providers
// ["cpu", "wasm"] ('webgpu' is commented out in its src/backends/onnx.js, and onnxruntime-node 1.14 ships only
// the CPU provider). This test checks that reason, so that an upgrade which adds a WebGPU device (transformers.js
// v3: `device: "webgpu"`) fails here and the GPU inference path gets written instead of staying skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

test("transformers.js in Node offers no WebGPU device (the reason GPU inference through it is skipped)", async () => {
  const version = (JSON.parse(readFileSync(require.resolve("@xenova/transformers/package.json"), "utf8")) as { version: string }).version;
  // The module transformers.js picks its providers in; a deep import, as the package has no "exports" map.
  const onnxModule = "@xenova/transformers/src/backends/onnx.js"; // untyped: imported through a variable
  const onnx = (await import(onnxModule)) as { executionProviders: string[] };
  assert.deepEqual(onnx.executionProviders, ["cpu", "wasm"], `transformers.js ${version} now lists ${onnx.executionProviders.join(", ")}: add WebGPU inference (README, GPU)`);
  assert.equal(version.split(".")[0], "2", `transformers.js ${version}: v3 has device: "webgpu" — add WebGPU inference (README, GPU)`);
});
