// `course bench train --compare` runs bench/mlm-train.ts (ours native, wasm-only, PyTorch in one run) with the
// options given on the command line, and prints its comparison table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const course = join(__dirname, "..", "..", "bin", "course.js");

test("bench train --compare prints the benchmark's table for the given model, vocabulary and engines", () => {
  const args = ["bench", "train", "--compare", "--config", "tiny", "--vocab", "300", "--seq", "16", "--batch", "2", "--micro-batch", "1", "--steps", "1", "--warmup", "1", "--runs", "native,wasm"];
  const run = spawnSync(process.execPath, [course, ...args], { encoding: "utf8", env: { ...process.env, COURSE_THREADS: "1" } });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^\| BERT-Tiny V=300 \| tokens\/s \| × PyTorch \|/m);
  assert.match(run.stdout, /^\| ours native \| \d+ \|.*\| \d+ \|/m, "tokens/s and peak RSS of ours native");
  assert.match(run.stdout, /^\| ours wasm-only \| \d+ \|/m);
  assert.match(run.stdout, /Kernel time of one micro-batch forward \+ backward/);
  assert.doesNotMatch(run.stdout, /BERT-Mini|V=8192/, "only what was asked for");
});
