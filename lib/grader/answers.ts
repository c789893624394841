/**
 * Filling a release with answers, as a student would: for instructors who want to try their assignment against
 * answers they expect (a common wrong one, a partial one), and for the grader's own tests and benchmark.
 */
import { splitLines, type Notebook } from "../notebook/ipynb";
import { nbgraderOf, roleOf } from "./metadata";

/**
 * A copy of `release` whose solution cells (by `grade_id`) have the given sources; other cells are unchanged.
 * @param answers grade_id of a solution cell → its whole new source
 * @throws naming a grade_id that is not a solution cell of the release
 */
export function withAnswers(release: Notebook, answers: Record<string, string>): Notebook {
  const copy = structuredClone(release);
  const solutions = new Set(copy.cells.filter((cell) => roleOf(cell) === "solution").map((cell) => nbgraderOf(cell)!.grade_id));
  for (const id of Object.keys(answers)) {
    if (!solutions.has(id)) throw new Error(`withAnswers: "${id}" is not a solution cell's grade_id (solution cells: ${[...solutions].join(", ")})`);
  }
  for (const cell of copy.cells) {
    const id = nbgraderOf(cell)?.grade_id;
    if (id !== undefined && roleOf(cell) === "solution" && answers[id] !== undefined) cell.source = splitLines(answers[id]!);
  }
  return copy;
}
