/**
 * `course check NOTEBOOK`, for learners: runs their notebook from a fresh kernel (every cell, in order, as Jupyter
 * would; public tests only, since a release has no hidden ones) and reports per exercise which tests pass, with each
 * failing check's message. Unlike `course notebooks`, a failing cell does not stop the run.
 */
import { dirname, resolve } from "node:path";
import { readNotebook } from "../notebook/ipynb";
import { KernelClient } from "../notebook/kernel";
import { findExercises } from "./metadata";
import { planCheck } from "./plan";
import { runPlan, type ExerciseResult } from "./run";

/** Options of `checkExercises`. */
export interface CheckOptions {
  /** Per cell, ms. Default 10 min (a learner's notebook may train) */
  cellTimeoutMs?: number;
  /** Kernel environment. Default `{ COURSE_MODE: "quick" }` */
  env?: Record<string, string>;
  onCell?: (cellIndex: number, status: string) => void;
}

/** A checked notebook. */
export interface CheckResult {
  path: string;
  exercises: ExerciseResult[];
  /** Cells outside exercises that failed */
  notes: string[];
  durationMs: number;
}

/**
 * Runs a learner's notebook and grades its public tests.
 * @throws when the file is not a notebook or has no exercises, or the kernel cannot start
 */
export async function checkExercises(path: string, options: CheckOptions = {}): Promise<CheckResult> {
  const { cellTimeoutMs = 600_000, env = { COURSE_MODE: "quick" }, onCell } = options;
  const notebook = readNotebook(path);
  if (findExercises(notebook).length === 0) throw new Error(`${path}: no exercises (test cells with nbgrader metadata and course.exercise) — is this a course notebook?`);
  const plan = planCheck(notebook);
  const run = await runPlan(plan, {
    startKernel: () => KernelClient.start({ cwd: dirname(resolve(path)), env }),
    cellTimeoutMs,
    notebookTimeoutMs: Number.MAX_SAFE_INTEGER / 2,
    harden: false,
    maxKernelStarts: 1,
    ...(onCell ? { onStep: (step, status) => onCell(step.cellIndex + 1, status) } : {}),
  });
  return { path, exercises: run.exercises, notes: run.notes, durationMs: run.durationMs };
}

/** The report `course check` prints: one block per exercise, each failing test with its message. */
export function formatCheck(result: CheckResult): string {
  const lines: string[] = [];
  for (const e of result.exercises) {
    lines.push(`${e.status === "ok" ? "✓" : "✗"} ${e.exercise}: ${e.points} / ${e.maxPoints} points${e.status === "ok" ? "" : ` (${e.status})`}`);
    for (const test of e.tests) {
      if (test.status !== "passed") lines.push(`    ${test.gradeId}: ${test.status}${test.message ? ` — ${test.message}` : ""}`);
    }
    for (const note of e.notes) lines.push(`    ${note}`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  const points = result.exercises.reduce((sum, e) => sum + e.points, 0);
  const max = result.exercises.reduce((sum, e) => sum + e.maxPoints, 0);
  lines.push(`${result.path}: ${points} / ${max} points from the public tests (hidden tests may find more when it is graded)`);
  return lines.join("\n");
}
