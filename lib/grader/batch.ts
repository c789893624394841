/**
 * `course grade`: grades every student's submission against the instructor's source notebooks, `jobs` at a time,
 * each notebook in a fresh sandboxed kernel (sandbox.ts), and writes grades.csv, grades.json, summary.md and a
 * feedback page per student (feedback.ts). One bad submission never stops the batch: it gets a status.
 */
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { readNotebook, type Notebook } from "../notebook/ipynb";
import { KernelClient } from "../notebook/kernel";
import { writeFileAtomic } from "../core/atomic";
import { listNotebookFiles } from "./assign";
import { feedbackHtml, gradesCsv, summaryMarkdown, type NotebookGrade } from "./feedback";
import { findExercises, formatProblem, validateSource } from "./metadata";
import { planGrading, type RunScope } from "./plan";
import { runPlan } from "./run";
import { DEFAULT_LIMITS, Sandbox, describeSandbox, probeSandbox, type SandboxLimits } from "./sandbox";
import { listSubmissions, readSubmission } from "./submission";

/** Options of `gradeSubmissions`. */
export interface GradeOptions {
  sourceDir: string;
  submissionsDir: string;
  outDir: string;
  /** Submissions graded at once. Default: the number of CPU cores */
  jobs?: number;
  /** Per cell, ms. Default 60 s */
  cellTimeoutMs?: number;
  /** Per notebook (kernel starts included), ms. Default 10 min */
  notebookTimeoutMs?: number;
  limits?: Partial<SandboxLimits>;
  /** `exercises` (default): setup cells and exercises only; `all`: every code cell */
  scope?: RunScope;
  /** Kernel environment. Default `{ COURSE_MODE: "quick" }` */
  env?: Record<string, string>;
  /** Progress lines */
  log?: (line: string) => void;
}

/** What `gradeSubmissions` wrote and found. */
export interface GradeReport {
  grades: NotebookGrade[];
  /** The sandbox measures in force (one line each) */
  sandbox: string[];
  warnings: string[];
  durationMs: number;
}

/** A source notebook with exercises. */
interface SourceNotebook {
  name: string;
  notebook: Notebook;
}

/** Reads and validates the source folder: every notebook with at least one exercise. */
export function readSources(sourceDir: string): SourceNotebook[] {
  const sources = listNotebookFiles(sourceDir).map((path) => ({ path, name: basename(path), notebook: readNotebook(path) }));
  const problems = sources.flatMap(({ path, notebook }) => validateSource(notebook, path));
  if (problems.length > 0) throw new Error(`${problems.length} problem(s) in the source notebooks:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
  const graded = sources.filter(({ notebook }) => findExercises(notebook).length > 0);
  if (graded.length === 0) throw new Error(`${sourceDir}: no notebook has exercises (cells with nbgrader metadata and course.exercise)`);
  return graded.map(({ name, notebook }) => ({ name, notebook }));
}

/** Every exercise of a notebook with one status and no points (an invalid or missing notebook). */
function unrunnable(student: string, source: SourceNotebook, reason: string): NotebookGrade {
  return {
    student, notebook: source.name, notes: [reason], durationMs: 0,
    exercises: findExercises(source.notebook).map((e) => ({ exercise: e.id, points: 0, maxPoints: e.maxPoints, status: "invalid-notebook", tests: [], notes: [reason] })),
  };
}

/**
 * Grades one notebook of one student in a sandbox.
 * @param submission the student's notebook, or undefined to grade the source's reference solutions
 */
export async function gradeNotebook(student: string, source: SourceNotebook, submission: Notebook | undefined, options: {
  slot: number; hide: string[]; cellTimeoutMs: number; notebookTimeoutMs: number; limits: SandboxLimits; scope: RunScope; env: Record<string, string>;
}): Promise<NotebookGrade> {
  const plan = planGrading(source.notebook, submission, options.scope);
  const sandboxes: Sandbox[] = [];
  const startKernel = async (): Promise<KernelClient> => {
    const sandbox = Sandbox.create({ slot: options.slot, limits: options.limits, hide: options.hide, env: options.env });
    sandboxes.push(sandbox);
    return KernelClient.start({ argv: sandbox.argv, cwd: sandbox.dir, transport: "ipc", connectionDir: sandbox.ipcDir, startTimeoutMs: 120_000 });
  };
  try {
    const run = await runPlan(plan, { startKernel, cellTimeoutMs: options.cellTimeoutMs, notebookTimeoutMs: options.notebookTimeoutMs, harden: true });
    return { student, notebook: source.name, exercises: run.exercises, notes: run.notes, executed: plan.notebook, durationMs: run.durationMs };
  } finally {
    for (const sandbox of sandboxes) sandbox.dispose();
  }
}

/**
 * Grades a folder of submissions.
 * @returns every grade (also written under `outDir`); throws only for a bad source folder or output folder
 */
export async function gradeSubmissions(options: GradeOptions): Promise<GradeReport> {
  const started = Date.now();
  const { jobs = availableParallelism(), cellTimeoutMs = 60_000, notebookTimeoutMs = 600_000, scope = "exercises", env = { COURSE_MODE: "quick" }, log = () => undefined } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const [sourceDir, submissionsDir, outDir] = [options.sourceDir, options.submissionsDir, options.outDir].map((p) => resolve(p)) as [string, string, string];
  for (const [a, b] of [[outDir, sourceDir], [outDir, submissionsDir]] as const) {
    if ((a + "/").startsWith(b + "/") || (b + "/").startsWith(a + "/")) throw new Error(`--out ${a} overlaps ${b}: write grades to a folder of their own`);
  }
  const sources = readSources(sourceDir);
  mkdirSync(outDir, { recursive: true }); // exists before the first sandbox, which hides it
  const { submissions, warnings } = listSubmissions(submissionsDir, sources.map((s) => s.name));
  if (submissions.length === 0) throw new Error(`${submissionsDir}: no submissions (one folder per student, or one .ipynb per student)`);
  const support = probeSandbox();
  const sandbox = describeSandbox(support, limits);
  for (const line of sandbox) log(`sandbox: ${line}`);
  for (const warning of warnings) log(`warning: ${warning}`);
  const work = submissions.flatMap((submission) => sources.map((source) => ({ submission, source })));
  const grades: NotebookGrade[] = new Array(work.length);
  let next = 0;
  let done = 0;
  const worker = async (slot: number): Promise<void> => {
    for (let i = next++; i < work.length; i = next++) {
      const { submission, source } = work[i]!;
      const path = submission.notebooks.get(source.name)!;
      const read = readSubmission(path);
      let grade: NotebookGrade;
      if (!read.ok) grade = unrunnable(submission.student, source, read.reason);
      else {
        try {
          grade = await gradeNotebook(submission.student, source, read.notebook, {
            slot, hide: [sourceDir, submissionsDir, outDir], cellTimeoutMs, notebookTimeoutMs, limits, scope, env,
          });
          grade.notes.unshift(...read.notes);
        } catch (error) {
          grade = unrunnable(submission.student, source, `the grader failed: ${(error as Error).message.split("\n")[0]}`);
          for (const e of grade.exercises) e.status = "crashed";
        }
      }
      grades[i] = grade;
      done += 1;
      const points = grade.exercises.reduce((sum, e) => sum + e.points, 0);
      const max = grade.exercises.reduce((sum, e) => sum + e.maxPoints, 0);
      log(`[${done}/${work.length}] ${submission.student} ${source.name}: ${points}/${max} (${grade.exercises.map((e) => e.status).join(", ")}) ${(grade.durationMs / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, work.length)) }, (_, slot) => worker(slot)));
  writeFileAtomic(join(outDir, "grades.csv"), gradesCsv(grades));
  writeFileAtomic(join(outDir, "grades.json"), JSON.stringify({ sandbox, grades: grades.map(({ executed: _executed, ...rest }) => rest) }, null, 1) + "\n");
  writeFileAtomic(join(outDir, "summary.md"), summaryMarkdown(grades, [`# Grades`, "", `Source: ${relative(outDir, sourceDir)}, submissions: ${relative(outDir, submissionsDir)}, ${submissions.length} student(s), graded ${new Date().toISOString()}.`, "", "Sandbox:", ...sandbox.map((line) => `- ${line}`)]));
  for (const submission of submissions) {
    const own = grades.filter((g) => g.student === submission.student);
    writeFileAtomic(join(outDir, "feedback", `${submission.student}.html`), feedbackHtml(submission.student, own));
  }
  return { grades, sandbox, warnings, durationMs: Date.now() - started };
}
