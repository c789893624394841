/**
 * Runs a grading plan in a kernel and scores it: each test cell passes iff the kernel's `execute_reply` to the
 * grader's own request for that cell says `ok` (what the cell prints is never read). A cell past its time limit is
 * interrupted; a kernel that dies (process.exit, a signal, out of memory) or stops answering is replaced by a fresh
 * one that runs the setup cells again, so later exercises are still graded.
 */
import type { Output } from "../notebook/ipynb";
import { KernelClient, KernelDiedError, KernelTimeoutError } from "../notebook/kernel";
import { OutputCollector } from "../notebook/outputs";
import type { Plan, Step } from "./plan";
import { HARDENING_CELL } from "./preamble";

/** A test cell's outcome. */
export type TestStatus = "passed" | "failed" | "timeout" | "crashed" | "out-of-memory" | "not-run";

/** An exercise's status in `grades.csv`. */
export type ExerciseStatus = "ok" | "failed" | "timeout" | "crashed" | "out-of-memory" | "tampered" | "invalid-notebook";

/** One test cell's result. */
export interface TestResult {
  gradeId: string;
  exercise: string;
  /** earned: `maxPoints` when passed, else 0 */
  points: number;
  maxPoints: number;
  status: TestStatus;
  /** The failed check's message (`CheckError: …`), the timeout or the crash; "" when passed */
  message: string;
}

/** One exercise's result. */
export interface ExerciseResult {
  exercise: string;
  points: number;
  maxPoints: number;
  status: ExerciseStatus;
  tests: TestResult[];
  /** Why the status is what it is beyond the tests (tampering, a crash in the solution cell, …) */
  notes: string[];
}

/** The outcome of running one plan. */
export interface PlanRun {
  exercises: ExerciseResult[];
  /** Problems outside any exercise (a setup cell failed, restarts) */
  notes: string[];
  kernelStarts: number;
  durationMs: number;
}

/** Options of `runPlan`. */
export interface PlanRunOptions {
  /** Starts a fresh kernel (sandboxed for grading) */
  startKernel: () => Promise<KernelClient>;
  /** Per-cell limit, ms */
  cellTimeoutMs: number;
  /** Whole-notebook limit, ms (kernel starts included) */
  notebookTimeoutMs: number;
  /** Send the hardening cell (`preamble.ts`) after the setup cells: true when grading untrusted work */
  harden: boolean;
  /** Most kernel starts (the first one included). Default: exercises + 1 */
  maxKernelStarts?: number;
  /** Called after each step (progress) */
  onStep?: (step: Step, status: string) => void;
}

/** Kernel logs and error messages that mean memory ran out. */
const OUT_OF_MEMORY = /out of memory|heap limit|allocation failed|Cannot allocate memory|ENOMEM|bad_alloc|Array buffer allocation/i;

/** The text of a cell's error output, for a test's message. */
function errorMessage(outputs: Output[]): string {
  const error = outputs.find((output) => output.output_type === "error");
  if (error?.output_type === "error") return `${error.ename}: ${error.evalue}`;
  return "the cell failed without an error message";
}

/** The one-line annotation the feedback shows under a test cell. */
function annotation(test: TestResult): Output {
  const label = test.status === "passed" ? `✓ passed — ${test.points} / ${test.maxPoints} points` : `✗ ${test.status} — 0 / ${test.maxPoints} points${test.message ? `: ${test.message}` : ""}`;
  const css = test.status === "passed" ? "#dfd" : "#fdd";
  const html = `<div class="grade-result" style="background:${css};padding:.3em .6em;font-family:monospace">${label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div>`;
  return { output_type: "display_data", data: { "text/html": html, "text/plain": label }, metadata: { course: { grade: test.status, gradeId: test.gradeId } } };
}

/**
 * Runs the plan's steps in order in fresh kernels, filling `plan.notebook`'s outputs and annotating each test cell.
 * @returns the per-exercise results (never throws for what the notebook's code does; throws if no kernel starts at all)
 */
export async function runPlan(plan: Plan, options: PlanRunOptions): Promise<PlanRun> {
  const { startKernel, cellTimeoutMs, notebookTimeoutMs, harden, onStep } = options;
  const maxStarts = options.maxKernelStarts ?? plan.exercises.length + 1;
  const started = Date.now();
  const deadline = started + notebookTimeoutMs;
  const notes: string[] = [];
  const results = new Map<string, ExerciseResult>(plan.exercises.map((e) => [e.id, { exercise: e.id, points: 0, maxPoints: e.maxPoints, status: "ok", tests: [], notes: [] }]));
  /** A status that ends the exercise (its remaining cells are not run) */
  const ended = new Map<string, ExerciseStatus>();
  for (const issue of plan.tampered) {
    const result = issue.exercise ? results.get(issue.exercise) : undefined;
    if (result) result.notes.push(issue.message);
    else notes.push(issue.message);
  }
  const setupSteps = plan.steps.filter((step) => step.kind === "setup");
  let kernel: KernelClient | undefined;
  let collector = new OutputCollector();
  let kernelStarts = 0;

  const record = (step: Step, status: TestStatus, message: string): void => {
    const result = results.get(step.exercise ?? "");
    if (!result || step.gradeId === undefined) return;
    const maxPoints = step.points ?? 0;
    const test: TestResult = { gradeId: step.gradeId, exercise: result.exercise, points: status === "passed" ? maxPoints : 0, maxPoints, status, message };
    result.tests.push(test);
    result.points += test.points;
    const cell = plan.notebook.cells[step.cellIndex];
    if (cell?.cell_type === "code") cell.outputs.push(annotation(test));
  };
  const endExercise = (exercise: string | undefined, status: ExerciseStatus, note: string): void => {
    if (exercise === undefined || ended.has(exercise)) return;
    ended.set(exercise, status);
    results.get(exercise)?.notes.push(note);
  };

  /** Runs one step; returns how it went (a thrown kernel death or timeout becomes a status). */
  const execute = async (step: Step, outputs: Output[]): Promise<{ status: "ok" | "error" | "timeout" | "notebook-timeout" | "crashed" | "out-of-memory"; message: string; count?: number | null }> => {
    const left = deadline - Date.now();
    if (left <= 0) return { status: "notebook-timeout", message: `the notebook ran past its limit of ${notebookTimeoutMs / 1000} s` };
    // Setup cells are the instructor's (imports, data): they get at least 5 minutes, a busy machine's import time.
    const limit = Math.min(step.kind === "setup" ? Math.max(cellTimeoutMs, 300_000) : cellTimeoutMs, left);
    try {
      let result = await kernel!.execute(step.code, { timeoutMs: limit, collector, outputs });
      if (result.status === "aborted") result = await kernel!.execute(step.code, { timeoutMs: limit, collector, outputs });
      if (result.status === "ok") return { status: "ok", message: "", count: result.executionCount };
      const message = errorMessage(outputs);
      return { status: OUT_OF_MEMORY.test(message) ? "out-of-memory" : "error", message, count: result.executionCount };
    } catch (error) {
      if (error instanceof KernelTimeoutError) {
        const notebookLimit = limit === left;
        // A kernel that does not come back from the interrupt is replaced.
        const alive = kernel!.alive && (await kernel!.execute("0", { timeoutMs: 5000 }).then((r) => r.status === "ok", () => false));
        if (!alive) await stopKernel();
        return notebookLimit
          ? { status: "notebook-timeout", message: `the notebook ran past its limit of ${notebookTimeoutMs / 1000} s` }
          : { status: "timeout", message: `the cell ran past its limit of ${limit / 1000} s (interrupted)` };
      }
      if (error instanceof KernelDiedError) {
        const why = error.message.split("\n")[0] ?? "";
        await stopKernel();
        return OUT_OF_MEMORY.test(error.log)
          ? { status: "out-of-memory", message: `the kernel ran out of memory (${why})` }
          : { status: "crashed", message: `the kernel died while running this cell (${why})` };
      }
      throw error;
    }
  };

  const stopKernel = async (): Promise<void> => {
    const old = kernel;
    kernel = undefined;
    await old?.shutdown({ graceMs: old.alive ? 1000 : 0 });
  };

  /** A setup or hardening cell failed: no student code had run, so a new kernel would fail the same way. */
  let fatal: string | undefined;
  /** A kernel with the setup cells run (and the hardening cell), or a reason why not. */
  const ensureKernel = async (): Promise<string | undefined> => {
    if (fatal !== undefined) return fatal;
    if (kernel?.alive) return undefined;
    await stopKernel();
    if (kernelStarts >= maxStarts) return `the kernel was started ${kernelStarts} times already (limit ${maxStarts})`;
    if (Date.now() >= deadline) return `the notebook ran past its limit of ${notebookTimeoutMs / 1000} s`;
    kernelStarts += 1;
    try {
      kernel = await startKernel();
    } catch (error) {
      return `the kernel did not start: ${(error as Error).message.split("\n")[0]}`;
    }
    collector = new OutputCollector();
    if (kernelStarts > 1) notes.push(`kernel restarted (start ${kernelStarts}) after the previous one died or hung`);
    for (const step of setupSteps) {
      const cell = plan.notebook.cells[step.cellIndex];
      const outputs: Output[] = [];
      const outcome = await execute(step, outputs);
      if (cell?.cell_type === "code" && kernelStarts === 1) cell.outputs = outputs;
      onStep?.(step, outcome.status);
      if (outcome.status !== "ok") fatal = `setup cell ${step.cellIndex + 1} failed: ${outcome.message}`;
      if (fatal !== undefined) break;
    }
    if (harden && fatal === undefined) {
      const outcome = await execute({ kind: "setup", cellIndex: -1, code: HARDENING_CELL }, []);
      if (outcome.status !== "ok") fatal = `the grader's hardening cell failed: ${outcome.message}`;
    }
    if (fatal !== undefined) await stopKernel();
    return fatal;
  };

  try {
    for (const step of plan.steps) {
      if (step.kind === "setup" && kernel) continue; // run by ensureKernel
      const exercise = step.exercise;
      if (exercise !== undefined && ended.has(exercise)) {
        record(step, "not-run", `not run: ${ended.get(exercise)}`);
        continue;
      }
      const problem = await ensureKernel();
      if (problem !== undefined) {
        const status: ExerciseStatus = problem.includes("limit of") ? "timeout" : "crashed";
        if (exercise !== undefined) {
          endExercise(exercise, status, problem);
          record(step, "not-run", problem);
        } else if (!notes.includes(problem)) notes.push(problem);
        continue;
      }
      if (step.kind === "setup") continue;
      const cell = plan.notebook.cells[step.cellIndex];
      const outputs = cell?.cell_type === "code" ? (cell.outputs = []) : [];
      const outcome = await execute(step, outputs);
      if (cell?.cell_type === "code") cell.execution_count = outcome.count ?? null;
      onStep?.(step, outcome.status);
      const hard = outcome.status === "timeout" || outcome.status === "notebook-timeout" ? "timeout" : outcome.status === "crashed" || outcome.status === "out-of-memory" ? outcome.status : undefined;
      if (step.kind === "test") record(step, outcome.status === "ok" ? "passed" : outcome.status === "error" ? "failed" : outcome.status === "notebook-timeout" ? "timeout" : outcome.status, outcome.message);
      else if (outcome.status !== "ok" && exercise !== undefined) results.get(exercise)?.notes.push(`solution cell ${step.cellIndex + 1}: ${outcome.message}`);
      else if (outcome.status !== "ok") notes.push(`cell ${step.cellIndex + 1}: ${outcome.message}`);
      if (hard && exercise !== undefined) endExercise(exercise, hard, outcome.message);
      if (outcome.status === "notebook-timeout") {
        for (const id of results.keys()) endExercise(id, "timeout", outcome.message);
      }
    }
  } finally {
    await stopKernel();
  }
  for (const result of results.values()) {
    const hard = ended.get(result.exercise);
    const tampered = plan.tampered.some((issue) => issue.exercise === result.exercise);
    const allPassed = result.tests.length > 0 && result.tests.every((test) => test.status === "passed");
    result.status = hard ?? (tampered ? "tampered" : allPassed ? "ok" : "failed");
  }
  return { exercises: [...results.values()], notes, kernelStarts, durationMs: Date.now() - started };
}
