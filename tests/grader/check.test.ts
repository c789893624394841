import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readNotebook, writeNotebook } from "../../lib/notebook/ipynb";
import { checkExercises, formatCheck, releaseNotebook, withAnswers } from "../../lib/grader";

test("course check runs a learner's notebook: points per exercise from the public tests, each failing check's message", async () => {
  const release = releaseNotebook(readNotebook("tests/fixtures/grader/source/exercises.ipynb"));
  const dir = mkdtempSync(join(tmpdir(), "grader-check-"));
  symlinkSync(resolve("node_modules"), join(dir, "node_modules")); // as in a learner's checkout
  const path = join(dir, "exercises.ipynb");
  // mean right for the public tests (the hidden one would catch it), relu wrong, countWords still the stub
  writeNotebook(path, withAnswers(release, {
    "mean-solution": "function mean(xs: number[]): number {\n  return xs.length === 1 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;\n}",
    "relu-solution": "function relu(x: tf.Tensor): tf.Tensor {\n  return x;\n}",
  }));
  const result = await checkExercises(path, { cellTimeoutMs: 120_000 });
  assert.deepEqual(result.exercises.map((e) => [e.exercise, e.points, e.maxPoints, e.status]), [["mean", 3, 3, "ok"], ["relu", 0, 1, "failed"], ["count-words", 0, 2, "failed"]]);
  const text = formatCheck(result);
  assert.match(text, /✓ mean: 3 \/ 3 points/);
  assert.match(text, /relu-test-1: failed — CheckError: relu\(\[-1, 2\]\) at \[0\]: expected 0, got -1/);
  assert.match(text, /count-words-test-1: failed — Error: not implemented/);
  assert.match(text, /3 \/ 6 points from the public tests/);
});
