import type { Command } from "commander";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { repoRoot } from "../core/paths";
import {
  formatFailure, renderReport, runNotebook, writeFileAtomic, writeNotebook,
  type NotebookRun, type RunEvent,
} from "../notebook";

/** Options of `course notebooks`, as commander parses them. */
interface NotebooksOptions {
  only?: string[];
  quick?: boolean;
  full?: boolean;
  out?: string;
  timeout: string;
  dir?: string;
  build: boolean;
  verbose?: boolean;
}

/**
 * The notebooks to run: `NN-name.ipynb` files of `dir` in NN order, optionally only those whose NN is in `only`.
 * @throws naming the folder when it has no notebook, or the NN values that match nothing
 */
export function listNotebooks(dir: string, only: string[] = []): string[] {
  if (!existsSync(dir)) throw new Error(`${dir}: no such folder (pass the notebooks folder with --dir)`);
  const all = readdirSync(dir).filter((name) => /^\d+-.+\.ipynb$/.test(name)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
  if (all.length === 0) throw new Error(`${dir}: no NN-name.ipynb notebook`);
  if (only.length === 0) return all.map((name) => join(dir, name));
  const wanted = new Set(only.map((nn) => parseInt(nn, 10)));
  const missing = only.filter((nn) => !all.some((name) => parseInt(name, 10) === parseInt(nn, 10)));
  if (missing.length > 0) throw new Error(`--only ${missing.join(" ")}: no such notebook in ${dir} (have ${all.map((n) => n.split("-")[0]).join(" ")})`);
  return all.filter((name) => wanted.has(parseInt(name, 10))).map((name) => join(dir, name));
}

/**
 * Compiles `lib/` so notebooks (which import the compiled `@llm-course/lib`) see the current sources. Runs
 * `npm run build` itself, not `node_modules/typescript` directly: `node_modules/.bin/tsc` is the TypeScript that
 * tslab bundles (5.0.x, the compiler the notebooks' cells go through), and the build must be the project's.
 */
function buildLibrary(root: string): void {
  const started = Date.now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (result.error) throw new Error(`cannot run \`npm run build\` (${result.error.message}); build lib/ yourself and pass --no-build`);
  if (result.status !== 0) {
    throw new Error(`building lib/ failed (npm run build, exit ${result.status}): notebooks use the compiled library; fix the errors above or pass --no-build`);
  }
  console.log(`built lib/ in ${seconds(Date.now() - started)}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A run that never started (unreadable notebook, kernel that would not start), for the summary and report. */
function failedRun(path: string, error: Error, durationMs: number): NotebookRun {
  return {
    path,
    notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] },
    cells: [],
    kernelStartMs: 0,
    durationMs,
    failure: { notebook: path, cellIndex: 0, codeCellIndex: 0, message: error.message.split("\n")[0] ?? error.message, detail: error.message },
  };
}

/**
 * `course notebooks`: builds `lib/`, runs every notebook from a fresh tslab kernel, writes the executed notebooks,
 * `report.html` and `summary.json` under `--out`. Runs all notebooks even after a failure, then exits 1 listing
 * every failure (notebook, cell, line).
 */
export function registerNotebooks(program: Command): void {
  program
    .command("notebooks")
    .description("execute the notebooks headless (fresh kernel each), write executed copies and an HTML report")
    .option("--only <NN...>", "run only these notebooks, by number prefix (e.g. --only 00 03)")
    .option("--quick", "small configs, minutes on a laptop CPU (default)")
    .option("--full", "the full configs (COURSE_MODE=full)")
    .option("--out <dir>", "where executed notebooks and report.html go (default: <repo>/out)")
    .option("--timeout <seconds>", "limit per cell; the cell is interrupted past it", "600")
    .option("--dir <dir>", "the notebooks folder (default: <repo>/notebooks)")
    .option("--no-build", "skip compiling lib/ first")
    .option("--verbose", "echo the kernels' own log")
    .action(async (options: NotebooksOptions) => {
      if (options.quick && options.full) throw new Error("--quick and --full together: pick one");
      const mode = options.full ? "full" : "quick";
      const timeoutS = Number(options.timeout);
      if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error(`--timeout ${options.timeout}: need a positive number of seconds`);
      const root = repoRoot();
      if (root === null) throw new Error(`no llm-course checkout above ${__dirname}: run \`course notebooks\` from a clone of the course`);
      const dir = options.dir ? resolve(options.dir) : join(root, "notebooks");
      const out = options.out ? resolve(options.out) : join(root, "out");
      const paths = listNotebooks(dir, options.only);
      // Ctrl-C: exit through process.exit so the kernel exit hook kills running kernels.
      process.once("SIGINT", () => {
        console.error("\ninterrupted");
        process.exit(130);
      });
      if (options.build) buildLibrary(root);
      console.log(`running ${paths.length} notebook(s), COURSE_MODE=${mode}, ${timeoutS} s per cell, output in ${relative(process.cwd(), out) || "."}`);
      const runs: NotebookRun[] = [];
      for (const [n, path] of paths.entries()) {
        const shown = relative(process.cwd(), path);
        const tag = `[${n + 1}/${paths.length}] ${basename(path)}`;
        const onEvent = (event: RunEvent): void => {
          if (event.kind === "kernel") console.log(`${tag}: kernel started in ${seconds(event.startupMs)}`);
          if (event.kind === "cell-end") {
            const { cell } = event;
            console.log(`${tag}: cell ${cell.cellIndex} (code ${cell.codeCellIndex}/${event.codeCells}) ${cell.status} ${seconds(cell.durationMs)}`);
          }
        };
        const started = Date.now();
        let run: NotebookRun;
        try {
          run = await runNotebook(shown, {
            cellTimeoutMs: timeoutS * 1000,
            env: { COURSE_MODE: mode },
            onEvent,
            ...(options.verbose ? { onKernelLog: (text: string) => process.stderr.write(text) } : {}),
          });
        } catch (error) {
          run = failedRun(shown, error as Error, Date.now() - started);
        }
        runs.push(run);
        if (run.notebook.cells.length > 0) writeNotebook(join(out, basename(path)), run.notebook);
        console.log(`${tag}: ${run.failure ? "FAILED" : "ok"} in ${seconds(run.durationMs)}`);
        if (run.failure) console.log(`  ${formatFailure(run.failure)}`);
      }
      const summary = runs.map((run) => ({
        notebook: run.path,
        status: run.failure ? "failed" : "ok",
        durationMs: run.durationMs,
        kernelStartMs: run.kernelStartMs,
        cells: run.cells,
        failure: run.failure ?? null,
      }));
      writeFileAtomic(join(out, "summary.json"), JSON.stringify({ mode, notebooks: summary }, null, 2) + "\n");
      writeFileAtomic(join(out, "report.html"), renderReport(runs, { subtitle: `COURSE_MODE=${mode}, ${new Date().toISOString()}` }));
      console.log(`report: ${relative(process.cwd(), join(out, "report.html"))}`);
      const failures = runs.filter((run) => run.failure);
      if (failures.length > 0) {
        console.error(`${failures.length} of ${runs.length} notebook(s) failed:`);
        for (const run of failures) console.error(`  ${formatFailure(run.failure!)}`);
        process.exitCode = 1;
      }
    });
}
