/**
 * nbgrader's cell metadata, schema version 3 (https://nbgrader.readthedocs.io/en/stable/contributor_guide/metadata.html),
 * plus the course's own `course.exercise` (which exercise a cell belongs to) and `course.setup` (a cell the grader
 * runs before the exercises). Reads a notebook's exercises and checks an instructor's source notebook.
 */
import type { Cell, Notebook } from "../notebook/ipynb";
import { joinSource } from "../notebook/ipynb";
import { regionErrors } from "./regions";

/** `metadata.nbgrader` of a cell. */
export interface NbgraderMetadata {
  grade: boolean;
  grade_id: string;
  locked: boolean;
  points?: number;
  schema_version: number;
  solution: boolean;
  task: boolean;
  /** sha256 of the released cell, written by `course assign` (see checksum.ts) */
  checksum?: string;
}

/** What a cell is for the grader. */
export type CellRole = "solution" | "test" | "locked" | "plain";

/** One graded test cell. */
export interface TestCell {
  /** 0-based index in `notebook.cells` */
  index: number;
  gradeId: string;
  points: number;
}

/** An exercise: its solution cells and its test cells, in notebook order. */
export interface Exercise {
  id: string;
  /** 0-based indices of cells whose `nbgrader.solution` is true (code or markdown) */
  solutions: number[];
  tests: TestCell[];
  /** Sum of its tests' points */
  maxPoints: number;
}

/** An exercise id or grade_id: `[a-z0-9-]+` (the course's rule; nbgrader allows more). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** The cell's `nbgrader` metadata, or undefined for a plain cell. */
export function nbgraderOf(cell: Cell): NbgraderMetadata | undefined {
  const meta = cell.metadata["nbgrader"];
  return typeof meta === "object" && meta !== null ? (meta as NbgraderMetadata) : undefined;
}

/** The cell's `course.exercise` id, if any. */
export function exerciseOf(cell: Cell): string | undefined {
  const course = cell.metadata["course"] as { exercise?: unknown } | undefined;
  return typeof course?.exercise === "string" ? course.exercise : undefined;
}

/** Whether the instructor marked the cell `course.setup: true` (run by the grader before the exercises). */
export function isSetupCell(cell: Cell): boolean {
  const course = cell.metadata["course"] as { setup?: unknown } | undefined;
  return course?.setup === true;
}

/** solution (the learner edits it), test (graded, locked), locked (task text, read-only code) or plain. */
export function roleOf(cell: Cell): CellRole {
  const meta = nbgraderOf(cell);
  if (!meta) return "plain";
  if (meta.solution) return "solution";
  if (meta.grade) return "test";
  return meta.locked ? "locked" : "plain";
}

/** The exercises of a notebook, in order of first appearance. Cells without `course.exercise` are in none. */
export function findExercises(notebook: Notebook): Exercise[] {
  const byId = new Map<string, Exercise>();
  notebook.cells.forEach((cell, index) => {
    const id = exerciseOf(cell);
    const role = roleOf(cell);
    if (id === undefined || (role !== "solution" && role !== "test")) return;
    let exercise = byId.get(id);
    if (!exercise) byId.set(id, (exercise = { id, solutions: [], tests: [], maxPoints: 0 }));
    if (role === "solution") exercise.solutions.push(index);
    else {
      const meta = nbgraderOf(cell)!;
      const points = Number(meta.points ?? 0);
      exercise.tests.push({ index, gradeId: meta.grade_id, points });
      exercise.maxPoints += points;
    }
  });
  return [...byId.values()];
}

/** A problem in an instructor's source notebook. */
export interface SourceProblem {
  notebook: string;
  /** 1-based, as Jupyter shows cells (0 for the notebook as a whole) */
  cellIndex: number;
  gradeId?: string;
  message: string;
}

/** `nb.ipynb: cell 12 (grade_id ch04-f1-test-1): …` */
export function formatProblem(problem: SourceProblem): string {
  const where = problem.cellIndex > 0 ? `: cell ${problem.cellIndex}${problem.gradeId ? ` (grade_id ${problem.gradeId})` : ""}` : "";
  return `${problem.notebook}${where}: ${problem.message}`;
}

/**
 * Checks a source notebook against the course's exercise convention: every nbgrader cell has a unique
 * `grade_id` and schema 3; graded cells have positive points and are locked; solution and test cells name
 * their exercise; each exercise has a solution cell and a test cell; markers are balanced and in the right cells.
 * @param path the notebook's name in messages
 * @returns every problem found (empty when the notebook is fine)
 */
export function validateSource(notebook: Notebook, path: string): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  notebook.cells.forEach((cell, i) => {
    const meta = nbgraderOf(cell);
    const source = joinSource(cell.source);
    const add = (message: string): void => {
      problems.push({ notebook: path, cellIndex: i + 1, ...(meta?.grade_id ? { gradeId: meta.grade_id } : {}), message });
    };
    for (const message of regionErrors(source, cell.cell_type, roleOf(cell))) add(message);
    if (!meta) {
      if (exerciseOf(cell) !== undefined) add("has course.exercise but no nbgrader metadata (add the cell to the exercise with nbgrader's schema 3 metadata)");
      return;
    }
    if (meta.schema_version !== 3) add(`nbgrader schema_version ${String(meta.schema_version)} (need 3)`);
    if (typeof meta.grade_id !== "string" || meta.grade_id === "") {
      add("nbgrader metadata without a grade_id");
      return;
    }
    if (!ID_PATTERN.test(meta.grade_id)) add(`grade_id "${meta.grade_id}" is not [a-z0-9-]+`);
    const earlier = seen.get(meta.grade_id);
    if (earlier !== undefined) add(`grade_id "${meta.grade_id}" is also used by cell ${earlier} (grade_ids must be unique)`);
    else seen.set(meta.grade_id, i + 1);
    const role = roleOf(cell);
    if (meta.grade) {
      const points = meta.points;
      if (typeof points !== "number" || !Number.isFinite(points) || points <= 0) add(`graded cell with points ${JSON.stringify(points)} (need a positive number)`);
      if (!meta.solution && !meta.locked) add("graded test cell that is not locked (set nbgrader.locked: true)");
      if (cell.cell_type !== "code") add("graded cell that is not a code cell (only code tests are graded automatically)");
    }
    if (meta.solution && meta.grade) add("a cell that is both solution and graded (autograded answers are not supported: put the tests in their own cell)");
    if ((role === "solution" || role === "test") && exerciseOf(cell) === undefined) add(`${role} cell without course.exercise (which exercise is it part of?)`);
    const exercise = exerciseOf(cell);
    if (exercise !== undefined && !ID_PATTERN.test(exercise)) add(`course.exercise "${exercise}" is not [a-z0-9-]+`);
  });
  for (const exercise of findExercises(notebook)) {
    const first = (exercise.solutions[0] ?? exercise.tests[0]?.index ?? 0) + 1;
    if (exercise.solutions.length === 0) problems.push({ notebook: path, cellIndex: first, message: `exercise "${exercise.id}" has no solution cell` });
    if (exercise.tests.length === 0) problems.push({ notebook: path, cellIndex: first, message: `exercise "${exercise.id}" has no test cell` });
  }
  return problems;
}
