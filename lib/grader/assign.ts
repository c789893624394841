/**
 * The student release of a source notebook (nbgrader's "generate assignment"): solution regions replaced by stubs,
 * hidden tests removed, outputs cleared, and the checksum of every locked cell recorded in its metadata
 * (`nbgrader.checksum`) so a tampered cell can be told from the released one.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { readNotebook, splitLines, writeNotebook, joinSource, type Notebook } from "../notebook/ipynb";
import { cellChecksum } from "./checksum";
import { findExercises, formatProblem, nbgraderOf, roleOf, validateSource } from "./metadata";
import { publicTests, stubSolution } from "./regions";

/**
 * The release of one source notebook (the source is not changed).
 * @returns a new notebook; call `validateSource` first (regions must be balanced)
 */
export function releaseNotebook(source: Notebook): Notebook {
  const release = structuredClone(source);
  for (const cell of release.cells) {
    const role = roleOf(cell);
    const text = joinSource(cell.source);
    if (role === "solution") cell.source = splitLines(stubSolution(text, cell.cell_type));
    else if (role === "test") cell.source = splitLines(publicTests(text));
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
      delete cell.metadata["execution"];
    }
    const meta = nbgraderOf(cell);
    if (meta) {
      delete meta.checksum;
      if (meta.locked || meta.grade) meta.checksum = cellChecksum(cell);
    }
  }
  return release;
}

/** The `.ipynb` files of a folder, sorted (checkpoints and hidden files left out). */
export function listNotebookFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(`${dir}: cannot list the folder (${(error as Error).message})`);
  }
  return names.filter((name) => name.endsWith(".ipynb") && !name.startsWith(".")).sort().map((name) => join(dir, name));
}

/** One released notebook. */
export interface AssignedNotebook {
  source: string;
  release: string;
  exercises: number;
  points: number;
}

/**
 * `course assign`: validates every source notebook, then writes their releases to `outDir` (nothing is written
 * when any source has a problem).
 * @returns what was written, one entry per notebook
 * @throws Error listing every problem (notebook, 1-based cell, grade_id, what to fix)
 */
export function assignDirectory(sourceDir: string, outDir: string): AssignedNotebook[] {
  if (!statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${sourceDir}: not a folder of source notebooks`);
  const paths = listNotebookFiles(sourceDir);
  if (paths.length === 0) throw new Error(`${sourceDir}: no .ipynb files`);
  const sources = paths.map((path) => ({ path, notebook: readNotebook(path) }));
  const problems = sources.flatMap(({ path, notebook }) => validateSource(notebook, path));
  if (problems.length > 0) {
    throw new Error(`${problems.length} problem(s) in the source notebooks; nothing was written:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
  }
  mkdirSync(outDir, { recursive: true });
  return sources.map(({ path, notebook }) => {
    const release = join(outDir, basename(path));
    writeNotebook(release, releaseNotebook(notebook));
    const exercises = findExercises(notebook);
    return { source: path, release, exercises: exercises.length, points: exercises.reduce((sum, e) => sum + e.maxPoints, 0) };
  });
}
