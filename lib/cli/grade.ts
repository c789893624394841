/**
 * The instructor's and learner's grading commands: `course assign` (student release), `course check` (a learner
 * runs their notebook's public tests) and `course grade` (sandboxed grading of a folder of submissions).
 */
import { relative } from "node:path";
import type { Command } from "commander";
import { assignDirectory } from "../grader/assign";
import { gradeSubmissions } from "../grader/batch";
import { checkExercises, formatCheck } from "../grader/check";
import { positiveInt } from "./args";

/** `course assign SOURCE_DIR --out RELEASE_DIR`. */
export function registerAssign(program: Command): void {
  program
    .command("assign")
    .description("write the student release of source notebooks: solutions stubbed, hidden tests removed, outputs cleared, locked cells checksummed")
    .argument("<source-dir>", "the instructor's notebooks (with solutions and hidden tests)")
    .requiredOption("--out <release-dir>", "where the student versions go")
    .action((sourceDir: string, options: { out: string }) => {
      const written = assignDirectory(sourceDir, options.out);
      for (const nb of written) console.log(`${relative(process.cwd(), nb.release)}: ${nb.exercises} exercise(s), ${nb.points} point(s)`);
    });
}

/** `course check NOTEBOOK`. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("run your notebook and its public tests; prints points per exercise and each failing check")
    .argument("<notebook>", "your copy of a course notebook")
    .option("--timeout <seconds>", "limit per cell", positiveInt("--timeout"), 600)
    .option("--full", "the full configs (COURSE_MODE=full); quick by default")
    .action(async (notebook: string, options: { timeout: number; full?: boolean }) => {
      const result = await checkExercises(notebook, { cellTimeoutMs: options.timeout * 1000, env: { COURSE_MODE: options.full ? "full" : "quick" } });
      console.log(formatCheck(result));
      if (result.exercises.some((e) => e.status !== "ok")) process.exitCode = 1;
    });
}

interface GradeCliOptions {
  source: string;
  out: string;
  jobs?: number;
  cellTimeout: number;
  notebookTimeout: number;
  memory: number;
  heap: number;
  processes: number;
  allCells?: boolean;
  full?: boolean;
}

/** `course grade SUBMISSIONS_DIR --source SOURCE_DIR --out GRADES_DIR [--jobs N]`. */
export function registerGrade(program: Command): void {
  program
    .command("grade")
    .description("grade submissions in sandboxed kernels: grades.csv, grades.json, summary.md, feedback/<student>.html")
    .argument("<submissions-dir>", "one folder per student (notebooks by their released names), or one .ipynb per student")
    .requiredOption("--source <source-dir>", "the instructor's source notebooks (solutions, hidden tests)")
    .requiredOption("--out <grades-dir>", "where grades and feedback go")
    .option("--jobs <n>", "submissions graded at once (default: CPU cores)", positiveInt("--jobs"))
    .option("--cell-timeout <seconds>", "limit per cell", positiveInt("--cell-timeout"), 60)
    .option("--notebook-timeout <seconds>", "limit per notebook, kernel starts included", positiveInt("--notebook-timeout"), 600)
    .option("--memory <MiB>", "memory per kernel process (RLIMIT_DATA)", positiveInt("--memory"), 4096)
    .option("--heap <MiB>", "V8 heap per kernel (--max-old-space-size)", positiveInt("--heap"), 2048)
    .option("--processes <n>", "processes and threads per sandbox user (RLIMIT_NPROC)", positiveInt("--processes"), 64)
    .option("--all-cells", "run every code cell of the notebook, not only the setup cells and the exercises")
    .option("--full", "COURSE_MODE=full for the kernels (quick by default)")
    .action(async (submissionsDir: string, options: GradeCliOptions) => {
      const report = await gradeSubmissions({
        sourceDir: options.source, submissionsDir, outDir: options.out,
        ...(options.jobs ? { jobs: options.jobs } : {}),
        cellTimeoutMs: options.cellTimeout * 1000, notebookTimeoutMs: options.notebookTimeout * 1000,
        limits: { memoryMb: options.memory, heapMb: options.heap, processes: options.processes },
        scope: options.allCells ? "all" : "exercises",
        env: { COURSE_MODE: options.full ? "full" : "quick" },
        log: (line) => console.log(line),
      });
      const students = new Set(report.grades.map((g) => g.student)).size;
      console.log(`graded ${students} student(s) in ${(report.durationMs / 1000).toFixed(1)} s: ${relative(process.cwd(), options.out) || "."}/grades.csv, summary.md, feedback/`);
    });
}
