/// <reference lib="dom" />
// (the DOM types: functions passed to `page.evaluate` run in the page)
/**
 * A figure's HTML output on its own, in Chromium: on a page with the real require.js (Debian's, which the
 * classic Notebook and nbconvert load) plotly.js still becomes `window.Plotly`; a figure rendered before the
 * plotly.js copy arrives draws when it does; and a figure whose page never gets a copy says how to fix it.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PLOTLY_MISSING, plotBundle, plotlyLoaderHtml } from "../../lib/plot";
import { CHROMIUM, checkPage, collectErrors, launchChromium } from "./helpers";

const REQUIRE_JS = "/usr/share/javascript/requirejs/require.min.js";
const dir = mkdtempSync(join(tmpdir(), "browser-figure-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const figure = (title: string) => plotBundle([{ type: "bar", x: ["a", "b"], y: [1, 2] }], { title: { text: title } }, { includePlotly: false })["text/html"] as string;
const page = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="${pathToFileURL(REQUIRE_JS).href}"></script></head><body>${body}</body></html>`);
  return pathToFileURL(path).href;
};

test("figures draw with require.js on the page, in any order with the plotly.js copy; without one, they say how to fix it", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  assert.ok(existsSync(REQUIRE_JS), `${REQUIRE_JS} is missing: apt-get install libjs-requirejs (comes with jupyter-notebook)`);
  const browser = await launchChromium();
  try {
    // Loader first (initPlots() in the first cell), then figures; and a figure rendered before the loader.
    const inOrder = await checkPage(browser, page("in-order.html", `${plotlyLoaderHtml()}${figure("one")}${figure("two")}`), 2);
    assert.deepEqual([inOrder.figures, inOrder.drawn, inOrder.errors], [2, 2, []], "loader, then figures");
    const lateCopy = await checkPage(browser, page("late.html", `${figure("before the copy")}${plotlyLoaderHtml()}${figure("after")}`), 2);
    assert.deepEqual([lateCopy.figures, lateCopy.drawn, lateCopy.errors], [2, 2, []], "a figure waiting for the copy");
    const twice = await checkPage(browser, page("twice.html", `${plotlyLoaderHtml()}${figure("one")}${plotlyLoaderHtml()}${figure("two")}`), 2);
    assert.deepEqual([twice.figures, twice.drawn, twice.errors], [2, 2, []], "a re-run first cell: a second copy on the page");

    const alone = await browser.newPage();
    const errors = collectErrors(alone);
    await alone.goto(page("alone.html", figure("no copy")), { waitUntil: "load" });
    await alone.waitForFunction((text) => document.querySelector(".llm-course-plot")?.textContent === text, PLOTLY_MISSING, { timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
