// Checks the exercises of course notebooks the way the grader will see them (nbgrader schema 3, see COMMON
// conventions in the README's "Exercises" paragraph): runs the imports cell, the `course.setup` cells and the
// exercise cells — nothing else — in fresh course kernels, three times:
//   source   reference solutions and hidden tests: every cell must pass, and each test cell's hidden block alone;
//   release  solution regions stubbed, hidden tests removed: every test cell must fail, every other cell pass;
//   stubbed  solution regions stubbed, hidden tests kept: every test cell must fail.
// It also checks the metadata (ids, ≥ 2 graded tests per exercise, points, markers) and warns when a cell of an
// exercise takes over 2 s (compile time included). Usage: npx tsx scripts/check-exercises.ts [notebooks/NN-x.ipynb ...]
// (default: every notebook). Exits 1 on any problem. Needs `npm run build` (the kernel loads lib/dist).
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { KernelClient, joinSource, readNotebook } from "../lib/notebook";
import type { Cell, CodeCell } from "../lib/notebook";

interface Nbgrader { grade: boolean; grade_id: string; locked: boolean; points?: number; schema_version: number; solution: boolean; task: boolean }
interface Part { kind: "imports" | "setup" | "solution" | "test"; exercise?: string; gradeId?: string; points?: number; source: string }

const STUB = ["// YOUR CODE HERE", 'throw new Error("not implemented");'];

/** Replaces each `// BEGIN SOLUTION` … `// END SOLUTION` region by the stub, at the marker's indentation. */
function stubSolutions(source: string): string {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "// BEGIN SOLUTION") {
      inside = true;
      const indent = line.slice(0, line.indexOf("//"));
      out.push(...STUB.map((s) => indent + s));
    } else if (trimmed === "// END SOLUTION") inside = false;
    else if (!inside) out.push(line);
  }
  return out.join("\n");
}

/** Drops each `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS` region, markers included. */
function dropHidden(source: string): string {
  let inside = false;
  return source.split("\n").filter((line) => {
    const trimmed = line.trim();
    if (trimmed === "// BEGIN HIDDEN TESTS") return (inside = true) && false;
    if (trimmed === "// END HIDDEN TESTS") return (inside = false);
    return !inside;
  }).join("\n");
}

/** The lines between the hidden-test markers alone (a grader may run them as a cell of their own). */
function hiddenOnly(source: string): string {
  let inside = false;
  return source.split("\n").filter((line) => {
    const trimmed = line.trim();
    if (trimmed === "// BEGIN HIDDEN TESTS") return (inside = true) && false;
    if (trimmed === "// END HIDDEN TESTS") return (inside = false);
    return inside;
  }).join("\n");
}

function parts(path: string, problems: string[]): Part[] {
  const notebook = readNotebook(path);
  const out: Part[] = [];
  const tests = new Map<string, number>();
  const ids = new Set<string>();
  let first = true;
  notebook.cells.forEach((cell: Cell, index) => {
    const where = `${path}: cell ${index}`;
    const meta = cell.metadata as { nbgrader?: Nbgrader; course?: { exercise?: string; setup?: boolean } };
    const nb = meta.nbgrader;
    const source = joinSource(cell.source);
    if (nb !== undefined) {
      if (nb.schema_version !== 3) problems.push(`${where}: nbgrader.schema_version is ${nb.schema_version}, not 3`);
      if (!/^[a-z0-9-]+$/.test(nb.grade_id) || ids.has(nb.grade_id)) problems.push(`${where}: grade_id "${nb.grade_id}" is not [a-z0-9-]+ or not unique`);
      ids.add(nb.grade_id);
    }
    if (cell.cell_type !== "code") return;
    const code = cell as CodeCell;
    const exercise = meta.course?.exercise;
    if (first) out.push({ kind: "imports", source });
    else if (meta.course?.setup === true) out.push({ kind: "setup", source });
    else if (exercise !== undefined) {
      if (nb === undefined) problems.push(`${where}: course.exercise without nbgrader metadata`);
      else if (nb.solution) {
        if (!source.includes("// BEGIN SOLUTION") || !source.includes("// END SOLUTION")) problems.push(`${where}: solution cell without markers`);
        if (nb.locked || nb.grade_id !== `${exercise}-solution`) problems.push(`${where}: solution cell must be unlocked with grade_id ${exercise}-solution`);
        out.push({ kind: "solution", exercise, gradeId: nb.grade_id, source });
      } else if (nb.grade) {
        if (!(typeof nb.points === "number" && nb.points > 0) || !nb.locked) problems.push(`${where}: a test needs points > 0 and locked: true`);
        if (!source.includes("// BEGIN HIDDEN TESTS")) problems.push(`${where}: test cell without hidden tests`);
        tests.set(exercise, (tests.get(exercise) ?? 0) + 1);
        out.push({ kind: "test", exercise, gradeId: nb.grade_id, points: nb.points ?? 0, source });
      } else problems.push(`${where}: exercise cell that is neither solution nor test`);
    }
    void code;
    first = false;
  });
  for (const part of out) {
    if (part.kind === "solution" && (tests.get(part.exercise!) ?? 0) < 2) problems.push(`${path}: exercise ${part.exercise} has ${tests.get(part.exercise!) ?? 0} graded test cells (need ≥ 2)`);
  }
  return out;
}

async function run(path: string, cells: Part[], variant: "source" | "release" | "stubbed", problems: string[]): Promise<Map<string, number>> {
  const kernel = await KernelClient.start({ cwd: dirname(path), env: { COURSE_MODE: "quick" } });
  const times = new Map<string, number>();
  try {
    for (const part of cells) {
      let code = part.source;
      if (variant !== "source" && part.kind === "solution") code = stubSolutions(code);
      if (variant === "release" && part.kind === "test") code = dropHidden(code);
      // Generous: on a loaded machine the imports cell alone can take a minute.
      const result = await kernel.execute(code, { timeoutMs: 300_000 }).catch((error: Error) => ({ status: "error" as const, outputs: [{ output_type: "error", ename: error.name, evalue: error.message }], durationMs: 300_000 }));
      const error = result.outputs.find((o) => o.output_type === "error") as { ename: string; evalue: string } | undefined;
      const label = `${path} [${variant}] ${part.gradeId ?? part.kind}`;
      if (process.env["VERBOSE"]) console.log(`${label}: ${result.status} ${result.durationMs} ms`);
      if (part.exercise !== undefined) times.set(part.exercise, Math.max(times.get(part.exercise) ?? 0, result.durationMs));
      const shouldFail = variant !== "source" && part.kind === "test";
      if (shouldFail && result.status === "ok") problems.push(`${label}: passed, but the stub should fail it`);
      if (!shouldFail && result.status !== "ok") problems.push(`${label}: ${error ? `${error.ename}: ${error.evalue}` : result.status}`);
      if (shouldFail && error && !/not implemented/.test(error.evalue)) problems.push(`${label}: failed for another reason than the stub: ${error.ename}: ${error.evalue}`);
      if (variant === "source" && part.kind === "test") {
        // Hidden tests must stand alone too: they may not use the public part's variables.
        const alone = await kernel.execute(hiddenOnly(part.source), { timeoutMs: 300_000 });
        const aloneError = alone.outputs.find((o) => o.output_type === "error") as { ename: string; evalue: string } | undefined;
        if (alone.status !== "ok") problems.push(`${label} (hidden tests alone): ${aloneError ? `${aloneError.ename}: ${aloneError.evalue}` : alone.status}`);
      }
    }
  } finally {
    await kernel.shutdown();
  }
  return times;
}

async function main(): Promise<void> {
  const root = resolve(dirname(process.argv[1]!), ".."); // this script lives in scripts/
  const args = process.argv.slice(2);
  const paths = args.length > 0 ? args.map((p) => resolve(p)) : readdirSync(join(root, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => join(root, "notebooks", f));
  const problems: string[] = [];
  for (const path of paths) {
    const cells = parts(path, problems);
    const exercises = [...new Set(cells.filter((c) => c.exercise).map((c) => c.exercise!))];
    const points = cells.reduce((s, c) => s + (c.points ?? 0), 0);
    const times = await run(path, cells, "source", problems);
    await run(path, cells, "release", problems);
    await run(path, cells, "stubbed", problems);
    // Wall time includes tslab's compile of the cell, which a loaded machine stretches: a warning, not a failure.
    for (const [exercise, ms] of times) if (ms > 2000) console.warn(`  ! ${path}: a cell of exercise ${exercise} took ${ms} ms (aim: under 2000 on an idle machine)`);
    const slowest = Math.max(0, ...times.values());
    console.log(`${path.slice(root.length + 1)}: ${exercises.length} exercises, ${cells.filter((c) => c.kind === "test").length} test cells, ${points} points; slowest cell ${slowest} ms (compile included)`);
  }
  for (const problem of problems) console.error(`  ✗ ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log("all exercises: reference solutions pass every test; stubs fail every test");
}
void main();
