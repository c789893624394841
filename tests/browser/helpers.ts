/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the DOM types: functions passed to `page.evaluate` run in the page)
/**
 * Shared pieces of the browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a throw-away kernel registry holding the course kernel, a tiny notebook with every kind of output the course shows, and the check
 * that a page drew each plotly figure.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { newNotebook, type Notebook } from "../../lib/notebook/ipynb";

export const root = resolve(__dirname, "..", "..");
export const PYTHON = "/usr/bin/python3";
export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can (CI installs all of it: `.ci/run`). */
export function missingTools(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: apt-get install chromium`;
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ["-c", "import nbconvert, nbclient, notebook"]).status !== 0) {
    return `${PYTHON} lacks nbconvert/nbclient/notebook: apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient`;
  }
  return undefined;
}

/** Headless Chromium, offline (no background networking, no component updates). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * A work folder inside the checkout's git-ignored `out/` (a notebook's kernel resolves `@llm-course/lib` from
 * the notebook's folder, so a folder under /tmp would not do), and the environment of a Jupyter that finds a
 * `course-ts` kernel running this checkout's kernel (`scripts/install-kernel.mjs --prefix`, never the user's registry) —
 * and keeps Jupyter's data, config and runtime files there too. `cleanup` removes both folders.
 */
export function jupyterSandbox(prefix: string): { dir: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  mkdirSync(join(root, "out"), { recursive: true });
  const dir = mkdtempSync(join(root, "out", `${prefix}-`));
  const home = mkdtempSync(join(tmpdir(), `${prefix}-jupyter-`));
  const install = spawnSync(process.execPath, [join(root, "scripts", "install-kernel.mjs"), `--prefix=${home}`], { cwd: root, encoding: "utf8" });
  if (install.status !== 0) throw new Error(`install-kernel.mjs --prefix=${home} failed: ${install.stderr}`);
  const env = {
    ...process.env,
    JUPYTER_PATH: join(home, "share", "jupyter"),
    JUPYTER_DATA_DIR: join(home, "data"),
    JUPYTER_CONFIG_DIR: join(home, "config"),
    JUPYTER_RUNTIME_DIR: join(home, "runtime"),
    IPYTHONDIR: join(home, "ipython"),
    COURSE_MODE: "quick",
  };
  const cleanup = () => [dir, home].forEach((path) => rmSync(path, { recursive: true, force: true }));
  return { dir, env, cleanup };
}

/** The MIME type of a plotly figure in a notebook's outputs (one per figure). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Figures the test notebook draws (each `showPlot` and the training curve's final figure). */
export const TEST_FIGURES = 4;

/**
 * A small notebook with what the course notebooks show: plotly.js put on the page by `initPlots()`, figures
 * in several cells (two in one cell), a live training curve's final figure, a table, and markdown maths.
 */
export function testNotebook(): Notebook {
  return newNotebook([
    { code: 'import { initPlots, showPlot, showTable, newTrainingCurve } from "@llm-course/lib";\n\ninitPlots();' },
    { markdown: "# Figures\n\nThe value doubles every $(12 \\cdot \\log_{10} 2) / b$ months; a fee of \\$5.\n\n$$\\log_{10}(\\text{value}) = a + b \\cdot \\text{year}$$" },
    { code: 'showPlot([{ type: "scatter", mode: "lines+markers", x: [1, 2, 3], y: [2, 4, 8] }], { title: { text: "scatter" } });' },
    { code: 'showPlot([{ type: "bar", x: ["a", "b"], y: [3, 1] }], { title: { text: "bar" } });\nshowPlot([{ type: "heatmap", z: [[1, 2], [3, 4]] }], { title: { text: "heatmap" } });' },
    { code: 'const curve = newTrainingCurve({ title: "loss", intervalMs: 0 });\nfor (let step = 1; step <= 5; step++) curve.update(step, { train: 1 / step });\ncurve.finish();\nundefined' },
    { code: 'showTable([{ model: "a", accuracy: 0.81234, n: 1200 }, { model: "b", accuracy: 0.7, n: 35 }], { caption: "scores" });' },
  ]);
}

/** What a page showed: figure containers, those with plotly's SVG, console errors, and the raw-TeX check. */
export interface PageCheck {
  figures: number;
  drawn: number;
  errors: string[];
  /** Typeset formulas (KaTeX or MathJax). */
  katex: number;
}

/** Starts collecting a page's console errors and uncaught exceptions. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  // Offline means offline: a request anywhere but this file, inline data or the local server is an error.
  page.on("request", (request) => {
    const url = request.url();
    if (!/^(file:|data:|blob:|about:|http:\/\/127\.0\.0\.1[:/])/.test(url)) errors.push(`request off the machine: ${url}`);
  });
  return errors;
}

/**
 * Waits until `expected` plotly figures (elements matching `selector`) each hold plotly's `.main-svg`, or
 * `timeoutMs` passes, then counts.
 */
export async function countFigures(page: Page, selector: string, expected: number, timeoutMs = 30_000): Promise<{ figures: number; drawn: number }> {
  const count = () =>
    page.evaluate((sel) => {
      const figures = [...document.querySelectorAll(sel)];
      return { figures: figures.length, drawn: figures.filter((f) => f.querySelector(".main-svg") !== null).length };
    }, selector);
  const deadline = Date.now() + timeoutMs;
  let seen = await count();
  while (Date.now() < deadline && !(seen.figures >= expected && seen.drawn === seen.figures)) {
    await page.waitForTimeout(250);
    seen = await count();
  }
  return seen;
}

/** Options of `checkPage`. */
export interface CheckOptions {
  /** The figures' containers: `.llm-course-plot` in notebooks (default), `.plot` in the report. */
  selector?: string;
  /** Wait (up to 20 s) for typeset maths before counting it (MathJax typesets after load). */
  maths?: boolean;
  /** A PNG of the whole page to write. */
  screenshot?: string;
}

/** Opens `url` in a fresh page and checks its figures (and maths, when asked). */
export async function checkPage(browser: Browser, url: string, expected: number, options: CheckOptions = {}): Promise<PageCheck> {
  const { selector = ".llm-course-plot", maths: waitForMaths = false, screenshot } = options;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  const { figures, drawn } = await countFigures(page, selector, expected);
  const maths = ".katex, .MathJax, .MathJax_CHTML, .MathJax_SVG, mjx-container";
  if (waitForMaths) await page.waitForFunction((sel) => document.querySelector(sel) !== null, maths, { timeout: 20_000 }).catch(() => undefined);
  const katex = await page.evaluate((sel) => document.querySelectorAll(sel).length, maths);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { figures, drawn, errors, katex };
}

/** Runs a command, resolving with its exit status and output (spawn, so the event loop stays free). */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, options);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (status) => resolveRun({ status, output }));
  });
}

/** Asserts a page drew all `expected` figures and logged no error. */
export function assertDrawn(check: PageCheck, expected: number, where: string): void {
  assert.deepEqual(check.errors, [], `${where}: console errors`);
  assert.equal(check.figures, expected, `${where}: ${check.figures} figure containers, expected ${expected}`);
  assert.equal(check.drawn, expected, `${where}: ${check.drawn} of ${check.figures} figures drew SVG`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A running classic Notebook server: its notebook URL maker and how to stop it. */
export interface NotebookServer {
  url: (notebook: string) => string;
  /** Shuts down every kernel the pages started (opening a notebook starts one). */
  shutdownKernels: () => Promise<void>;
  stop: () => void;
}

/**
 * Starts Debian's classic Notebook on 127.0.0.1 (a free port, a token) serving `dir`, with the course's
 * Jupyter config (scripts/jupyter_config.py), and waits until it answers.
 */
export async function startNotebookServer(dir: string, env: NodeJS.ProcessEnv): Promise<NotebookServer> {
  const port = await freePort();
  const token = "browser-test-token";
  const server = spawn(PYTHON, ["-m", "notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`,
    `--notebook-dir=${dir}`, "--allow-root", `--config=${join(root, "scripts", "jupyter_config.py")}`], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  const api = (path: string, init?: RequestInit) => fetch(`${base}${path}?token=${token}`, init);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await api("/api").then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline || server.exitCode !== null) {
      server.kill("SIGTERM");
      assert.fail(`the Notebook server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url: (notebook) => `${base}/notebooks/${notebook}?token=${token}`,
    shutdownKernels: async () => {
      const sessions = (await (await api("/api/sessions")).json()) as Array<{ id: string }>;
      for (const session of sessions) await api(`/api/sessions/${session.id}`, { method: "DELETE" });
    },
    stop: () => server.kill("SIGTERM"),
  };
}

/**
 * What a classic Notebook page logs by itself, with no output on it (Debian enables the widgets nbextension
 * without shipping it: a 404, and so on): the baseline that the course's outputs must add no error to.
 */
export async function notebookPageErrors(browser: Browser, url: string): Promise<string[]> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null, undefined, { timeout: 120_000 });
  await page.waitForTimeout(2000);
  await page.close();
  return errors;
}
