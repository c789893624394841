import { test } from "node:test";
import assert from "node:assert/strict";
import { newNotebook, type CodeCell } from "../../lib/notebook/ipynb";
import { PLOTLY_MIME, renderReport } from "../../lib/notebook/report";
import { PLOTLY_LOADER_MARK } from "../../lib/plot";
import type { NotebookRun } from "../../lib/notebook/run";

const FAKE_PLOTLY = "/* fake plotly */ window.Plotly = { newPlot() {} };";

function run(path: string, outputs: CodeCell["outputs"][], failed = false): NotebookRun {
  const notebook = newNotebook([{ markdown: "# Title *here*" }, ...outputs.map(() => ({ code: "x < 1 && y > 2" }))]);
  outputs.forEach((o, i) => ((notebook.cells[i + 1] as CodeCell).outputs = o));
  const result: NotebookRun = { path, notebook, cells: [{ cellIndex: 2, codeCellIndex: 1, status: "ok", durationMs: 12 }], kernelStartMs: 5, durationMs: 1500 };
  if (failed) result.failure = { notebook: path, cellIndex: 2, codeCellIndex: 1, line: 1, message: "boom", detail: "" };
  return result;
}

const figure = (title: string) => ({
  output_type: "display_data" as const,
  data: { [PLOTLY_MIME]: { data: [{ y: [1, 2] }], layout: { title: `${title}</script>` } }, "text/html": "<script>/* per-figure plotly copy */</script>" },
  metadata: {},
});

test("markdown is rendered, code and stream text escaped, text/html kept as is, images inlined", () => {
  const html = renderReport([run("notebooks/00-a.ipynb", [[
    { output_type: "stream", name: "stdout", text: "<tag> & text\n" },
    { output_type: "display_data", data: { "text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "ignored" }, metadata: {} },
    { output_type: "display_data", data: { "image/png": "iVBORw0KGgo=" }, metadata: {} },
  ]])]);
  assert.match(html, /<h1>Title <em>here<\/em><\/h1>/);
  assert.match(html, /x &lt; 1 &amp;&amp; y &gt; 2/);
  assert.match(html, /&lt;tag&gt; &amp; text/);
  assert.match(html, /<table><tr><td>1<\/td><\/tr><\/table>/);
  assert.ok(!html.includes("ignored"));
  assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=">/);
  assert.ok(!html.includes("fake plotly"), "no plotly without figures");
});

test("plotly is inlined once for the whole report and each figure gets a newPlot call instead of its html fallback", () => {
  const html = renderReport(
    [run("notebooks/00-a.ipynb", [[figure("one")]]), run("notebooks/01-b.ipynb", [[figure("two")], [figure("three")]])],
    { plotlyJs: FAKE_PLOTLY },
  );
  assert.equal(html.split("fake plotly").length - 1, 1);
  assert.equal(html.split("Plotly.newPlot(").length - 1, 3);
  assert.ok(!html.includes("per-figure plotly copy"));
  assert.ok(!/one<\/script>/.test(html), "figure JSON cannot close the script element");
});

test("the table of contents lists each notebook with its status and time", () => {
  const html = renderReport([run("notebooks/00-a.ipynb", [[]]), run("notebooks/01-b.ipynb", [[]], true)]);
  assert.match(html, /<a href="#nb-1-00-a">00-a\.ipynb<\/a><\/td><td class="status ok">ok<\/td><td>1\.5 s<\/td>/);
  assert.match(html, /<a href="#nb-2-01-b">01-b\.ipynb<\/a><\/td><td class="status failed">failed at cell 2<\/td>/);
  assert.match(html, /notebooks\/01-b\.ipynb: cell 2 \(code cell 1\), line 1: boom/);
  assert.match(html, /1\/2 ok/);
});

test("the real plotly.js bundle is inlined when no source is given, and nothing is fetched from a network", () => {
  const html = renderReport([run("notebooks/00-a.ipynb", [[figure("one")]])]);
  assert.ok(html.length > 3_000_000 && html.length < 6_000_000, "plotly.js minified: about 4.8 MB (10.8 MB as shipped)");
  assert.ok(!/<script[^>]+src=|<link[^>]+href=/.test(html));
});

test("maths is typeset by KaTeX as Jupyter reads it (notebook 01's formula intact, \\$ a dollar), fonts inlined", () => {
  const notebook = newNotebook([{ markdown: "doubles every $(12 \\cdot \\log_{10} 2) / b$ **months**, $t_{0.975,\\,n-2}$; costs \\$8 to \\$9; `$code$`\n\n$$\\log_{10}(\\text{value}) = a + b \\cdot \\text{year}$$" }]);
  const html = renderReport([{ path: "notebooks/01-m.ipynb", notebook, cells: [], kernelStartMs: 0, durationMs: 1 }]);
  assert.equal((html.match(/<span class="katex">/g) ?? []).length, 3);
  assert.equal((html.match(/class="katex-display"/g) ?? []).length, 1);
  assert.match(html, /<annotation encoding="application\/x-tex">t_\{0\.975,\\,n-2\}<\/annotation>/, "`\\,` reaches KaTeX (marked used to eat the backslash)");
  assert.match(html, /costs \$8 to \$9/);
  assert.match(html, /<code>\$code\$<\/code>/, "no maths inside code");
  assert.match(html, /@font-face\{[^}]*font-family:KaTeX_Main[^}]*src:url\(data:font\/woff2;base64,/);
  assert.doesNotMatch(html, /@font-face\{[^}]*KaTeX_Fraktur/, "only the fonts the maths uses");
  assert.doesNotMatch(html, /url\(fonts\//, "no font loaded from a file beside the page");
});

test("a notebook's own plotly.js loader output (initPlots) is left out of the report", () => {
  const loader = { output_type: "display_data" as const, data: { "text/html": `${PLOTLY_LOADER_MARK}\n<script>/* notebook copy */</script>`, "text/plain": "plotly.js" }, metadata: {} };
  const html = renderReport([run("notebooks/00-a.ipynb", [[loader, figure("one")]])], { plotlyJs: FAKE_PLOTLY });
  assert.ok(!html.includes("notebook copy"));
  assert.equal(html.split("fake plotly").length - 1, 1);
});
