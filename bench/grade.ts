/**
 * Grading throughput and determinism (issue #14's goal: 100 submissions, correct, partial and hostile mixed, in
 * ≤ 5 minutes on the 2-core build machine, and the same grades twice). Generates the submissions from a source
 * folder's notebooks — correct (the reference solutions), partial (some exercises left as the stub), hostile (an
 * infinite loop, process.exit, tens of GB, a fake "passed" print, a deleted test cell, a file that is not JSON) —
 * grades them twice with `course grade`'s defaults except the per-cell limit, and prints both wall times and whether
 * grades.csv came out identical.
 * Usage: npx tsx bench/grade.ts [--source DIR] [--students 100] [--jobs N] [--cell-timeout 10]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { joinSource, splitLines, writeNotebook, type Notebook } from "../lib/notebook/ipynb";
import { gradeSubmissions, nbgraderOf, readSources, referenceSolution, releaseNotebook, roleOf } from "../lib/grader";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const sourceDir = resolve(option("source", join(__dirname, "..", "tests", "fixtures", "grader", "source")));
const students = Number(option("students", "100"));
const jobs = Number(option("jobs", String(availableParallelism())));
const cellTimeoutS = Number(option("cell-timeout", "10"));

/** What goes in place of a solution region, by kind of submission. */
const HOSTILE_BODIES: Record<string, string[]> = {
  loop: ["while (true) {}"],
  exit: ["process.exit(1);"],
  memory: ["const hog: Buffer[] = [];", "for (;;) hog.push(Buffer.alloc(2 ** 30, 1));"],
  fake: ['console.log("✓ passed — all points");', 'throw new Error("not implemented");'],
};
/** One student in eight of each: half correct, a quarter partial, a quarter hostile. */
const KINDS = ["correct", "partial", "correct", "loop", "correct", "partial", "correct", "exit", "correct", "partial", "correct", "memory", "correct", "partial", "fake", "tampered", "correct", "partial", "correct", "invalid"];

/** A solution cell's source with its region replaced by `body` (indented like the marker). */
function replaceSolution(source: string, body: string[]): string {
  return source.replace(/^([ \t]*)\/\/\s*BEGIN SOLUTION\s*$[\s\S]*?^[ \t]*\/\/\s*END SOLUTION\s*$/m, (_, indent: string) => body.map((line) => indent + line).join("\n"));
}

/** Student `i`'s version of a source notebook. */
function submission(source: Notebook, kind: string, i: number): Notebook {
  const release = releaseNotebook(source);
  const solutions = source.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => roleOf(cell) === "solution" && cell.cell_type === "code");
  const target = solutions[i % Math.max(1, solutions.length)]?.index;
  release.cells.forEach((cell, index) => {
    if (roleOf(cell) !== "solution" || cell.cell_type !== "code") return;
    const reference = joinSource(source.cells[index]!.source);
    let answer = referenceSolution(reference, "code");
    if (kind === "partial" && index === target) answer = joinSource(cell.source); // the stub
    if (kind in HOSTILE_BODIES && index === target) answer = replaceSolution(reference, HOSTILE_BODIES[kind]!);
    cell.source = splitLines(answer);
  });
  if (kind === "tampered") {
    // delete the first test cell after the target exercise's solution
    const test = release.cells.findIndex((cell, index) => index > (target ?? -1) && nbgraderOf(cell)?.grade === true);
    if (test >= 0) release.cells.splice(test, 1);
  }
  return release;
}

async function main(): Promise<void> {
  const sources = readSources(sourceDir);
  const work = mkdtempSync(join(tmpdir(), "bench-grade-"));
  const submissionsDir = join(work, "submissions");
  for (let i = 0; i < students; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const dir = join(submissionsDir, `s${String(i).padStart(3, "0")}-${kind}`);
    mkdirSync(dir, { recursive: true });
    for (const { name, notebook } of sources) {
      if (kind === "invalid") writeFileSync(join(dir, name), '{"cells": [');
      else writeNotebook(join(dir, name), submission(notebook, kind, i));
    }
  }
  console.log(`${students} submissions of ${sources.length} notebook(s) from ${sourceDir}; --jobs ${jobs}, ${cellTimeoutS} s per cell`);
  const csvs: string[] = [];
  for (const run of [1, 2]) {
    const out = join(work, `grades-${run}`);
    const started = Date.now();
    const report = await gradeSubmissions({ sourceDir, submissionsDir, outDir: out, jobs, cellTimeoutMs: cellTimeoutS * 1000 });
    const seconds = (Date.now() - started) / 1000;
    const statuses = new Map<string, number>();
    for (const e of report.grades.flatMap((g) => g.exercises)) statuses.set(e.status, (statuses.get(e.status) ?? 0) + 1);
    console.log(`run ${run}: ${seconds.toFixed(1)} s (${(seconds / students).toFixed(2)} s per submission); exercise statuses: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(", ")}`);
    csvs.push(readFileSync(join(out, "grades.csv"), "utf8"));
  }
  console.log(`grades identical in both runs: ${csvs[0] === csvs[1] ? "yes" : "NO"}`);
  rmSync(work, { recursive: true, force: true });
  if (csvs[0] !== csvs[1]) process.exitCode = 1;
}

void main();
