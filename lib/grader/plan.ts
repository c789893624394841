/**
 * What the grader runs for one submitted notebook: the instructor's source with the student's solution cells put
 * in (matched by `grade_id`), every locked cell taken from the source (so an edited or deleted test is restored),
 * and each test cell with its hidden tests. Also what `course check` runs (a learner's notebook as it is).
 */
import type { Cell, Notebook } from "../notebook/ipynb";
import { joinSource, splitLines } from "../notebook/ipynb";
import { cellChecksum } from "./checksum";
import { exerciseOf, findExercises, isSetupCell, nbgraderOf, roleOf, type Exercise } from "./metadata";
import { releaseNotebook } from "./assign";
import { importLine } from "./imports";
import { allTests, publicTests, referenceSolution } from "./regions";

/** One code cell to send to the kernel. */
export interface Step {
  kind: "setup" | "code" | "solution" | "test";
  /** 0-based index of the cell in `Plan.notebook` (whose outputs the step fills) */
  cellIndex: number;
  /** What is sent (for tests: with the hidden tests when grading) */
  code: string;
  exercise?: string;
  gradeId?: string;
  points?: number;
}

/** A submission problem found before running (tampering). */
export interface PlanIssue {
  exercise?: string;
  gradeId: string;
  message: string;
}

/** The plan of one notebook's run. */
export interface Plan {
  /** The notebook shown in the feedback: source structure, the student's solutions, public tests only */
  notebook: Notebook;
  exercises: Exercise[];
  steps: Step[];
  /** Locked cells the student changed or deleted, and solution cells they deleted */
  tampered: PlanIssue[];
}

/** How many cells run: only the setup cells and the exercises (default), or every code cell. */
export type RunScope = "exercises" | "all";

/** The exercise a cell belongs to: `course.exercise`, else the exercise whose id prefixes its grade_id (task cells). */
function exerciseFor(cell: Cell, exercises: Exercise[]): string | undefined {
  const own = exerciseOf(cell);
  if (own !== undefined) return own;
  const id = nbgraderOf(cell)?.grade_id ?? "";
  return exercises.find((exercise) => id.startsWith(`${exercise.id}-`))?.id;
}

/** Setup cells: the first code cell (the imports) and every cell marked `course.setup: true`. */
function setupIndices(notebook: Notebook): Set<number> {
  const indices = new Set<number>();
  const first = notebook.cells.findIndex((cell) => cell.cell_type === "code");
  if (first >= 0) indices.add(first);
  notebook.cells.forEach((cell, i) => { if (isSetupCell(cell)) indices.add(i); });
  return indices;
}

/** The student cells by grade_id (the first of each: a duplicated cell does not replace the original). */
function byGradeId(notebook: Notebook): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const cell of notebook.cells) {
    const id = nbgraderOf(cell)?.grade_id;
    if (typeof id === "string" && !cells.has(id)) cells.set(id, cell);
  }
  return cells;
}

/**
 * The grading plan of a submission.
 * @param source the instructor's source notebook (with solutions and hidden tests)
 * @param submission the student's notebook, or `undefined` to grade the source itself (the reference solutions)
 * @param scope `exercises`: setup cells then each exercise's cells; `all`: every code cell in order
 */
export function planGrading(source: Notebook, submission: Notebook | undefined, scope: RunScope = "exercises"): Plan {
  const release = releaseNotebook(source);
  const exercises = findExercises(source);
  const student = submission ? byGradeId(submission) : undefined;
  const tampered: PlanIssue[] = [];
  const setup = setupIndices(source);
  const firstCode = source.cells.find((cell) => cell.cell_type === "code");
  const imports = firstCode ? importLine(joinSource(firstCode.source)) : "";
  const inExercise = new Set(exercises.flatMap((e) => [...e.solutions, ...e.tests.map((t) => t.index)]));
  const notebook: Notebook = { ...structuredClone(release), cells: [] };
  const steps: Step[] = [];
  source.cells.forEach((sourceCell, i) => {
    const released = release.cells[i]!;
    const meta = nbgraderOf(sourceCell);
    const role = roleOf(sourceCell);
    const exercise = exerciseFor(sourceCell, exercises);
    let shown: Cell = structuredClone(released);
    let code = joinSource(sourceCell.source);
    if (role === "solution") {
      const theirs = student?.get(meta!.grade_id);
      if (student && (!theirs || theirs.cell_type !== sourceCell.cell_type)) {
        tampered.push({ ...(exercise ? { exercise } : {}), gradeId: meta!.grade_id, message: `solution cell ${meta!.grade_id} is missing from the submission (the released stub was run in its place)` });
      }
      const answer = student ? joinSource((theirs && theirs.cell_type === sourceCell.cell_type ? theirs : released).source) : referenceSolution(code, sourceCell.cell_type);
      shown.source = splitLines(answer);
      code = answer;
    } else if (meta && (meta.locked || meta.grade) && student) {
      const theirs = student.get(meta.grade_id);
      const expected = cellChecksum(released);
      if (!theirs) tampered.push({ ...(exercise ? { exercise } : {}), gradeId: meta.grade_id, message: `locked cell ${meta.grade_id} was deleted (restored from the source)` });
      else if (cellChecksum(theirs) !== expected) {
        tampered.push({ ...(exercise ? { exercise } : {}), gradeId: meta.grade_id, message: `locked cell ${meta.grade_id} was changed (restored from the source)` });
      }
    }
    // Tests bind their names themselves (imports.ts), on one line in front so line numbers shift by one.
    if (role === "test") code = imports ? `${imports}\n${allTests(code)}` : allTests(code);
    notebook.cells.push(shown);
    if (sourceCell.cell_type !== "code") return;
    const runs = scope === "all" || setup.has(i) || inExercise.has(i);
    if (!runs || code.trim() === "") return;
    const step: Step = { kind: role === "test" ? "test" : role === "solution" ? "solution" : setup.has(i) ? "setup" : "code", cellIndex: i, code };
    if (exercise && (role === "test" || role === "solution")) step.exercise = exercise;
    if (role === "test") {
      step.gradeId = meta!.grade_id;
      step.points = Number(meta!.points ?? 0);
    }
    steps.push(step);
  });
  return { notebook, exercises, steps, tampered };
}

/**
 * The plan of `course check`: the learner's notebook as it is, every code cell in order, test cells as they are
 * (public tests only: the release has no hidden ones). Nothing is restored or flagged.
 */
export function planCheck(notebook: Notebook): Plan {
  // A test cell whose checks are all hidden has nothing to run here: it counts only when graded.
  const exercises = findExercises(notebook).map((exercise) => {
    const tests = exercise.tests.filter((t) => publicTests(joinSource(notebook.cells[t.index]!.source)).trim() !== "");
    return { ...exercise, tests, maxPoints: tests.reduce((sum, t) => sum + t.points, 0) };
  });
  const shown = structuredClone(notebook);
  const steps: Step[] = [];
  shown.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const code = joinSource(cell.source);
    if (code.trim() === "") return;
    const role = roleOf(cell);
    const exercise = exerciseOf(cell);
    const step: Step = { kind: role === "test" ? "test" : role === "solution" ? "solution" : "code", cellIndex: i, code: role === "test" ? publicTests(code) : code };
    if (exercise && (role === "test" || role === "solution")) step.exercise = exercise;
    if (role === "test") {
      const meta = nbgraderOf(cell)!;
      step.gradeId = meta.grade_id;
      step.points = Number(meta.points ?? 0);
    }
    steps.push(step);
  });
  return { notebook: shown, exercises, steps, tampered: [] };
}
