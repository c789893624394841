import { test } from "node:test";
import assert from "node:assert/strict";
import { plotBundle, tableHtml, tableText, formatCell, formatDuration, svgLineChart, ProgressBar, newTrainingCurve } from "../../lib/plot";

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

test("the first figure inlines plotly.js, minified", () => {
  const html = plotBundle([], {}, { includePlotly: true })["text/html"] as string;
  assert.ok(html.length > 3_000_000 && html.length < 6_000_000, `html of ${html.length} chars`);
});

test("tables: records and frames render with escaping and a row limit", () => {
  const rows = [{ name: "<b>", score: 0.123456 }, { name: "x", score: 2, extra: null }];
  const html = tableHtml(rows, { caption: "c" });
  assert.match(html, /&#60;b&#62;/);
  assert.match(html, /<th>extra<\/th>/);
  assert.match(html, /0\.1235/);
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
