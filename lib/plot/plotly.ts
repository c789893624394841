/**
 * Plotly figures that render offline everywhere a notebook is read:
 * - JupyterLab / VS Code read `application/vnd.plotly.v1+json`;
 * - the classic notebook and `jupyter nbconvert --to html` read `text/html`: a div plus a script that draws it,
 *   with plotly.js inlined in the first figure of each kernel (one notebook = one kernel), never a CDN;
 * - terminals read `text/plain`.
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

let plotlyInlined = false;

/** Whether this kernel has already shown plotly.js inline. */
export function plotlyInlinedYet(): boolean {
  return plotlyInlined;
}

/** Records that a displayed bundle carried plotly.js inline. */
export function markPlotlyInlined(): void {
  plotlyInlined = true;
}

/**
 * plotly.js minified (plotly.js-dist ships only the 10.8 MB unminified build; esbuild makes it ~4.8 MB),
 * cached under `node_modules/.cache/llm-course/` per plotly version, written atomically.
 */
export function plotlyScript(): string {
  const packageFile = require.resolve("plotly.js-dist/package.json");
  const { version } = JSON.parse(readFileSync(packageFile, "utf8")) as { version: string };
  const nodeModules = dirname(dirname(packageFile));
  const cached = join(nodeModules, ".cache", "llm-course", `plotly-${version}.min.js`);
  if (existsSync(cached)) return readFileSync(cached, "utf8");
  const source = readFileSync(join(dirname(packageFile), "plotly.js"), "utf8");
  // esbuild comes with tsx; loaded here only, the first time a figure is drawn on this machine.
  const { code } = (require("esbuild") as typeof import("esbuild")).transformSync(source, { minify: true, legalComments: "none" });
  writeFileAtomic(cached, code);
  return code;
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

/**
 * Builds the MIME bundle of a figure.
 * @param includePlotly inline plotly.js in the HTML (the first figure a notebook shows must).
 * @returns `application/vnd.plotly.v1+json`, `text/html` and `text/plain` entries.
 */
export function plotBundle(data: PlotTrace[], layout: PlotLayout = {}, options: PlotOptions & { includePlotly?: boolean } = {}): MimeBundle {
  const { height = 420, includePlotly = true } = options;
  const fullLayout: PlotLayout = { height, margin: { t: 50, r: 20, b: 50, l: 60 }, ...layout };
  const config = { responsive: true, displaylogo: false };
  const id = `plot-${randomBytes(6).toString("hex")}`;
  const library = includePlotly ? `<script type="text/javascript">${plotlyScript()}</script>\n` : "";
  const html =
    `${library}<div id="${id}" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var draw = function () { window.Plotly.newPlot(${JSON.stringify(id)}, ${scriptJson(data)}, ${scriptJson(fullLayout)}, ${scriptJson(config)}); };\n` +
    `  if (window.Plotly) { draw(); } else { document.getElementById(${JSON.stringify(id)}).textContent = ` +
    `"plotly.js was not loaded: run the notebook's first plot cell again"; }\n` +
    `})();</script>`;
  const title = titleOf(layout);
  const text = `<Figure${title ? ` "${title}"` : ""}: ${data.length} trace${data.length === 1 ? "" : "s"}>`;
  return { "application/vnd.plotly.v1+json": { data, layout: fullLayout, config }, "text/html": html, "text/plain": text };
}

/**
 * Shows a plotly figure in the notebook (when in a kernel). The first figure shown in a kernel carries
 * plotly.js inline; later ones reuse it. Returns nothing, so a cell ending with it prints no value
 * (`plotBundle` builds the bundle without showing it).
 * @param data plotly traces, e.g. `[{ type: "scatter", x: [1, 2], y: [3, 4] }]`.
 */
export function showPlot(data: PlotTrace[], layout: PlotLayout = {}, options: PlotOptions = {}): void {
  const includePlotly = !plotlyInlined && inKernel();
  const bundle = plotBundle(data, layout, { ...options, includePlotly });
  if (displayBundle(bundle) && includePlotly) markPlotlyInlined();
}
