/**
 * Checksums of locked cells for tamper detection, as nbgrader's `compute_checksum`: a sha256 over what makes the
 * cell what it is (its type, its source, and its grading metadata), not over outputs or ids that Jupyter rewrites.
 */
import { createHash } from "node:crypto";
import type { Cell } from "../notebook/ipynb";
import { joinSource } from "../notebook/ipynb";
import { nbgraderOf } from "./metadata";

/**
 * @returns the hex sha256 of `cell_type`, the source (line endings normalized to `\n`, trailing whitespace of the
 *   cell trimmed), and the grading fields of `nbgrader` (grade, grade_id, locked, points, solution, task)
 */
export function cellChecksum(cell: Cell): string {
  const meta = nbgraderOf(cell);
  const fields = meta
    ? { grade: meta.grade, grade_id: meta.grade_id, locked: meta.locked, points: meta.points ?? null, solution: meta.solution, task: meta.task }
    : null;
  const source = joinSource(cell.source).replace(/\r\n?/g, "\n").trimEnd();
  return createHash("sha256").update(JSON.stringify([cell.cell_type, source, fields])).digest("hex");
}
