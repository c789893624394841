/**
 * Errors as Jupyter `error` content (`ename`, `evalue`, `traceback`), with frames pointing at cells.
 *
 * Each cell runs as a script named `In[n]` (`n` = its execution count). A stack frame `In[n]:LINE:COL` of the
 * generated JavaScript is mapped back through the cell's source map to the TypeScript the learner wrote;
 * frames inside the kernel, tslab and Node's internals are dropped. Positions are 1-based, like editors.
 */
import { inspect } from "node:util";
import { sep } from "node:path";
import type { CellPosition, Diagnostic } from "./converter";

/** The `error` message content (and the error fields of `execute_reply`). */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** What the kernel knows of one executed cell. */
export interface CellRecord {
  source: string;
  /** generated (zero-based line, column) → cell position; undefined when no map exists */
  map?: (line: number, column: number) => CellPosition | undefined;
}

/** Files whose frames a learner never needs: this kernel, tslab, Node's own. */
const INTERNAL = [`${sep}kernel${sep}dist${sep}`, `${sep}kernel${sep}src${sep}`, `${sep}tslab${sep}dist${sep}`, "node:internal", "node:vm"];

/** A frame in a cell: `at f (In[3]:12:5)` or `at In[3]:12:5`. */
const CELL_FRAME = /^\s*at (?:(.*?) \()?(In\[[^\]]+\]):(\d+):(\d+)\)?$/;

/** The source line at `line` (1-based) with a caret under `column` (1-based). */
export function excerpt(source: string, line: number, column: number): string {
  const text = source.split("\n")[line - 1];
  if (text === undefined) return "";
  const gutter = `${line} | `;
  return `${gutter}${text}\n${" ".repeat(gutter.length + Math.max(0, column - 1))}^`;
}

/**
 * Rewrites a stack trace's frames: cell frames mapped to TypeScript positions, internal frames dropped.
 * @returns the kept frames (`    at f (In[3]:2:9)`) and the first cell position met (for the excerpt)
 */
export function cellFrames(stack: string, cells: ReadonlyMap<string, CellRecord>): { frames: string[]; first?: { cell: string; line: number; column: number } } {
  const frames: string[] = [];
  let first: { cell: string; line: number; column: number } | undefined;
  // Frames below the outermost cell frame are the kernel calling the cell.
  let lastCell = 0;
  for (const raw of stack.split("\n")) {
    if (!/^\s*at /.test(raw)) continue;
    const match = CELL_FRAME.exec(raw);
    if (match) {
      const [, fn, cell = "", line = "0", column = "0"] = match;
      const mapped = cells.get(cell)?.map?.(Number(line) - 1, Number(column) - 1);
      if (!mapped) continue; // generated glue (the wrapper, `exports.x = x`): not the learner's code
      const position = { cell, line: mapped.line + 1, column: mapped.column + 1 };
      first ??= position;
      // The wrapper function that runs a cell is anonymous: its frame is the cell's top level.
      const at = `${cell}:${position.line}:${position.column}`;
      // `Proxy.f`: a function of an earlier cell, called through the cells' shared scope object.
      const named = fn?.replace(/^(async )?Proxy\./, "$1");
      frames.push(named && !/^(?:async )?(?:Object\.)?<anonymous>$/.test(named) ? `    at ${named} (${at})` : `    at ${at}`);
      lastCell = frames.length;
      continue;
    }
    if (INTERNAL.some((part) => raw.includes(part))) continue;
    frames.push(raw.replace(/^\s*/, "    "));
  }
  if (lastCell > 0) frames.length = lastCell;
  return first ? { frames, first } : { frames };
}

/** A runtime error (anything thrown) as error content. */
export function runtimeError(thrown: unknown, cells: ReadonlyMap<string, CellRecord>): ErrorContent {
  if (!(thrown instanceof Error)) {
    const evalue = inspect(thrown, { depth: 2 });
    return { ename: "Error", evalue: `a non-Error value was thrown: ${evalue}`, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = thrown.name || thrown.constructor?.name || "Error";
  const evalue = thrown.message;
  const { frames, first } = cellFrames(thrown.stack ?? "", cells);
  const traceback = [`${ename}: ${evalue}`, ...frames];
  if (first) {
    const text = excerpt(cells.get(first.cell)?.source ?? "", first.line, first.column);
    if (text) traceback.push(`\n${first.cell} line ${first.line}, column ${first.column}:\n${text}`);
  }
  return { ename, evalue, traceback };
}

/**
 * TypeScript diagnostics as one `TSError` (nothing of the cell ran).
 * @param cell the cell's name (`In[4]`), used for positions in the cell itself
 */
export function typeScriptError(diagnostics: readonly Diagnostic[], cell: string, source: string): ErrorContent {
  const where = (d: Diagnostic): string => `${d.fileName ?? cell}:${d.start.line + 1}:${d.start.character + 1}`;
  const [head] = diagnostics;
  const evalue = head ? `${head.messageText} (${where(head)})` : "TypeScript error";
  // Like `tsc`: one line per diagnostic, with the cell's line and a caret under the position.
  const traceback = diagnostics.flatMap((d) => {
    const text = d.fileName ? "" : excerpt(source, d.start.line + 1, d.start.character + 1);
    return [`${where(d)} - error TS${d.code}: ${d.messageText}`, ...(text ? [text] : [])];
  });
  return { ename: "TSError", evalue, traceback };
}
