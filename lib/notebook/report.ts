/**
 * One self-contained, offline HTML page for a set of executed notebooks: a table of contents with each
 * notebook's status and time, then every notebook's markdown (through `marked`, maths through KaTeX), code and
 * outputs. Plotly figures (`application/vnd.plotly.v1+json`) are drawn by one inlined copy of plotly.js for the
 * whole page, instead of each output's `text/html` fallback; the notebooks' own plotly.js loader outputs
 * (`initPlots()`) are left out, since the page has its copy.
 */
import { basename } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { joinSource, type MimeBundle, type Output } from "./ipynb";
import { formatFailure } from "./failure";
import { katexCss, renderMarkdown } from "./maths";
import { plotlyScript, scriptSafe, PLOTLY_LOADER_MARK } from "../plot/plotly";
import { escapeHtml } from "../plot/html";
import type { NotebookRun } from "./run";

/** The MIME type of a Plotly figure (`{ data, layout, config? }`). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Options of `renderReport`. */
export interface ReportOptions {
  title?: string;
  /** plotly.js source to inline; default: `plotly.js-dist` minified (read only if a figure needs it) */
  plotlyJs?: string;
  /** A line under the title (e.g. mode and date) */
  subtitle?: string;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A per-report counter and the flag that plotly is needed. */
interface RenderState {
  figures: number;
  usesPlotly: boolean;
}

function renderData(data: MimeBundle, state: RenderState): string {
  const text = (mime: string): string | undefined => {
    const value = data[mime];
    if (value === undefined) return undefined;
    return typeof value === "string" ? value : Array.isArray(value) ? value.join("") : JSON.stringify(value);
  };
  const figure = data[PLOTLY_MIME];
  if (figure !== undefined) {
    state.usesPlotly = true;
    const id = `plotly-figure-${++state.figures}`;
    const spec = typeof figure === "string" ? (JSON.parse(figure) as unknown) : figure;
    const json = scriptSafe(JSON.stringify(spec).replace(/</g, "\\u003c"));
    return `<div class="plot" id="${id}"></div>\n<script>(function(){var f=${json};` +
      `Plotly.newPlot(${JSON.stringify(id)},f.data||[],f.layout||{},Object.assign({responsive:true},f.config||{}));})();</script>`;
  }
  const html = text("text/html");
  if (html?.startsWith(PLOTLY_LOADER_MARK)) return "";
  if (html !== undefined) return `<div class="html">${html}</div>`;
  const svg = text("image/svg+xml");
  if (svg !== undefined) return `<div class="image">${svg}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    const base64 = text(mime);
    if (base64 !== undefined) return `<div class="image"><img src="data:${mime};base64,${base64.replace(/\s/g, "")}"></div>`;
  }
  const markdown = text("text/markdown");
  if (markdown !== undefined) return `<div class="markdown">${renderMarkdown(markdown)}</div>`;
  const plain = text("text/plain") ?? text("text/latex") ?? text("application/json");
  if (plain !== undefined) return `<pre class="output">${escapeHtml(plain)}</pre>`;
  return `<pre class="output note">(output of type ${escapeHtml(Object.keys(data).join(", "))} not shown)</pre>`;
}

function renderOutput(output: Output, state: RenderState): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="output ${output.name}">${escapeHtml(stripVTControlCharacters(joinSource(output.text)))}</pre>`;
    case "error":
      return `<pre class="output stderr">${escapeHtml(stripVTControlCharacters([`${output.ename}: ${output.evalue}`, ...output.traceback].join("\n")))}</pre>`;
    default:
      return renderData(output.data, state);
  }
}

function statusOf(run: NotebookRun): { label: string; css: string } {
  if (!run.failure) return { label: "ok", css: "ok" };
  return { label: `failed at cell ${run.failure.cellIndex}`, css: "failed" };
}

function renderNotebook(run: NotebookRun, anchor: string, state: RenderState): string {
  const parts: string[] = [];
  const { label, css } = statusOf(run);
  parts.push(`<section class="notebook" id="${anchor}">`);
  parts.push(`<h1 class="notebook-title">${escapeHtml(basename(run.path))} <span class="status ${css}">${escapeHtml(label)}</span> <span class="time">${formatMs(run.durationMs)}</span></h1>`);
  if (run.failure) parts.push(`<pre class="failure">${escapeHtml(formatFailure(run.failure))}</pre>`);
  const timeOf = new Map(run.cells.map((cell) => [cell.cellIndex, cell]));
  run.notebook.cells.forEach((cell, i) => {
    const source = joinSource(cell.source);
    if (cell.cell_type === "markdown") {
      parts.push(`<div class="cell markdown">${renderMarkdown(source)}</div>`);
      return;
    }
    if (cell.cell_type === "raw") {
      parts.push(`<pre class="cell raw">${escapeHtml(source)}</pre>`);
      return;
    }
    const timing = timeOf.get(i + 1);
    const failed = run.failure?.cellIndex === i + 1 ? " failed" : "";
    const meta = `[${cell.execution_count ?? " "}]${timing && timing.status !== "skipped" ? ` ${formatMs(timing.durationMs)}` : ""}`;
    parts.push(`<div class="cell code${failed}" id="${anchor}-cell-${i + 1}"><div class="prompt">${escapeHtml(meta)}</div>` +
      `<pre class="source"><code>${escapeHtml(source)}</code></pre>${cell.outputs.map((o) => renderOutput(o, state)).join("\n")}</div>`);
  });
  parts.push("</section>");
  return parts.join("\n");
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
pre{white-space:pre-wrap;word-break:break-word;margin:.3em 0;font-size:13px}
.source{background:#f6f8fa;border-left:3px solid #8ab;padding:.5em}
.output{padding:.3em .5em}.stderr{background:#fff0f0}.note{color:#888}
.cell{margin:1em 0}.cell.failed .source{border-left-color:#d33}.prompt{color:#888;font-size:12px;font-family:monospace}
.status{font-size:.6em;padding:.1em .5em;border-radius:.3em}.ok{background:#dfd}.failed{background:#fdd}
.failure{background:#fdd;padding:.5em}.time{font-size:.6em;color:#888}
table.toc{border-collapse:collapse}table.toc td,table.toc th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
section.notebook{border-top:2px solid #ccc;margin-top:3em}img{max-width:100%}
.html{overflow-x:auto}table.course-table{border-collapse:collapse;font-size:13px;margin:.5em 0}
.course-table th,.course-table td{padding:.25em .7em;border-bottom:1px solid #e4e4e4;vertical-align:top}
.course-table thead th{border-bottom:1px solid #999}.course-table caption{text-align:left;color:#555;padding:.2em 0}
`;

/**
 * Renders the report.
 * @param runs executed notebooks, in order
 * @returns one HTML document with no external references (plotly.js inlined once if any figure needs it)
 */
export function renderReport(runs: NotebookRun[], options: ReportOptions = {}): string {
  const { title = "Course notebooks", subtitle, plotlyJs } = options;
  const state: RenderState = { figures: 0, usesPlotly: false };
  const anchors = runs.map((run, i) => `nb-${i + 1}-${basename(run.path, ".ipynb").replace(/[^\w-]/g, "-")}`);
  const sections = runs.map((run, i) => renderNotebook(run, anchors[i]!, state));
  const total = runs.reduce((sum, run) => sum + run.durationMs, 0);
  const toc = runs.map((run, i) => {
    const { label, css } = statusOf(run);
    return `<tr><td><a href="#${anchors[i]}">${escapeHtml(basename(run.path))}</a></td><td class="status ${css}">${escapeHtml(label)}</td><td>${formatMs(run.durationMs)}</td></tr>`;
  });
  const plotly = state.usesPlotly ? `<script>${scriptSafe(plotlyJs ?? plotlyScript())}</script>` : "";
  const maths = katexCss(sections.join("\n"));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style>${maths ? `\n<style>${maths}</style>` : ""}
${plotly}
</head><body>
<h1>${escapeHtml(title)}</h1>
${subtitle ? `<p>${escapeHtml(subtitle)}</p>` : ""}
<table class="toc"><tr><th>notebook</th><th>status</th><th>time</th></tr>
${toc.join("\n")}
<tr><td><b>total</b></td><td>${runs.filter((run) => !run.failure).length}/${runs.length} ok</td><td>${formatMs(total)}</td></tr></table>
${sections.join("\n")}
</body></html>
`;
}
