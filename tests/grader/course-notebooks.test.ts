// CI for the course's exercises (issue #14): every notebook in notebooks/ has at least three exercises, its reference
// solutions pass all their tests (hidden ones included) and its stubbed release scores zero without crashing, graded
// as `course grade` grades (sandboxed kernel, setup cells and exercises only). Exercises are discovered from the
// notebooks' metadata; the fixture notebook checks the same on a notebook we control.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { readNotebook } from "../../lib/notebook/ipynb";
import { DEFAULT_LIMITS, findExercises, formatProblem, gradeNotebook, releaseNotebook, validateSource } from "../../lib/grader";

const options = { slot: 0, hide: [], cellTimeoutMs: 120_000, notebookTimeoutMs: 900_000, limits: DEFAULT_LIMITS, scope: "exercises" as const, env: { COURSE_MODE: "quick" } };

async function checkExercises(path: string): Promise<void> {
  const notebook = readNotebook(path);
  assert.deepEqual(validateSource(notebook, path).map(formatProblem), []);
  const exercises = findExercises(notebook);
  assert.ok(exercises.length >= 3, `${path}: ${exercises.length} exercise(s), need at least 3 (see "Exercises" in CONTRIBUTING/COMMON conventions)`);
  const source = { name: basename(path), notebook };
  const reference = await gradeNotebook("reference", source, undefined, options);
  for (const e of reference.exercises) {
    const failures = e.tests.filter((t) => t.status !== "passed").map((t) => `${t.gradeId}: ${t.status} ${t.message}`);
    assert.deepEqual([e.exercise, e.status, e.points, failures, e.notes], [e.exercise, "ok", e.maxPoints, [], []], `${path}: the reference solution of ${e.exercise}`);
  }
  assert.deepEqual(reference.notes, [], `${path}: setup cells`);
  const stub = await gradeNotebook("release", source, releaseNotebook(notebook), options);
  for (const e of stub.exercises) {
    assert.deepEqual([e.exercise, e.status, e.points], [e.exercise, "failed", 0], `${path}: the stubbed release of ${e.exercise} (${e.tests.map((t) => t.message).join("; ")} ${e.notes.join("; ")})`);
  }
  assert.deepEqual(stub.notes, [], `${path}: setup cells of the release`);
}

test("the fixture notebook: reference solutions get full marks, the stubbed release zero", () => checkExercises("tests/fixtures/grader/source/exercises.ipynb"));

for (const name of readdirSync("notebooks").filter((n) => n.endsWith(".ipynb")).sort()) {
  test(`notebooks/${name}: ≥ 3 exercises, reference solutions get full marks, the stubbed release zero`, () => checkExercises(join("notebooks", name)));
}
