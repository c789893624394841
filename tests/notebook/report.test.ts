import { test } from "node:test";
import assert from "node:assert/strict";
import { newNotebook, type CodeCell } from "../../lib/notebook/ipynb";
import { PLOTLY_MIME, renderReport } from "../../lib/notebook/report";
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
  assert.ok(html.length > 1_000_000, "plotly.js is about 10 MB (3.5 MB minified)");
  assert.ok(!/<script[^>]+src=|<link[^>]+href=/.test(html));
});
