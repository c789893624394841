#!/usr/bin/env node
// Which tfjs kernels does the course run? Runs the test files of the library's models, tasks, training, PEFT,
// compression and pretraining with a hook that notes every kernel (forward and gradient), and writes the sorted
// names to tests/core/fixtures/course-kernels.json — the list tests/core/webgpu-kernels.test.ts requires the
// webgpu backend to cover. Usage: node scripts/kernel-audit.mjs [test-path-substring ...]
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";

const filters = process.argv.slice(2);
const suites = filters.length ? filters : ["tests/model/", "tests/tasks/", "tests/train/", "tests/peft/", "tests/compress/", "tests/pretrain/", "tests/core/wasm-training", "tests/nn/"];
const out = join(mkdtempSync(join(tmpdir(), "kernel-audit-")), "kernels.txt");
writeFileSync(out, "");
const hook = resolve("scripts/kernel-audit-hook.cjs");
const run = spawnSync(process.execPath, ["scripts/run-tests.mjs", ...suites], {
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, KERNEL_AUDIT_OUT: out, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim() },
});
if (run.status !== 0) console.error(`kernel-audit: some tests failed (exit ${run.status}); the kernels they ran are still counted`);
const kernels = [...new Set(readFileSync(out, "utf8").split("\n").filter(Boolean))].sort();
const target = "tests/core/fixtures/course-kernels.json";
writeFileSync(target, JSON.stringify({ suites, kernels }, null, 2) + "\n");
console.log(`${kernels.length} kernels → ${target}`);
