import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinSource, readNotebook, writeNotebook } from "../../lib/notebook/ipynb";
import { assignDirectory, cellChecksum, findExercises, formatProblem, nbgraderOf, planGrading, releaseNotebook, validateSource, withAnswers } from "../../lib/grader";

const SOURCE = "tests/fixtures/grader/source/exercises.ipynb";
const source = readNotebook(SOURCE);

test("the fixture follows the convention: three exercises, 7 points, no problems", () => {
  assert.deepEqual(validateSource(source, SOURCE), []);
  assert.deepEqual(findExercises(source).map((e) => [e.id, e.tests.map((t) => t.gradeId), e.maxPoints]), [
    ["mean", ["mean-test-1", "mean-test-2"], 3], ["relu", ["relu-test-1", "relu-test-2"], 2], ["count-words", ["count-words-test-1", "count-words-test-2"], 2],
  ]);
});

test("the release has no solution and no hidden test, no outputs, and a checksum on every locked cell", () => {
  const release = releaseNotebook(source);
  const text = JSON.stringify(release);
  assert.doesNotMatch(text, /BEGIN SOLUTION|HIDDEN TESTS|reduce\(|tf\.maximum|mean\(\[5\]\)|plain string work/);
  assert.match(text, /YOUR CODE HERE/);
  assert.match(text, /YOUR ANSWER HERE/);
  for (const cell of release.cells) {
    const meta = nbgraderOf(cell);
    if (cell.cell_type === "code") assert.deepEqual([cell.outputs, cell.execution_count], [[], null]);
    if (meta?.locked) assert.equal(meta.checksum, cellChecksum(cell), meta.grade_id);
  }
  assert.equal(joinSource(source.cells[6]!.source).includes("BEGIN SOLUTION"), true, "the source is not changed");
});

test("course assign writes nothing when a source has problems, and names notebook, cell and grade_id", () => {
  const dir = mkdtempSync(join(tmpdir(), "assign-"));
  const bad = structuredClone(source);
  nbgraderOf(bad.cells[8]!)!.grade_id = "mean-test-1"; // duplicate
  delete nbgraderOf(bad.cells[11]!)!.points;
  mkdirSync(join(dir, "src"));
  writeNotebook(join(dir, "src", "a.ipynb"), source);
  writeNotebook(join(dir, "src", "b.ipynb"), bad);
  assert.throws(() => assignDirectory(join(dir, "src"), join(dir, "out")), (error: Error) => {
    assert.match(error.message, /b\.ipynb: cell 9 \(grade_id mean-test-1\): grade_id "mean-test-1" is also used by cell 8/);
    assert.match(error.message, /b\.ipynb: cell 12 \(grade_id relu-test-1\): graded cell with points undefined/);
    return true;
  });
  assert.equal(existsSync(join(dir, "out")), false);
  assert.throws(() => assignDirectory(dir, join(dir, "out")), /no \.ipynb files/);
});

test("validateSource flags an unlocked test, a solution cell without exercise, an exercise without tests", () => {
  const bad = structuredClone(source);
  nbgraderOf(bad.cells[7]!)!.locked = false;
  delete (bad.cells[10]!.metadata as Record<string, unknown>)["course"];
  const problems = validateSource(bad, "x.ipynb").map(formatProblem);
  assert.ok(problems.includes("x.ipynb: cell 8 (grade_id mean-test-1): graded test cell that is not locked (set nbgrader.locked: true)"), problems.join("\n"));
  assert.ok(problems.includes("x.ipynb: cell 11 (grade_id relu-solution): solution cell without course.exercise (which exercise is it part of?)"), problems.join("\n"));
  assert.ok(problems.some((p) => /exercise "relu" has no solution cell/.test(p)), problems.join("\n"));
});

test("a grading plan restores locked cells, runs hidden tests, and flags what was changed or deleted", () => {
  const release = releaseNotebook(source);
  const submission = withAnswers(release, { "mean-solution": "function mean(xs: number[]): number {\n  return 0;\n}" });
  submission.cells = submission.cells.filter((cell) => nbgraderOf(cell)?.grade_id !== "relu-test-1");
  submission.cells.find((cell) => nbgraderOf(cell)?.grade_id === "mean-test-2")!.source = ["// gone\n"];
  const plan = planGrading(source, submission);
  assert.deepEqual(plan.tampered.map((t) => [t.exercise, t.gradeId]), [["mean", "mean-test-2"], ["relu", "relu-test-1"]]);
  const test2 = plan.steps.find((step) => step.gradeId === "mean-test-2")!;
  assert.match(test2.code, /checkClose\(mean\(\[5\]\), 5/);
  assert.deepEqual(plan.steps.map((s) => s.kind), ["setup", "setup", "solution", "test", "test", "solution", "test", "test", "solution", "test", "test"]);
  assert.match(joinSource(plan.notebook.cells[6]!.source), /return 0;/);
  assert.doesNotMatch(JSON.stringify(plan.notebook), /HIDDEN|mean\(\[5\]\)/, "the feedback notebook shows public tests only");
  assert.equal(planGrading(source, submission, "all").steps.length, 12, "--all-cells also runs the training cell");
});

test("the release of the fixture on disk matches course assign's output", () => {
  const dir = mkdtempSync(join(tmpdir(), "assign-ok-"));
  const [written] = assignDirectory("tests/fixtures/grader/source", join(dir, "release"));
  assert.deepEqual([written!.exercises, written!.points], [3, 7]);
  assert.deepEqual(JSON.parse(readFileSync(written!.release, "utf8")), JSON.parse(JSON.stringify(releaseNotebook(source))));
});
