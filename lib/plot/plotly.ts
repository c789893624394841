/**
 * Plotly figures that render offline everywhere a notebook is read.
 *
 * Each figure is one MIME bundle:
 * - `application/vnd.plotly.v1+json` for JupyterLab / Notebook 7 with the plotly extension, VS Code, and the report;
 * - `text/html` for everything else (classic Notebook, JupyterLab without the extension, nbconvert HTML): a div and
 *   a small script that draws it as soon as `window.Plotly` exists;
 * - `text/plain` for terminals.
 *
 * plotly.js itself (~4.8 MB minified) travels once per notebook, in the output of `initPlots()` (the notebook's
 * first cell), or else with the first figure a kernel shows. That copy is loaded so it always sets
 * `window.Plotly`: plotly.js-dist is a UMD bundle that, on a page with require.js (the classic Notebook,
 * nbconvert's lab and classic templates), registers itself as an anonymous AMD module and sets no global at all;
 * the loader hides `define`/`module`/`exports` from it. Figures rendered before the copy (lazy or out-of-order
 * rendering) queue themselves and are drawn when it arrives; a page that never gets one says how to fix it.
 */
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { displayBundle, inKernel, type MimeBundle } from "./display";
import { writeFileAtomic } from "../core/atomic";

/** A plotly trace (`{type: "scatter", x, y, ...}`); see plotly.js's reference. */
export type PlotTrace = Record<string, unknown>;
/** A plotly layout (`{title, xaxis, yaxis, ...}`). */
export type PlotLayout = Record<string, unknown>;

export interface PlotOptions {
  /** Height in pixels (default 420: fits a laptop screen beside code). */
  height?: number;
}

/** First characters of the loader's HTML: how the report (which has its own copy) recognises and skips it. */
export const PLOTLY_LOADER_MARK = "<!-- llm-course: plotly.js loader -->";

/** The page-global queue of figures waiting for plotly.js (a name no other library uses). */
const QUEUE = "__llmCoursePlotQueue";

let plotlyInlined = false;

/** Whether this kernel has already shown plotly.js inline. */
export function plotlyInlinedYet(): boolean {
  return plotlyInlined;
}

/** Records that a displayed bundle carried plotly.js inline. */
export function markPlotlyInlined(): void {
  plotlyInlined = true;
}

/** The version of `plotly.js-dist` in node_modules. */
export function plotlyVersion(): string {
  const packageFile = require.resolve("plotly.js-dist/package.json");
  return (JSON.parse(readFileSync(packageFile, "utf8")) as { version: string }).version;
}

/**
 * plotly.js minified (plotly.js-dist ships only the 10.8 MB unminified build; esbuild makes it ~4.8 MB),
 * cached under `node_modules/.cache/llm-course/` per plotly version, written atomically.
 */
export function plotlyScript(): string {
  const packageFile = require.resolve("plotly.js-dist/package.json");
  const version = plotlyVersion();
  const nodeModules = dirname(dirname(packageFile));
  const cached = join(nodeModules, ".cache", "llm-course", `plotly-${version}.min.js`);
  if (existsSync(cached)) return readFileSync(cached, "utf8");
  const source = readFileSync(join(dirname(packageFile), "plotly.js"), "utf8");
  // esbuild comes with tsx; loaded here only, the first time a figure is drawn on this machine.
  const { code } = (require("esbuild") as typeof import("esbuild")).transformSync(source, { minify: true, legalComments: "none" });
  writeFileAtomic(cached, code);
  return code;
}

/** Makes script text safe inside `<script>`: no `</script` or `<!--` can end or confuse the element. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/**
 * A `<script>` that puts plotly.js on the page as `window.Plotly` with or without require.js, evaluates it at
 * most once per page (a re-run or a second copy finds the same version and skips it), then draws the figures
 * that were waiting for it.
 * @param plotlyJs plotly.js source (default: `plotlyScript()`).
 */
export function plotlyLoaderScript(plotlyJs: string = plotlyScript()): string {
  const version = JSON.stringify(plotlyVersion());
  return (
    `<script type="text/javascript">(function () {\n` +
    `  if (!(window.Plotly && window.Plotly.version === ${version})) {\n` +
    // `define`, `module` and `exports` shadowed: plotly's UMD wrapper then takes its global branch (`self.Plotly`).
    `    (function (define, module, exports) {\n${scriptSafe(plotlyJs)}\n    }).call(window);\n` +
    `  }\n` +
    `  var waiting = window.${QUEUE} || [];\n` +
    `  window.${QUEUE} = [];\n` +
    `  for (var i = 0; i < waiting.length; i++) { try { waiting[i](); } catch (e) { console.error(e); } }\n` +
    `})();</script>`
  );
}

/** The loader's HTML output: a one-line note for the reader, then the script. */
export function plotlyLoaderHtml(plotlyJs?: string): string {
  const note = `plotly.js ${plotlyVersion()}: one offline copy for this notebook's figures`;
  return `${PLOTLY_LOADER_MARK}\n<div style="color:#888;font-size:11px">${note}</div>\n${plotlyLoaderScript(plotlyJs)}`;
}

function titleOf(layout: PlotLayout): string {
  const title = layout["title"];
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") return (title as { text: string }).text;
  return "";
}

/** JSON for a `<script>` body: `</script>` and U+2028/9 cannot end or break it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** What a figure says when plotly.js never reached its page. */
export const PLOTLY_MISSING =
  "This figure needs plotly.js, which comes with the output of the notebook's first cell (initPlots()): " +
  "run that cell, or Kernel → Restart & Run All.";

/**
 * Builds the MIME bundle of a figure.
 * @param includePlotly put plotly.js's loader in this figure's HTML (for a kernel that has not shown it yet).
 * @returns `application/vnd.plotly.v1+json`, `text/html` and `text/plain` entries.
 */
export function plotBundle(data: PlotTrace[], layout: PlotLayout = {}, options: PlotOptions & { includePlotly?: boolean } = {}): MimeBundle {
  const { height = 420, includePlotly = true } = options;
  const fullLayout: PlotLayout = { height, margin: { t: 50, r: 20, b: 50, l: 60 }, ...layout };
  const config = { responsive: true, displaylogo: false };
  const id = `plot-${randomBytes(6).toString("hex")}`;
  const library = includePlotly ? `${plotlyLoaderScript()}\n` : "";
  const html =
    `<div id="${id}" class="llm-course-plot" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var id = ${JSON.stringify(id)};\n` +
    `  var draw = function () {\n` +
    `    var div = document.getElementById(id);\n` +
    `    if (!div) return;\n` +
    `    div.textContent = "";\n` +
    `    window.Plotly.newPlot(div, ${scriptJson(data)}, ${scriptJson(fullLayout)}, ${scriptJson(config)});\n` +
    `  };\n` +
    `  if (window.Plotly && window.Plotly.newPlot) { draw(); return; }\n` +
    `  (window.${QUEUE} = window.${QUEUE} || []).push(draw);\n` +
    `  setTimeout(function () {\n` +
    `    var div = document.getElementById(id);\n` +
    `    if (!window.Plotly && div && !div.firstChild) div.textContent = ${JSON.stringify(PLOTLY_MISSING)};\n` +
    `  }, 4000);\n` +
    `})();</script>\n` +
    // The library after the figure: its script drains the queue this figure just joined.
    library;
  const title = titleOf(layout);
  const text = `<Figure${title ? ` "${title}"` : ""}: ${data.length} trace${data.length === 1 ? "" : "s"}>`;
  return { "application/vnd.plotly.v1+json": { data, layout: fullLayout, config }, "text/html": html, "text/plain": text };
}

/**
 * Puts plotly.js in the notebook: call it once in a notebook's first cell, so that the saved notebook carries
 * one copy of plotly.js ahead of its figures and they draw wherever it is opened, with or without a kernel.
 * Running the cell again (or after a kernel restart) sends a fresh copy into the same output. Outside a kernel
 * it does nothing.
 */
export function initPlots(): void {
  const html = plotlyLoaderHtml();
  if (displayBundle({ "text/html": html, "text/plain": `plotly.js ${plotlyVersion()} loaded for this notebook's figures` })) markPlotlyInlined();
}

/**
 * Shows a plotly figure in the notebook (when in a kernel). In a kernel where `initPlots()` has not run, the
 * first figure carries plotly.js; later ones reuse it. Returns nothing, so a cell ending with it prints no value
 * (`plotBundle` builds the bundle without showing it).
 * @param data plotly traces, e.g. `[{ type: "scatter", x: [1, 2], y: [3, 4] }]`.
 */
export function showPlot(data: PlotTrace[], layout: PlotLayout = {}, options: PlotOptions = {}): void {
  const includePlotly = !plotlyInlined && inKernel();
  const bundle = plotBundle(data, layout, { ...options, includePlotly });
  if (displayBundle(bundle) && includePlotly) markPlotlyInlined();
}
