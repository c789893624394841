/**
 * Executes one notebook top to bottom in a fresh kernel (cwd = the notebook's folder, as Jupyter does), stops at
 * the first failing cell like `jupyter nbconvert --execute`, and returns the executed notebook with timings and a
 * structured failure.
 */
import { dirname, resolve } from "node:path";
import { joinSource, readNotebook, type CodeCell, type Notebook } from "./ipynb";
import { KernelClient, KernelDiedError, KernelTimeoutError, type KernelOptions } from "./kernel";
import { OutputCollector } from "./outputs";
import { locateError, locateErrorOutput, type NotebookFailure } from "./failure";

/** How one code cell went. */
export interface CellRun {
  /** 1-based among all cells */
  cellIndex: number;
  /** 1-based among code cells */
  codeCellIndex: number;
  status: "ok" | "error" | "timeout" | "skipped";
  durationMs: number;
}

/** The outcome of running one notebook. */
export interface NotebookRun {
  /** As given (used in messages and the report) */
  path: string;
  /** The notebook with fresh outputs; cells after a failure have none */
  notebook: Notebook;
  cells: CellRun[];
  /** Kernel start-up (spawn to handshake), ms */
  kernelStartMs: number;
  /** The whole run including start-up and shutdown, ms */
  durationMs: number;
  failure?: NotebookFailure;
}

/** Progress events, one per cell (for a progress line). */
export type RunEvent =
  | { kind: "kernel"; path: string; startupMs: number }
  | { kind: "cell-start"; path: string; cellIndex: number; codeCellIndex: number; codeCells: number }
  | { kind: "cell-end"; path: string; cell: CellRun; codeCells: number };

/** Options of `runNotebook`. */
export interface RunOptions {
  /** Per-cell limit in ms; 0 = none. Default 10 minutes */
  cellTimeoutMs?: number;
  /** Environment variables for the kernel (e.g. `{ COURSE_MODE: "quick" }`) */
  env?: Record<string, string>;
  /** Kernel command (see `KernelOptions.argv`); default: this checkout's course kernel (`tslabArgv()` for tslab) */
  argv?: string[];
  startTimeoutMs?: number;
  onEvent?: (event: RunEvent) => void;
  onKernelLog?: (text: string) => void;
}

/** tslab skips requests that arrive within ~200 ms of a failed cell (tslab issue #19); wait this long to retry. */
const ABORT_RETRY_MS = 250;

/**
 * Runs a notebook from a fresh kernel.
 * @param path the `.ipynb` file
 * @returns the executed notebook, per-cell times and the first failure (a failure is a result, not a throw);
 *   throws only when the file cannot be read or the kernel cannot start
 */
export async function runNotebook(path: string, options: RunOptions = {}): Promise<NotebookRun> {
  const { cellTimeoutMs = 600_000, env = {}, argv, startTimeoutMs, onEvent, onKernelLog } = options;
  const started = Date.now();
  const notebook = readNotebook(path);
  const kernelOptions: KernelOptions = { cwd: dirname(resolve(path)), env };
  if (argv) kernelOptions.argv = argv;
  if (startTimeoutMs !== undefined) kernelOptions.startTimeoutMs = startTimeoutMs;
  if (onKernelLog) kernelOptions.onLog = onKernelLog;
  const kernel = await KernelClient.start(kernelOptions);
  onEvent?.({ kind: "kernel", path, startupMs: kernel.startupMs });
  const collector = new OutputCollector();
  const codeCells = notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code").length;
  const run: NotebookRun = { path, notebook, cells: [], kernelStartMs: kernel.startupMs, durationMs: 0 };
  let codeCellIndex = 0;
  try {
    for (const [i, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      codeCellIndex += 1;
      const place = { cellIndex: i + 1, codeCellIndex };
      const source = joinSource(cell.source);
      cell.outputs = [];
      cell.execution_count = null;
      if (run.failure || source.trim() === "") {
        // After a failure: leave the cell blank rather than keep outputs from an older run.
        const skipped: CellRun = { ...place, status: "skipped", durationMs: 0 };
        run.cells.push(skipped);
        continue;
      }
      onEvent?.({ kind: "cell-start", path, ...place, codeCells });
      const cellStarted = Date.now();
      const startedAt = new Date().toISOString();
      let status: CellRun["status"] = "ok";
      try {
        let result = await kernel.execute(source, { timeoutMs: cellTimeoutMs, collector, outputs: cell.outputs });
        if (result.status === "aborted") {
          await new Promise((r) => setTimeout(r, ABORT_RETRY_MS));
          result = await kernel.execute(source, { timeoutMs: cellTimeoutMs, collector, outputs: cell.outputs });
        }
        cell.execution_count = result.executionCount;
        if (result.status !== "ok") {
          status = "error";
          const errorOutput = cell.outputs.find((o) => o.output_type === "error");
          const errorText = errorOutput?.output_type === "error"
            ? errorOutput.traceback.join("\n")
            : cell.outputs.map((o) => (o.output_type === "stream" && o.name === "stderr" ? joinSource(o.text) : "")).join("");
          // The course kernel sends an `error` output; tslab only stderr text.
          const location = result.status === "aborted"
            ? { message: "the kernel aborted the cell twice (tslab skips requests right after a failed cell)" }
            : errorOutput?.output_type === "error"
              ? locateErrorOutput(errorOutput, `In[${result.executionCount ?? ""}]`)
              : locateError(errorText, source);
          run.failure = { notebook: path, ...place, ...location, detail: errorText };
        }
      } catch (error) {
        if (!(error instanceof KernelTimeoutError) && !(error instanceof KernelDiedError)) throw error;
        status = error instanceof KernelTimeoutError ? "timeout" : "error";
        const message = error instanceof KernelTimeoutError
          ? `${error.message} (interrupted; raise the limit with --timeout)`
          : (error.message.split("\n")[0] ?? error.message);
        run.failure = { notebook: path, ...place, message, detail: error instanceof KernelDiedError ? error.log : "" };
      }
      cell.metadata["execution"] = { "shell.execute_reply.started": startedAt, "shell.execute_reply": new Date().toISOString() };
      const done: CellRun = { ...place, status, durationMs: Date.now() - cellStarted };
      run.cells.push(done);
      onEvent?.({ kind: "cell-end", path, cell: done, codeCells });
      if (!kernel.alive && !run.failure) {
        run.failure = { notebook: path, ...place, message: "the kernel exited after this cell", detail: "" };
      }
    }
  } finally {
    await kernel.shutdown();
  }
  run.durationMs = Date.now() - started;
  return run;
}
