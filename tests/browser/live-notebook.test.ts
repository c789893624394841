/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the DOM types: functions passed to `page.evaluate` run in the page)
/**
 * A live classic Notebook server (Debian's `jupyter-notebook`, on 127.0.0.1 with a token) in Chromium: the
 * page has require.js, as every classic Notebook does. Run all cells with a fresh kernel, re-run a figure cell
 * and the `initPlots()` cell, restart the kernel and run all again, then save and reopen: every figure draws each
 * time, and the page logs no error.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { writeNotebook } from "../../lib/notebook/ipynb";
import { TEST_FIGURES, collectErrors, jupyterSandbox, launchChromium, missingTools, notebookPageErrors, startNotebookServer, testNotebook } from "./helpers";

const { dir, env, cleanup } = jupyterSandbox("browser-live");
after(cleanup);

/** The ids of the page's figures and how many of them hold plotly's SVG. */
function figures(page: Page): Promise<{ ids: string[]; drawn: number }> {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll(".llm-course-plot")];
    return { ids: all.map((f) => f.id), drawn: all.filter((f) => f.querySelector(".main-svg") !== null).length };
  });
}

/** Waits until `count` figures are on the page, none of them in `old`, all drawn. */
async function waitForNewFigures(page: Page, count: number, old: string[], what: string): Promise<string[]> {
  const deadline = Date.now() + 120_000;
  let seen = await figures(page);
  while (Date.now() < deadline) {
    const fresh = seen.ids.filter((id) => !old.includes(id));
    if (seen.ids.length === TEST_FIGURES && fresh.length === count && seen.drawn === TEST_FIGURES) return seen.ids;
    await page.waitForTimeout(300);
    seen = await figures(page);
  }
  assert.fail(`${what}: ${seen.ids.length} figures (${seen.ids.filter((id) => !old.includes(id)).length} new, expected ${count}), ${seen.drawn} drawn`);
}

// `Jupyter` is the classic Notebook's page global; any: it has no typings here.
/* eslint-disable @typescript-eslint/no-explicit-any */
const kernelIdle = (page: Page) =>
  page.waitForFunction(() => {
    const jupyter = (window as any).Jupyter;
    return jupyter?.notebook?.kernel?.is_connected?.() && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
  }, undefined, { timeout: 120_000 });

test("figures draw in a live classic Notebook: run all, re-run, restart, save and reopen", { timeout: 10 * 60_000 }, async () => {
  const missing = missingTools();
  if (missing) assert.fail(missing);
  writeNotebook(join(dir, "plots.ipynb"), testNotebook());
  const server = await startNotebookServer(dir, env);
  const browser = await launchChromium();
  try {
    // A copy with no outputs gives the page's own errors: the course's outputs must add none.
    writeNotebook(join(dir, "empty.ipynb"), testNotebook());
    const baseline = await notebookPageErrors(browser, server.url("empty.ipynb"));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(server.url("plots.ipynb"), { waitUntil: "load" });
    await kernelIdle(page);

    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    let ids = await waitForNewFigures(page, TEST_FIGURES, [], "run all with a fresh kernel");

    await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([2])); // the scatter cell
    ids = await waitForNewFigures(page, 1, ids, "re-run a figure cell");
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_cells([0, 3])); // initPlots() again, then two figures
    ids = await waitForNewFigures(page, 2, ids, "re-run the initPlots() cell and a figure cell");

    await page.evaluate(() => new Promise((resolveRestart) => (window as any).Jupyter.notebook.kernel.restart(resolveRestart)));
    await kernelIdle(page);
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    ids = await waitForNewFigures(page, TEST_FIGURES, ids, "run all after a kernel restart");
    await kernelIdle(page);

    await page.evaluate(() => (window as any).Jupyter.notebook.save_notebook()); // a promise of the saved model
    const saved = JSON.parse(readFileSync(join(dir, "plots.ipynb"), "utf8")) as { cells: Array<{ outputs?: unknown[] }> };
    assert.ok(saved.cells.some((cell) => (cell.outputs ?? []).length > 0), "the saved notebook holds its outputs");
    await page.reload({ waitUntil: "load" });
    // A new page: the saved outputs, with their saved ids, must draw without any cell running.
    await waitForNewFigures(page, TEST_FIGURES, [], "reopen the saved notebook (no cell run)");
    await page.screenshot({ path: join(process.env["BROWSER_SCREENSHOTS"] ?? dir, "live-notebook.png") });
    assert.deepEqual(errors.filter((e) => !baseline.includes(e)), [], `console errors beyond the empty page's (${baseline.length}: ${baseline.join("; ")})`);
  } finally {
    await browser.close();
    server.stop();
  }
});
