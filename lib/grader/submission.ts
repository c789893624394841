/**
 * Reading what students hand in, never trusting it: a submissions folder holds one folder per student (with the
 * assignment's notebooks under their released names) or, for a one-notebook assignment, one `.ipynb` per student.
 * A notebook that is too big, not UTF-8, not JSON, not nbformat 4 or for another language is "invalid", with the
 * reason, rather than an error that stops the batch.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { checkNotebook, type Notebook } from "../notebook/ipynb";

/** The largest submitted notebook read, bytes (a course notebook with outputs is a few MB). */
export const MAX_SUBMISSION_BYTES = 50 * 1024 * 1024;

/** Kernels whose notebooks hold TypeScript for the course kernel. */
const TYPESCRIPT_KERNELS = new Set(["course-ts", "tslab", "jslab"]);

/** A submitted notebook, read and checked, or why it cannot be graded. */
export type SubmittedNotebook = { ok: true; notebook: Notebook; notes: string[] } | { ok: false; reason: string };

/**
 * Reads one submitted notebook.
 * @returns the notebook, or `{ ok: false, reason }` naming what is wrong (never throws for bad content)
 */
export function readSubmission(path: string): SubmittedNotebook {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return { ok: false, reason: `${basename(path)} was not submitted` };
  }
  if (!stat.isFile()) return { ok: false, reason: `${basename(path)} is not a file` };
  if (stat.size > MAX_SUBMISSION_BYTES) return { ok: false, reason: `${basename(path)} is ${(stat.size / 2 ** 20).toFixed(0)} MiB (the limit is ${MAX_SUBMISSION_BYTES / 2 ** 20} MiB): clear its outputs and submit again` };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch {
    return { ok: false, reason: `${basename(path)} is not UTF-8 text (Jupyter writes notebooks in UTF-8; was the file converted or damaged?)` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${basename(path)} is not valid JSON (${(error as Error).message}); open it in Jupyter to repair it` };
  }
  let notebook: Notebook;
  try {
    notebook = checkNotebook(parsed, basename(path));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const kernelspec = notebook.metadata["kernelspec"] as { name?: unknown; language?: unknown } | undefined;
  const name = typeof kernelspec?.name === "string" ? kernelspec.name : undefined;
  const language = typeof kernelspec?.language === "string" ? kernelspec.language.toLowerCase() : undefined;
  const notes: string[] = [];
  if (name !== undefined && !TYPESCRIPT_KERNELS.has(name)) {
    if (language !== "typescript") {
      return { ok: false, reason: `${basename(path)} is a notebook for the "${name}" kernel${language ? ` (${language})` : ""}, not TypeScript: submit the released notebook, run on the course kernel (course-ts)` };
    }
    notes.push(`kernelspec "${name}" is not the course kernel; graded on course-ts`);
  }
  return { ok: true, notebook, notes };
}

/** One student's hand-in. */
export interface Submission {
  student: string;
  /** notebook file name (as released) → its path in the submission */
  notebooks: Map<string, string>;
}

/** Student names are folder/file names: printable, no path separators (anything else is skipped, with a warning). */
const STUDENT = /^[\w.@+-]+$/;

/**
 * Lists the submissions: each folder is a student (their notebooks inside, by released name); each `.ipynb` file is
 * a student's only notebook (allowed when the assignment has exactly one notebook).
 * @param notebookNames the released notebook names (e.g. `04-evaluation.ipynb`)
 * @returns submissions sorted by student, and warnings about entries skipped
 */
export function listSubmissions(dir: string, notebookNames: string[]): { submissions: Submission[]; warnings: string[] } {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    throw new Error(`${dir}: cannot list the submissions folder (${(error as Error).message})`);
  }
  const submissions: Submission[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith(".")) continue;
    const path = join(dir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    const student = stat?.isDirectory() ? entry : entry.replace(/\.ipynb$/, "");
    if (!STUDENT.test(student)) {
      warnings.push(`${path}: skipped (a student name must be letters, digits, . _ @ + -)`);
      continue;
    }
    if (stat?.isDirectory()) {
      submissions.push({ student, notebooks: new Map(notebookNames.map((name) => [name, join(path, name)])) });
    } else if (entry.endsWith(".ipynb")) {
      if (notebookNames.length !== 1) {
        warnings.push(`${path}: skipped (the assignment has ${notebookNames.length} notebooks: hand in a folder per student)`);
        continue;
      }
      submissions.push({ student, notebooks: new Map([[notebookNames[0]!, path]]) });
    } else {
      warnings.push(`${path}: skipped (neither a student folder nor a .ipynb file)`);
    }
  }
  return { submissions, warnings };
}
