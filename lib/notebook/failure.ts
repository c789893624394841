/**
 * Where a failed cell went wrong, read from tslab's error text (tslab has no `error` messages: it writes errors
 * to stderr). Three shapes:
 *
 *   compile error      `3:7 - Type 'number' is not assignable to type 'string'.`   (cell line:column, exact)
 *   sync runtime error `evalmachine.<anonymous>:4\n    throw new Error('boom');\n    ^\n\nError: boom\n    at ...`
 *                      (line 4 of tslab's compiled JS, not of the cell: the quoted source line is found in the cell)
 *   async error        `Error: boom\n    at ...` (no line known)
 *
 * and, for the course kernel (which sends Jupyter `error` messages), its `ename`/`evalue`/`traceback`
 * (`locateErrorOutput`).
 */

/** The first error of a notebook run. */
export interface NotebookFailure {
  /** The notebook as given to the runner */
  notebook: string;
  /** 1-based among all cells (what Jupyter's UI counts); 0 when the notebook could not be read or the kernel not started */
  cellIndex: number;
  /** 1-based among code cells */
  codeCellIndex: number;
  /** 1-based line inside the cell, when known */
  line?: number;
  column?: number;
  /** One line: the compiler diagnostic or `Error: message` */
  message: string;
  /** The cell's error output (stderr text) */
  detail: string;
  /** A frame outside the cell where a runtime error was thrown (e.g. `lib/dist/train/loop.js:40`), when known */
  thrownAt?: string;
}

/** What `locateError` can tell from the error text. */
export interface ErrorLocation {
  line?: number;
  column?: number;
  message: string;
  thrownAt?: string;
}

const COMPILE = /^(?:.*\s)?(\d+):(\d+) - (.*)$/;
const HEADER = /^(.+):(\d+)$/;

/**
 * Reads the location and message of an error from tslab's stderr text.
 * @param errorText the failed cell's stderr
 * @param cellSource the cell's code (to find the quoted line of a runtime error)
 */
export function locateError(errorText: string, cellSource: string): ErrorLocation {
  const lines = errorText.replace(/\r\n/g, "\n").split("\n");
  for (const line of lines) {
    const compile = COMPILE.exec(line);
    if (compile) return { line: Number(compile[1]), column: Number(compile[2]), message: compile[3] ?? line };
  }
  let rest = lines;
  let quoted: string | undefined;
  let thrownAt: string | undefined;
  const header = HEADER.exec(lines[0] ?? "");
  if (header && /^\s*\^+\s*$/.test(lines[2] ?? "")) {
    quoted = lines[1];
    if (!header[1]!.startsWith("evalmachine.")) thrownAt = `${header[1]}:${header[2]}`;
    rest = lines.slice(3);
  }
  const message = rest.find((line) => line.trim() !== "")?.trim() ?? "the cell failed without a message";
  if (!thrownAt) {
    // The first stack frame: outside the cell (a library file) is worth naming.
    const frame = rest.map((line) => /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?$/.exec(line)).find((m) => m !== null);
    if (frame && !frame[1]!.startsWith("evalmachine.") && !frame[1]!.startsWith("node:")) thrownAt = `${frame[1]}:${frame[2]}`;
  }
  const location: ErrorLocation = { message };
  if (thrownAt) location.thrownAt = thrownAt;
  if (quoted !== undefined && quoted.trim() !== "" && !thrownAt) {
    const line = findQuotedLine(quoted, cellSource);
    if (line !== undefined) location.line = line;
  }
  return location;
}

/**
 * Finds the cell line that tslab's compiled JS line came from: an exact match, else the line sharing most of its
 * tokens (type annotations are gone from the JS, so `const y: number = f(x);` shows as `const y = f(x);`).
 * @returns the 1-based line, or undefined when no line shares at least 60% of the tokens
 */
export function findQuotedLine(quoted: string, cellSource: string): number | undefined {
  const want = quoted.trim();
  const cellLines = cellSource.split("\n");
  const exact = cellLines.findIndex((line) => line.trim() === want);
  if (exact >= 0) return exact + 1;
  const tokens = (text: string): string[] => text.match(/[A-Za-z_$][\w$]*|\d+|"[^"]*"|'[^']*'|`[^`]*`/g) ?? [];
  const wanted = tokens(want);
  if (wanted.length === 0) return undefined;
  let best = -1;
  let bestScore = 0;
  cellLines.forEach((line, i) => {
    const have = new Set(tokens(line));
    const score = wanted.filter((token) => have.has(token)).length / wanted.length;
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  return bestScore >= 0.6 ? best + 1 : undefined;
}

/** One line for a terminal: `notebooks/01-x.ipynb: cell 5 (code cell 3), line 2: message`. */
export function formatFailure(failure: NotebookFailure): string {
  const where = [failure.cellIndex === 0 ? "before the first cell" : `cell ${failure.cellIndex} (code cell ${failure.codeCellIndex})`];
  if (failure.line !== undefined) where.push(`line ${failure.line}${failure.column !== undefined ? `:${failure.column}` : ""}`);
  const thrown = failure.thrownAt ? ` (thrown at ${failure.thrownAt})` : "";
  return `${failure.notebook}: ${where.join(", ")}: ${failure.message}${thrown}`;
}

/** `In[3]:2:7 - error TS2322: …`: the course kernel's TypeScript diagnostic line. */
const TS_DIAGNOSTIC = /^In\[[^\]]*\]:(\d+):(\d+) - error TS\d+: (.*)$/;
/** A traceback frame `at f (FILE:LINE:COL)` or `at FILE:LINE:COL`. */
const FRAME = /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Where a cell failed, from the course kernel's `error` output: its TypeScript diagnostic, or the first
 * traceback frame in this cell (`In[n]`, positions already mapped to the cell's TypeScript), and the frame
 * where it was thrown when that is elsewhere (an earlier cell, a library file).
 * @param cellName `In[n]`, the failing cell's script name (its execution count)
 */
export function locateErrorOutput(error: { ename: string; evalue: string; traceback: string[] }, cellName: string): ErrorLocation {
  const lines = error.traceback.flatMap((entry) => entry.split("\n"));
  if (error.ename === "TSError") {
    const diagnostic = lines.map((line) => TS_DIAGNOSTIC.exec(line)).find((m) => m !== null);
    if (diagnostic) return { line: Number(diagnostic[1]), column: Number(diagnostic[2]), message: diagnostic[3] ?? error.evalue };
    return { message: `TSError: ${error.evalue}` };
  }
  const location: ErrorLocation = { message: `${error.ename}: ${error.evalue}` };
  const frames = lines.map((line) => FRAME.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  const inCell = frames.find((m) => m[1] === cellName);
  if (inCell) {
    location.line = Number(inCell[2]);
    location.column = Number(inCell[3]);
  }
  const first = frames[0];
  if (first && first[1] !== cellName) location.thrownAt = `${first[1]}:${first[2]}`;
  return location;
}
