#!/usr/bin/env node
// The git "clean" filter for notebooks (installed by `npm run kernel:install`, see scripts/install-git-filter.mjs):
// reads a notebook on stdin and writes what git stores — no outputs, no execution counts, no per-run metadata —
// so running and saving a notebook in Jupyter leaves `git status` clean, while the file on disk keeps its outputs.
// Written in nbformat's own layout (keys sorted, one-space indent, raw Unicode, final newline), so the notebook
// Jupyter saves and the one committed compare equal. Usage: node scripts/ipynb-clean.mjs < in.ipynb > out.ipynb
import { readFileSync } from "node:fs";

/** Per-run cell metadata front ends and nbclient add (nbstripout's list). */
const RUN_CELL_KEYS = ["execution", "ExecuteTime", "collapsed", "scrolled", "heading_collapsed", "hidden"];
/** Notebook metadata that a save derives from the running kernel or the session (`language_info.version`, ...). */
const RUN_NOTEBOOK_KEYS = ["widgets", "signature", "toc"];
/** `language_info` keys kept: the rest (version, mimetype, codemirror_mode, ...) come from the kernel on every save. */
const LANGUAGE_KEYS = ["name", "file_extension"];

/** Python's `str.splitlines(keepends=True)`, which nbformat uses to store a cell's source as a list of lines. */
export function splitLines(text) {
  const lines = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\r" && text[i + 1] === "\n") i++;
    else if (!/[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/.test(c)) continue;
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Deep copy with object keys sorted, as nbformat writes them (`json.dumps(sort_keys=True)`). */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}

/** The notebook as git stores it. */
export function cleanNotebook(notebook) {
  for (const cell of notebook.cells ?? []) {
    if (typeof cell.source === "string") cell.source = splitLines(cell.source);
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    for (const key of RUN_CELL_KEYS) delete cell.metadata?.[key];
  }
  const metadata = notebook.metadata ?? {};
  for (const key of RUN_NOTEBOOK_KEYS) delete metadata[key];
  if (metadata.language_info) {
    metadata.language_info = Object.fromEntries(LANGUAGE_KEYS.filter((k) => k in metadata.language_info).map((k) => [k, metadata.language_info[k]]));
  }
  return `${JSON.stringify(sortKeys(notebook), null, 1)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const text = readFileSync(0, "utf8");
  let notebook;
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    // Not JSON (a half-written file, a merge conflict): store it as it is, and say so, rather than block git.
    process.stderr.write(`ipynb-clean: ${process.argv[2] ?? "a notebook"} is not valid JSON (${error.message}); stored unchanged\n`);
    process.stdout.write(text);
    process.exit(0);
  }
  process.stdout.write(cleanNotebook(notebook));
}
