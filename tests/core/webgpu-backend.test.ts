// The WebGPU path in the backend choice: a software adapter only when forced, the adapter named in the report,
// COURSE_GPU=require still loud on a software adapter, and a `webgpu` package whose native file cannot load is a
// reason in the report, not an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, initBackend, probeWebGpu } from "../../lib/core";

const root = join(__dirname, "..", "..");

/** `initBackend()` in a fresh process (optionally with `webgpu` made unloadable): its report and line, or its error. */
function childReport(env: Record<string, string>, unloadable: boolean): { report?: { backend: string; tried: string[]; gpu: { reason: string } }; line?: string; error?: string } {
  const args = ["--import", "tsx", ...(unloadable ? ["--import", "./tests/core/fixtures/no-webgpu.mjs"] : []), "tests/core/fixtures/backend-report.ts"];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").pop() as string);
}

test("COURSE_BACKEND=webgpu takes a software adapter and names it; the report says it is software", async (t) => {
  const probe = await probeWebGpu({ software: true });
  if (!probe.adapter) return t.skip(`no WebGPU adapter: ${probe.why}`);
  const report = await initBackend({ backend: "webgpu" });
  assert.equal(report.backend, "webgpu");
  assert.equal(tf.getBackend(), "webgpu");
  assert.deepEqual(report.adapter, probe.adapter);
  assert.match(report.versions.webgpu ?? "", /^4\.22\./);
  assert.match(report.versions.dawn ?? "", /^\d+\.\d+/);
  const line = describeBackend(report);
  assert.match(line, /^webgpu · (GPU|CPU as a GPU) \(WebGPU: .+\) · tfjs 4\.22\.0$/);
  assert.ok(line.includes(probe.adapter.device), line);
  if (probe.adapter.software) assert.match(line, /software renderer/);
  assert.equal(report.gpu.found, !probe.adapter.software);
});

test("COURSE_GPU=require on a software adapter is still the loud warning", async (t) => {
  const probe = await probeWebGpu({ software: true });
  if (!probe.adapter?.software) return t.skip(probe.adapter ? "the adapter here is a GPU" : `no WebGPU adapter: ${probe.why}`);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    await initBackend({ backend: "webgpu", gpu: "require" });
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] as string, /GPU REQUESTED \(COURSE_GPU=require\) BUT NOT FOUND: only a software WebGPU adapter/);
});

test("auto never takes a software adapter: it is passed over, named, with the reason", async (t) => {
  const probe = await probeWebGpu();
  if (probe.why === undefined) return t.skip("a hardware WebGPU adapter is here");
  const { report, line } = childReport({ COURSE_BACKEND: "auto", COURSE_GPU: "auto" }, false);
  assert.notEqual(report?.backend, "webgpu");
  assert.ok(report?.tried[0]?.startsWith("WebGPU: "), report?.tried.join("; "));
  assert.ok(report?.gpu.reason.includes(report.tried[0] as string));
  if (probe.adapter) assert.match(line ?? "", /WebGPU adapter passed over: software renderer/);
});

test("a webgpu package whose native file cannot load: the course runs on and the report says why", () => {
  const { report, line } = childReport({ COURSE_BACKEND: "auto", COURSE_GPU: "auto" }, true);
  assert.ok(report && line, "initBackend failed");
  assert.notEqual(report.backend, "webgpu");
  assert.match(report.tried[0] ?? "", /^the webgpu package's native file did not load \(.*libEGL\.so: cannot open shared object file \(simulated\)\)/);
  const forced = childReport({ COURSE_BACKEND: "webgpu" }, true);
  assert.match(forced.error ?? "", /COURSE_BACKEND=webgpu but no WebGPU adapter works here: the webgpu package's native file did not load/);
});
