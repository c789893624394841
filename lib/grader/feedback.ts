/**
 * What the grader writes: `grades.csv` (one row per student, notebook and exercise), `grades.json` (with every
 * test's message), `summary.md` (a table per student and per exercise) and one feedback page per student — their
 * executed notebooks, each test cell followed by its result and message, rendered by the notebook report
 * (`lib/notebook/report.ts`).
 */
import { stringify } from "csv-stringify/sync";
import { splitLines, type Notebook } from "../notebook/ipynb";
import { renderReport } from "../notebook/report";
import type { NotebookRun } from "../notebook/run";
import type { ExerciseResult } from "./run";

/** One student's grades for one notebook. */
export interface NotebookGrade {
  student: string;
  /** the released file name, e.g. `04-evaluation.ipynb` */
  notebook: string;
  exercises: ExerciseResult[];
  /** Notes outside any exercise (invalid notebook, restarts, kernel name) */
  notes: string[];
  /** The executed notebook (undefined when nothing ran: an invalid or missing notebook) */
  executed?: Notebook;
  durationMs: number;
}

/** `grades.csv`: student, notebook, exercise, points, max, status — sorted as given. */
export function gradesCsv(grades: NotebookGrade[]): string {
  const rows = grades.flatMap((grade) => grade.exercises.map((e) => [grade.student, grade.notebook, e.exercise, e.points, e.maxPoints, e.status]));
  return stringify([["student", "notebook", "exercise", "points", "max", "status"], ...rows]);
}

/** A Markdown table cell: pipes escaped, one line. */
function cell(text: string | number): string {
  return String(text).replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

/** `summary.md`: totals per student, then per exercise (mean points, statuses). */
export function summaryMarkdown(grades: NotebookGrade[], header: string[] = []): string {
  const students = [...new Set(grades.map((g) => g.student))];
  const lines = [...header, "", "| student | points | max | statuses |", "|---|---:|---:|---|"];
  for (const student of students) {
    const exercises = grades.filter((g) => g.student === student).flatMap((g) => g.exercises);
    const points = exercises.reduce((sum, e) => sum + e.points, 0);
    const max = exercises.reduce((sum, e) => sum + e.maxPoints, 0);
    const counts = new Map<string, number>();
    for (const e of exercises) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
    lines.push(`| ${cell(student)} | ${round(points)} | ${round(max)} | ${cell([...counts].map(([s, n]) => `${s} ${n}`).join(", "))} |`);
  }
  lines.push("", "| notebook | exercise | mean points | max | ok | other statuses |", "|---|---|---:|---:|---:|---|");
  const keys = [...new Set(grades.flatMap((g) => g.exercises.map((e) => `${g.notebook}\u0000${e.exercise}`)))];
  for (const key of keys) {
    const [notebook, exercise] = key.split("\u0000") as [string, string];
    const rows = grades.filter((g) => g.notebook === notebook).flatMap((g) => g.exercises.filter((e) => e.exercise === exercise));
    const mean = rows.reduce((sum, e) => sum + e.points, 0) / Math.max(1, rows.length);
    const others = new Map<string, number>();
    for (const e of rows) if (e.status !== "ok") others.set(e.status, (others.get(e.status) ?? 0) + 1);
    lines.push(`| ${cell(notebook)} | ${cell(exercise)} | ${round(mean)} | ${round(rows[0]?.maxPoints ?? 0)} | ${rows.filter((e) => e.status === "ok").length} | ${cell([...others].map(([s, n]) => `${s} ${n}`).join(", "))} |`);
  }
  return lines.join("\n") + "\n";
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** The Markdown table that opens a notebook's feedback. */
function resultsMarkdown(grade: NotebookGrade): string {
  const points = grade.exercises.reduce((sum, e) => sum + e.points, 0);
  const max = grade.exercises.reduce((sum, e) => sum + e.maxPoints, 0);
  const lines = [`## ${grade.notebook}: ${round(points)} / ${round(max)} points`, "", "| exercise | points | status | tests |", "|---|---:|---|---|"];
  for (const e of grade.exercises) {
    const tests = e.tests.map((t) => `${t.gradeId}: ${t.status}${t.message ? ` (${t.message})` : ""}`).join("; ");
    lines.push(`| ${cell(e.exercise)} | ${round(e.points)} / ${round(e.maxPoints)} | ${e.status} | ${cell([tests, ...e.notes].filter(Boolean).join("; "))} |`);
  }
  if (grade.notes.length > 0) lines.push("", ...grade.notes.map((note) => `- ${note}`));
  return lines.join("\n");
}

/**
 * One student's feedback page: for each notebook, the results table then the executed notebook (test cells show
 * their public checks and, under them, the result with the failing check's message).
 */
export function feedbackHtml(student: string, grades: NotebookGrade[]): string {
  const runs: NotebookRun[] = grades.map((grade) => {
    const cells = [{ cell_type: "markdown" as const, metadata: {}, source: splitLines(resultsMarkdown(grade)) }, ...(grade.executed?.cells ?? [])];
    const notebook: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: grade.executed?.metadata ?? {}, cells };
    return { path: grade.notebook, notebook, cells: [], kernelStartMs: 0, durationMs: grade.durationMs };
  });
  const points = grades.flatMap((g) => g.exercises).reduce((sum, e) => sum + e.points, 0);
  const max = grades.flatMap((g) => g.exercises).reduce((sum, e) => sum + e.maxPoints, 0);
  return renderReport(runs, { title: `Feedback for ${student}`, subtitle: `${round(points)} / ${round(max)} points, graded ${new Date().toISOString()}` });
}
