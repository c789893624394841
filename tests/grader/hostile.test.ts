// Hostile submissions (issue #14): one batch grades them all (jobs 2), then each test checks one student's status
// and points, and that nothing outside the sandbox changed. Linux only (the sandbox's namespaces).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readNotebook, writeNotebook, type Notebook } from "../../lib/notebook/ipynb";
import { gradeSubmissions, releaseNotebook, sandboxUid, withAnswers, type GradeReport, type NotebookGrade } from "../../lib/grader";

const SOURCE_DIR = resolve("tests/fixtures/grader/source");
const SOURCE = join(SOURCE_DIR, "exercises.ipynb");
const source = readNotebook(SOURCE);
const release = releaseNotebook(source);
const work = mkdtempSync(join(tmpdir(), "grader-hostile-"));
const submissions = join(work, "submissions");
const out = join(work, "grades");
/** A file a forging submission tries to create on the host. */
const PWNED = join(tmpdir(), `course-grader-pwned-${process.pid}`);

const MEAN = "function mean(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0) / xs.length;\n}";
const RELU = "function relu(x: tf.Tensor): tf.Tensor {\n  return tf.maximum(x, 0);\n}";
const COUNT = "function countWords(text: string): Record<string, number> {\n  const counts: Record<string, number> = {};\n  for (const w of text.split(\" \").filter((w) => w.length > 0)) counts[w] = (counts[w] ?? 0) + 1;\n  return counts;\n}";
const correct = { "mean-solution": MEAN, "relu-solution": RELU, "count-words-solution": COUNT };

function submit(student: string, notebook: Notebook | string | Buffer): void {
  mkdirSync(join(submissions, student), { recursive: true });
  const path = join(submissions, student, "exercises.ipynb");
  if (typeof notebook === "string" || Buffer.isBuffer(notebook)) writeFileSync(path, notebook);
  else writeNotebook(path, notebook);
}

function hashTree(dir: string): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    hash.update(name);
    hash.update(statSync(path).isDirectory() ? hashTree(path) : readFileSync(path));
  }
  return hash.digest("hex");
}

/** Processes owned by this grader's sandbox users (slots 0 and 1). */
function sandboxProcesses(): string[] {
  return readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
      return uid === sandboxUid(0) || uid === sandboxUid(1);
    } catch {
      return false;
    }
  });
}

let report: GradeReport;
let sourceHash = "";
const grade = (student: string): NotebookGrade => {
  const found = report.grades.find((g) => g.student === student);
  assert.ok(found, `no grade for ${student}`);
  return found;
};
const statuses = (student: string): Record<string, [number, string]> =>
  Object.fromEntries(grade(student).exercises.map((e) => [e.exercise, [e.points, e.status]]));

before(async () => {
  submit("correct", withAnswers(release, correct));
  // mean passes its public tests but not the hidden one; relu is wrong; countWords right
  submit("partial", withAnswers(release, { ...correct, "mean-solution": MEAN.replace("return", "return xs.length === 1 ? 0 :"), "relu-solution": "function relu(x: tf.Tensor): tf.Tensor {\n  return x;\n}" }));
  submit("stub", release);
  submit("loop-exit-buffer", withAnswers(release, {
    "mean-solution": "function mean(xs: number[]): number {\n  while (true) {}\n}",
    "relu-solution": "function relu(x: tf.Tensor): tf.Tensor {\n  process.exit(0);\n}",
    // tens of GB, 1 GiB at a time
    "count-words-solution": "function countWords(text: string): Record<string, number> {\n  const hog: Buffer[] = [];\n  for (let i = 0; i < 40; i++) hog.push(Buffer.alloc(2 ** 30, 1));\n  return {};\n}",
  }));
  submit("heap", withAnswers(release, { ...correct, "relu-solution": "function relu(x: tf.Tensor): tf.Tensor {\n  const hog: number[][] = [];\n  for (;;) hog.push(new Array(1e6).fill(1.5));\n}" }));
  submit("kill-spawn", withAnswers(release, {
    ...correct,
    "mean-solution": `${MEAN}\nfor (const target of [process.ppid, -1, 1]) { try { process.kill(target, "SIGKILL"); } catch {} }`,
    "count-words-solution": `${COUNT}\nconst children = require("child_process");\nfor (let i = 0; i < 100; i++) { try { children.spawn("sleep", ["600"], { detached: true, stdio: "ignore" }).unref(); } catch {} }`,
  }));
  submit("read-forge", withAnswers(release, {
    // a wrong answer behind its own checkEqual, declared in the cell and re-planted in the shared scope by a timer
    "count-words-solution": [
      "function countWords(text: string): Record<string, number> {\n  return {};\n}",
      "function checkEqual(..._args: unknown[]): void {}",
      "setInterval(() => { try { (globalThis as any).__courseKernel__.exports.checkEqual = () => undefined; } catch {} }, 1);",
    ].join("\n"),
    // succeeds only if the source notebook (with the hidden tests) can be read
    "mean-solution": `function mean(xs: number[]): number {\n  const text = require("fs").readFileSync(${JSON.stringify(SOURCE)}, "utf8");\n  return text.includes("BEGIN HIDDEN TESTS") ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;\n}`,
    "relu-solution": [
      "function relu(x: tf.Tensor): tf.Tensor {\n  return x;\n}",
      'const fs = require("fs");',
      `for (const path of [${JSON.stringify(PWNED)}, ${JSON.stringify(join(out, "grades.csv"))}, ${JSON.stringify(join(SOURCE_DIR, "exercises.ipynb"))}]) { try { fs.writeFileSync(path, "relu,2,2,ok"); } catch {} }`,
      'try { require("@llm-course/lib/dist/exercise/check").checkClose = () => undefined; } catch {}',
      'try { Object.defineProperty(require("@llm-course/lib"), "checkClose", { value: () => undefined }); } catch {}',
      'try { require("vm").runInThisContext = () => undefined; } catch {}',
      'try { (tf.Tensor.prototype as any).dataSync = () => new Float32Array([0, 2]); } catch {}',
      'try { (JSON as any).stringify = () => "{}"; } catch {}',
      'console.log("✓ passed — 2 / 2 points\\n{\\"status\\": \\"ok\\"}");',
      "console.log = () => undefined;",
    ].join("\n"),
  }));
  const tampered = withAnswers(release, correct);
  tampered.cells = tampered.cells.filter((cell) => (cell.metadata["nbgrader"] as { grade_id?: string } | undefined)?.grade_id !== "mean-test-1");
  for (const cell of tampered.cells) {
    const meta = cell.metadata["nbgrader"] as { grade_id?: string; points?: number } | undefined;
    if (meta?.grade_id === "relu-test-1") cell.source = ["// this test always passes\n"];
    if (meta?.grade_id === "count-words-test-1") meta.points = 100;
  }
  submit("tampered", tampered);
  submit("invalid-json", '{"cells": [');
  const python = withAnswers(release, correct);
  python.metadata["kernelspec"] = { name: "python3", display_name: "Python 3", language: "python" };
  submit("wrong-kernel", python);
  submit("non-utf8", Buffer.concat([Buffer.from(JSON.stringify(withAnswers(release, correct)).slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from("}")]));
  const many = withAnswers(release, correct);
  for (let i = 0; i < 10_000; i++) many.cells.push({ cell_type: "code", metadata: {}, source: [`while (true) {} // filler ${i}`], execution_count: null, outputs: [] });
  submit("many-cells", many);
  sourceHash = hashTree(SOURCE_DIR);
  report = await gradeSubmissions({
    sourceDir: SOURCE_DIR, submissionsDir: submissions, outDir: out, jobs: 2,
    cellTimeoutMs: 30_000, notebookTimeoutMs: 600_000, limits: { heapMb: 512, memoryMb: 1200 },
  });
});

test("the sandbox's measures are all on here (root on Linux, as in CI)", () => {
  assert.equal(report.sandbox.filter((line) => line.startsWith("OFF")).join("\n"), "");
});

test("correct answers get full marks; partial credit per test; the stubbed release gets zero", () => {
  assert.deepEqual(statuses("correct"), { mean: [3, "ok"], relu: [2, "ok"], "count-words": [2, "ok"] });
  assert.deepEqual(statuses("partial"), { mean: [1, "failed"], relu: [0, "failed"], "count-words": [2, "ok"] });
  const hidden = grade("partial").exercises[0]!.tests[1]!;
  assert.match(hidden.message, /^CheckError: mean\(\[5\]\): expected 5, got 0/);
  assert.deepEqual(statuses("stub"), { mean: [0, "failed"], relu: [0, "failed"], "count-words": [0, "failed"] });
  assert.match(grade("stub").exercises[0]!.tests[0]!.message, /not implemented/);
});

test("an infinite loop times out, process.exit crashes, tens of GB run out of memory — each exercise on its own", () => {
  assert.deepEqual(statuses("loop-exit-buffer"), { mean: [0, "timeout"], relu: [0, "crashed"], "count-words": [0, "out-of-memory"] });
});

test("filling the V8 heap is out-of-memory for that exercise; a fresh kernel grades the next", () => {
  assert.deepEqual(statuses("heap"), { mean: [3, "ok"], relu: [0, "out-of-memory"], "count-words": [2, "ok"] });
});

test("signals cannot reach the grader, spawned processes die with the sandbox", () => {
  const kill = statuses("kill-spawn");
  assert.deepEqual(kill.mean, [3, "ok"]);
  assert.deepEqual(kill.relu, [2, "ok"]);
  assert.deepEqual(sandboxProcesses(), []);
});

test("the source notebook cannot be read; patched or shadowed checks, fake output and written files earn nothing", () => {
  assert.deepEqual(statuses("read-forge"), { mean: [0, "failed"], relu: [0, "failed"], "count-words": [0, "failed"] });
  assert.equal(existsSync(PWNED), false, "a file written to /tmp escaped the sandbox");
  assert.equal(hashTree(SOURCE_DIR), sourceHash, "the source folder changed");
  assert.doesNotMatch(readFileSync(join(out, "grades.csv"), "utf8"), /^relu,2,2,ok$/m);
});

test("edited, deleted and re-pointed locked cells are restored from the source and flagged", () => {
  assert.deepEqual(statuses("tampered"), { mean: [3, "tampered"], relu: [2, "tampered"], "count-words": [2, "tampered"] });
  const notes = grade("tampered").exercises.flatMap((e) => e.notes).join("\n");
  assert.match(notes, /mean-test-1 was deleted/);
  assert.match(notes, /relu-test-1 was changed/);
});

test("invalid JSON, a Python notebook and non-UTF-8 bytes are invalid-notebook with the reason", () => {
  for (const [student, reason] of [["invalid-json", /not valid JSON/], ["wrong-kernel", /"python3" kernel/], ["non-utf8", /not UTF-8/]] as const) {
    assert.deepEqual(Object.values(statuses(student)), [[0, "invalid-notebook"], [0, "invalid-notebook"], [0, "invalid-notebook"]], student);
    assert.match(grade(student).notes[0] ?? "", reason);
  }
});

test("a notebook of 10,000 extra cells is graded on its exercises alone", () => {
  assert.deepEqual(statuses("many-cells"), { mean: [3, "ok"], relu: [2, "ok"], "count-words": [2, "ok"] });
});

test("grades.csv, summary.md and one feedback page per student are written", () => {
  const csv = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n");
  assert.equal(csv[0], "student,notebook,exercise,points,max,status");
  assert.equal(csv.length, 1 + 12 * 3);
  assert.ok(csv.includes("partial,exercises.ipynb,mean,1,3,failed"));
  assert.match(readFileSync(join(out, "summary.md"), "utf8"), /\| correct \| 7 \| 7 \| ok 3 \|/);
  const feedback = readFileSync(join(out, "feedback", "partial.html"), "utf8");
  assert.match(feedback, /mean\(\[5\]\): expected 5, got 0/);
  assert.match(feedback, /✓ passed — 1 \/ 1 points/);
  assert.doesNotMatch(feedback, /BEGIN HIDDEN TESTS|relu of a matrix\"\)/, "the feedback shows the public tests only");
  assert.equal(readdirSync(join(out, "feedback")).length, 12);
});
