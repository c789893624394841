/**
 * The marked regions of nbgrader's source cells: `// BEGIN SOLUTION` … `// END SOLUTION` (code),
 * `<!-- BEGIN SOLUTION -->` … `<!-- END SOLUTION -->` (markdown) and `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS`
 * (test cells). Markers are whole lines (leading whitespace allowed), as in nbgrader's `ClearSolutions` and
 * `ClearHiddenTests` preprocessors.
 */
import type { CellRole } from "./metadata";

/** What the release puts in place of a code solution region (indented like the BEGIN marker). */
export const CODE_STUB = ["// YOUR CODE HERE", 'throw new Error("not implemented");'];
/** What the release puts in place of a markdown solution region. */
export const MARKDOWN_STUB = "YOUR ANSWER HERE";

interface Markers {
  begin: RegExp;
  end: RegExp;
  name: string;
}

const CODE_SOLUTION: Markers = { begin: /^\s*\/\/\s*BEGIN SOLUTION\s*$/, end: /^\s*\/\/\s*END SOLUTION\s*$/, name: "// BEGIN SOLUTION" };
const MARKDOWN_SOLUTION: Markers = { begin: /^\s*<!--\s*BEGIN SOLUTION\s*-->\s*$/, end: /^\s*<!--\s*END SOLUTION\s*-->\s*$/, name: "<!-- BEGIN SOLUTION -->" };
const HIDDEN_TESTS: Markers = { begin: /^\s*\/\/\s*BEGIN HIDDEN TESTS\s*$/, end: /^\s*\/\/\s*END HIDDEN TESTS\s*$/, name: "// BEGIN HIDDEN TESTS" };

/** Line-level region problems (unbalanced, nested), or [] when balanced. */
function balance(lines: string[], markers: Markers): string[] {
  const problems: string[] = [];
  let open: number | undefined;
  lines.forEach((line, i) => {
    if (markers.begin.test(line)) {
      if (open !== undefined) problems.push(`line ${i + 1}: ${markers.name} inside the region opened on line ${open + 1} (regions do not nest)`);
      open = i;
    } else if (markers.end.test(line)) {
      if (open === undefined) problems.push(`line ${i + 1}: ${markers.name.replace("BEGIN", "END")} without a ${markers.name} above it`);
      open = undefined;
    }
  });
  if (open !== undefined) problems.push(`line ${open + 1}: ${markers.name} is never closed (add ${markers.name.replace("BEGIN", "END")})`);
  return problems;
}

/**
 * Replaces each region with `replacement(indent)` lines; `keep` = false drops the region entirely.
 * Assumes balanced markers (check with `regionErrors` first).
 */
function replaceRegions(source: string, markers: Markers, replacement: (indent: string) => string[]): string {
  const lines = source.split("\n");
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (!inside && markers.begin.test(line)) {
      inside = true;
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      out.push(...replacement(indent));
    } else if (inside && markers.end.test(line)) {
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  return out.join("\n");
}

/** Whether the source has a region of this kind. */
function hasRegion(source: string, markers: Markers): boolean {
  return source.split("\n").some((line) => markers.begin.test(line));
}

/**
 * Problems with a cell's markers: unbalanced or nested regions; solution markers outside solution cells;
 * hidden-test markers outside test cells; a solution cell with no region.
 * @returns messages (with 1-based line numbers), empty when fine
 */
export function regionErrors(source: string, cellType: string, role: CellRole): string[] {
  const lines = source.split("\n");
  const solution = cellType === "markdown" ? MARKDOWN_SOLUTION : CODE_SOLUTION;
  const problems = [...balance(lines, solution), ...balance(lines, HIDDEN_TESTS)];
  if (hasRegion(source, solution) && role !== "solution") problems.push(`${solution.name} in a cell that is not a solution cell (set nbgrader.solution: true)`);
  if (hasRegion(source, HIDDEN_TESTS) && role !== "test") problems.push(`${HIDDEN_TESTS.name} in a cell that is not a graded test cell`);
  if (role === "solution" && !hasRegion(source, solution) && source.trim() !== "") {
    problems.push(`solution cell without a ${solution.name} … region (the release would give the answer away)`);
  }
  return problems;
}

/** The learner's version of a solution cell: each region replaced by the stub (code) or `YOUR ANSWER HERE` (markdown). */
export function stubSolution(source: string, cellType: "code" | "markdown" | "raw"): string {
  if (cellType === "markdown") return replaceRegions(source, MARKDOWN_SOLUTION, () => [MARKDOWN_STUB]);
  return replaceRegions(source, CODE_SOLUTION, (indent) => CODE_STUB.map((line) => indent + line));
}

/** A test cell without its hidden tests (what learners see and run). */
export function publicTests(source: string): string {
  return replaceRegions(source, HIDDEN_TESTS, () => []);
}

/** A test cell with its hidden tests, markers removed (what the grader runs). */
export function allTests(source: string): string {
  return source.split("\n").filter((line) => !HIDDEN_TESTS.begin.test(line) && !HIDDEN_TESTS.end.test(line)).join("\n");
}

/** A solution cell's reference answer, markers removed (what the instructor's own run uses). */
export function referenceSolution(source: string, cellType: "code" | "markdown" | "raw"): string {
  const markers = cellType === "markdown" ? MARKDOWN_SOLUTION : CODE_SOLUTION;
  return source.split("\n").filter((line) => !markers.begin.test(line) && !markers.end.test(line)).join("\n");
}
