/**
 * The Jupyter notebook file format, nbformat v4 (https://nbformat.readthedocs.io/en/latest/format_description.html):
 * types for the parts the runner reads and writes, a reader whose errors name the file, and an atomic writer.
 */
import { readFileSync } from "node:fs";


import { writeFileAtomic } from "../core/atomic";

/** nbformat stores text either as one string or as a list of lines that keep their `\n`. */
export type MultilineString = string | string[];

/** A MIME bundle: `text/plain`, `text/html`, `image/png` (base64), `application/vnd.plotly.v1+json` (JSON), ... */
export type MimeBundle = Record<string, unknown>;

/** `print`-like text on `stdout` or `stderr`. */
export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: MultilineString;
}

/** Rich output from a display call (`tslab.display.html(...)`, a plot). */
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** The value of a cell's last expression (tslab prints values to stdout instead, but other kernels send these). */
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** An exception (tslab writes errors to stderr instead, but other kernels send these). */
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/** One output of a code cell. */
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** A cell of code with its outputs (`execution_count` is null until it runs). */
export interface CodeCell {
  cell_type: "code";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  execution_count: number | null;
  outputs: Output[];
}

/** A cell of markdown (rendered in the report with `marked`). */
export interface MarkdownCell {
  cell_type: "markdown";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}

/** A raw cell, passed through untouched. */
export interface RawCell {
  cell_type: "raw";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
}

/** Any notebook cell. */
export type Cell = CodeCell | MarkdownCell | RawCell;

/** A whole notebook. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** Joins nbformat's string-or-lines into one string. */
export function joinSource(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list of lines, each keeping its `\n` (how Jupyter writes files, diff-friendly). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Builds an nbformat v4.5 notebook for the course kernel (`course-ts`) from cell sources (tests and generated notebooks).
 * @param cells each `{ code }` or `{ markdown }`
 * @returns a notebook with unexecuted code cells
 */
export function newNotebook(cells: Array<{ code: string } | { markdown: string }>): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "course-ts", display_name: "TypeScript (course)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    cells: cells.map((cell, i): Cell => {
      const id = `cell-${i}`;
      if ("code" in cell) {
        return { cell_type: "code", id, metadata: {}, source: splitLines(cell.code), execution_count: null, outputs: [] };
      }
      return { cell_type: "markdown", id, metadata: {}, source: splitLines(cell.markdown) };
    }),
  };
}

/**
 * Reads and checks an nbformat v4 notebook.
 * @param path the `.ipynb` file
 * @returns the notebook; throws an error naming `path` and what is wrong (unreadable, not JSON, not nbformat 4,
 *   a malformed cell with its 1-based index)
 */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`${path}: cannot read the notebook (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message}); open it in Jupyter or fix the file by hand`);
  }
  return checkNotebook(parsed, path);
}

/** Checks the shape of parsed JSON; `where` names the source in errors. */
export function checkNotebook(value: unknown, where: string): Notebook {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: not a notebook (the top level must be a JSON object)`);
  }
  const nb = value as Partial<Notebook> & Record<string, unknown>;
  if (nb.nbformat !== 4) {
    throw new Error(`${where}: nbformat ${String(nb.nbformat)} is not supported (need 4; convert with \`jupyter nbconvert --to notebook\`)`);
  }
  if (!Array.isArray(nb.cells)) throw new Error(`${where}: "cells" is missing or not a list`);
  nb.cells.forEach((cell: unknown, i) => {
    const c = cell as Partial<Cell> | null;
    const place = `${where}: cell ${i + 1}`;
    if (typeof c !== "object" || c === null) throw new Error(`${place} is not an object`);
    if (c.cell_type !== "code" && c.cell_type !== "markdown" && c.cell_type !== "raw") {
      throw new Error(`${place} has cell_type ${JSON.stringify(c.cell_type)} (need "code", "markdown" or "raw")`);
    }
    if (typeof c.source !== "string" && !Array.isArray(c.source)) throw new Error(`${place} has no "source"`);
    c.metadata ??= {};
    if (c.cell_type === "code") {
      const code = c as Partial<CodeCell>;
      code.outputs ??= [];
      code.execution_count ??= null;
      if (!Array.isArray(code.outputs)) throw new Error(`${place} has "outputs" that is not a list`);
    }
  });
  nb.metadata ??= {};
  nb.nbformat_minor ??= 4;
  return nb as Notebook;
}

/**
 * Writes a notebook as Jupyter does (1-space indent, trailing newline), to a temp name then renamed, so a crash
 * never leaves half a file. Creates the folder if needed.
 */
export function writeNotebook(path: string, notebook: Notebook): void {
  writeFileAtomic(path, JSON.stringify(notebook, null, 1) + "\n");
}

export { writeFileAtomic };
