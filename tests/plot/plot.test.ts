import { test } from "node:test";
import assert from "node:assert/strict";
import {
  plotBundle, plotlyLoaderHtml, plotlyLoaderScript, PLOTLY_LOADER_MARK, tableHtml, tableText, formatCell, columnFormat, formatInterval,
  formatDuration, svgLineChart, bandTraces, ProgressBar, newTrainingCurve, confusionMatrixPlot, shortLabel, plotlyVersion,
} from "../../lib/plot";

test("a figure bundle carries plotly JSON, offline HTML and text", () => {
  const bundle = plotBundle([{ type: "scatter", x: [1, 2], y: [3, 4] }], { title: { text: "t</script>" } }, { includePlotly: false });
  const json = bundle["application/vnd.plotly.v1+json"] as { data: unknown[]; layout: { height: number } };
  assert.equal(json.data.length, 1);
  assert.equal(json.layout.height, 420);
  const html = bundle["text/html"] as string;
  assert.match(html, /Plotly\.newPlot/);
  assert.doesNotMatch(html, /t<\/script>/, "a title cannot close the script element");
  assert.doesNotMatch(html, /https?:\/\/cdn/i, "no CDN");
  assert.equal(bundle["text/plain"], '<Figure "t</script>": 1 trace>');
});

test("the first figure inlines plotly.js, minified, after its own div (so the loader draws it)", () => {
  const html = plotBundle([], {}, { includePlotly: true })["text/html"] as string;
  assert.ok(html.length > 3_000_000 && html.length < 6_000_000, `html of ${html.length} chars`);
  assert.ok(html.indexOf("llm-course-plot") < html.indexOf("function (define, module, exports)"));
  const without = plotBundle([], {}, { includePlotly: false })["text/html"] as string;
  assert.ok(without.length < 2_000, "later figures carry no library");
  assert.match(without, /__llmCoursePlotQueue/, "a figure without plotly.js waits for it");
  assert.match(without, /initPlots\(\)/, "and says how to get it if it never comes");
});

test("the plotly.js loader hides require.js's define, runs once per page, and drains the waiting figures", () => {
  // A page with require.js: `define` is a global AMD function. The loader must set `Plotly` anyway.
  const fakePlotly = `(function (root, factory) { if (typeof define === "function" && define.amd) define([], factory); else root.Plotly = factory(); })(self, function () { return { version: "__V__", newPlot: function () {} }; });`;
  const script = plotlyLoaderScript(fakePlotly.replace("__V__", plotlyVersion())).replace(/^<script[^>]*>|<\/script>$/g, "");
  const drawn: string[] = [];
  const amd: unknown[] = [];
  const define = Object.assign((...args: unknown[]) => amd.push(args), { amd: {} });
  const page: Record<string, unknown> = { __llmCoursePlotQueue: [() => drawn.push("waiting figure")] };
  page["self"] = page;
  new Function("window", "self", "define", script)(page, page, define);
  assert.equal(amd.length, 0, "plotly did not register as an AMD module");
  assert.equal((page["Plotly"] as { version: string }).version, plotlyVersion());
  assert.deepEqual(drawn, ["waiting figure"]);
  const counting = plotlyLoaderScript("window.evaluated = true;").replace(/^<script[^>]*>|<\/script>$/g, "");
  new Function("window", "self", "define", counting)(page, page, define);
  assert.equal(page["evaluated"], undefined, "a second copy of the same version is not evaluated again");
  assert.ok(plotlyLoaderHtml("/* js */").startsWith(PLOTLY_LOADER_MARK), "the report recognises the loader by its mark");
});

test("tables: records and frames render with escaping and a row limit", () => {
  const rows = [{ name: "<b>", score: 0.123456 }, { name: "x", score: 2, extra: null }];
  const html = tableHtml(rows, { caption: "c" });
  assert.match(html, /&lt;b&gt;/);
  assert.match(html, /<th style="text-align:left">extra<\/th>/);
  assert.match(html, /<td style="text-align:right[^"]*">0\.123<\/td>/, "a column in one format: 4 significant digits of its largest value");
  assert.match(html, /<td style="text-align:right[^"]*">2\.000<\/td>/);
  const frame = { columns: ["a"], values: [[1], [2], [3]] };
  assert.match(tableText(frame, { maxRows: 2 }), /1 more rows \(3 in all\)/);
  assert.equal(formatCell(null), "—");
  assert.equal(formatCell(1.5e9), "1.500e+9");
});

test("durations and progress text", () => {
  assert.equal(formatDuration(5), "5s");
  assert.equal(formatDuration(65), "1m05s");
  assert.equal(formatDuration(3720), "1h02m");
  let now = 0;
  const bar = new ProgressBar(10, { label: "train", now: () => now });
  now = 4000;
  bar.tick(4, "loss 1.0");
  assert.match(bar.text(), /train \[#{12} {18}\] 40% 4\/10 · 4s elapsed · ETA 6s · loss 1\.0/);
  bar.tick(1.8371562); // a budget in seconds ticks by fractions: shown whole
  assert.match(bar.text(), / 58% 5\/10 · /);
  assert.throws(() => new ProgressBar(0), /total must be > 0/);
});

test("training curve keeps series and renders an SVG", () => {
  const curve = newTrainingCurve({ title: "loss" });
  curve.update(1, { train: 2 });
  curve.update(2, { train: 1, validation: 1.5 });
  assert.deepEqual(curve.series().map((s) => [s.name, s.x, s.y]), [["train", [1, 2], [2, 1]], ["validation", [2], [1.5]]]);
  assert.equal(curve.summary(), "train 1 · validation 1.5 (step 2)");
  const svg = svgLineChart(curve.series(), { title: "loss" });
  assert.match(svg, /^<svg/);
  assert.equal((svg.match(/<path/g) ?? []).length, 2);
});

test("table columns: one format per column, numbers right-aligned, infinities in words", () => {
  assert.deepEqual([0.81234, 0.7, 1].map(columnFormat([0.81234, 0.7, 1])), ["0.812", "0.700", "1.000"], "4 significant digits of the largest");
  assert.deepEqual([12.345, 0.5].map(columnFormat([12.345, 0.5], 3)), ["12.3", "0.5"]);
  assert.deepEqual([0.43, 6.82e-5].map(columnFormat([0.43, 6.82e-5], 3)), ["4.30e-1", "6.82e-5"], "p-values that would round to 0: scientific");
  assert.deepEqual([3, 1200].map(columnFormat([3, 1200])), ["3", "1200"], "integers as they are");
  assert.equal(columnFormat([1.5, Infinity])(Infinity), "∞ (no bound)");
  assert.equal(formatCell(-Infinity), "−∞ (no bound)");
  assert.equal(formatInterval([4.1, 13.456]), "4.1 – 13.5");
  assert.equal(formatInterval([12.3, Infinity]), "12.3 – ∞ (no upper bound)");
  const text = tableText([{ name: "a", score: 0.5 }, { name: "bbbb", score: 12.25 }]).split("\n");
  assert.deepEqual(text, ["name  score", "a      0.50", "bbbb  12.25"], "numbers right-aligned in text too, decimals aligned");
});

test("confusion matrix figure: darkest at the largest count, counts in cells, long labels shortened with full hover", () => {
  const small = confusionMatrixPlot([[5, 1], [2, 9]], ["negative", "positive"], { title: "t" });
  const trace = small.data[0] as { zmin: number; colorscale: [number, string][]; texttemplate?: string; customdata: string[][][]; z: number[][] };
  assert.equal(trace.zmin, 0);
  assert.equal(trace.colorscale[0]![1], "#f7fbff", "white at 0");
  assert.equal(trace.colorscale[trace.colorscale.length - 1]![1], "#08306b", "darkest at the largest count");
  assert.equal(trace.texttemplate, "%{z}", "counts written in the cells");
  assert.deepEqual(trace.customdata[0]![1], ["negative", "positive"], "row = true class, column = predicted");
  const labels = Array.from({ length: 77 }, (_, k) => `a_rather_long_banking_intent_name_${k}`);
  const matrix = labels.map((_, i) => labels.map((__, j) => (i === j ? 10 : 0)));
  const big = confusionMatrixPlot(matrix, labels);
  assert.equal((big.data[0] as { texttemplate?: string }).texttemplate, undefined, "no counts in 77 × 77 cells");
  const ticks = (big.layout["yaxis"] as { ticktext: string[] }).ticktext;
  assert.ok(ticks.every((t) => t.length <= 24) && new Set(ticks).size <= 77);
  assert.equal(shortLabel("abcdef", 4), "abc…");
  assert.ok(big.height >= 77 * 14, `height ${big.height} leaves a row per class`);
  assert.throws(() => confusionMatrixPlot([[1]], ["a", "b"]), /2×2 for 2 labels/);
});

test("bandTraces: an invisible lower edge, the upper edge filled down to it, and the mean line in one colour", () => {
  const [lower, upper, mean] = bandTraces("entropy", [1, 2], [0.5, 0.6], [0.4, 0.5], [0.6, 0.7], { color: "#ff0000", opacity: 0.25 });
  assert.deepEqual(lower!.y, [0.4, 0.5]);
  assert.equal(upper!.fill, "tonexty");
  assert.equal(upper!.fillcolor, "rgba(255, 0, 0, 0.25)");
  assert.deepEqual(mean!.line, { color: "#ff0000" });
  assert.throws(() => bandTraces("x", [1], [1, 2], [1], [1]), /same length/);
  assert.throws(() => bandTraces("x", [1], [1], [1], [1], { color: "red" }), /#rrggbb/);
});
