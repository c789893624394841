/**
 * The course report (`course notebooks` → out/report.html) draws every figure with its one inlined plotly.js,
 * leaves out the notebooks' own plotly.js copies, typesets the markdown's maths with KaTeX, and logs no error.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeNotebook } from "../../lib/notebook/ipynb";
import { TEST_FIGURES, assertDrawn, checkPage, jupyterSandbox, launchChromium, missingTools, root, run, testNotebook } from "./helpers";

const { dir, env, cleanup } = jupyterSandbox("browser-report");
after(cleanup);

test("the report draws every figure and typesets maths, offline, with no console error", { timeout: 10 * 60_000 }, async () => {
  const missing = missingTools();
  if (missing) assert.fail(missing);
  const notebooks = join(dir, "notebooks");
  const out = join(dir, "out");
  writeNotebook(join(notebooks, "00-plots.ipynb"), testNotebook());
  const result = await run(process.execPath, [join(root, "bin", "course.js"), "notebooks", "--no-build", "--dir", notebooks, "--out", out], { cwd: root, env });
  assert.equal(result.status, 0, `course notebooks failed:\n${result.output}`);
  const report = join(out, "report.html");
  const html = readFileSync(report, "utf8");
  assert.doesNotMatch(html, /llm-course: plotly\.js loader/, "the notebook's own plotly.js copy is left out");
  assert.doesNotMatch(html, /\$\(12 \\cdot/, "no raw TeX left in the page");
  const browser = await launchChromium();
  try {
    const screenshot = process.env["BROWSER_SCREENSHOTS"] ? join(process.env["BROWSER_SCREENSHOTS"], "report.png") : undefined;
    const check = await checkPage(browser, pathToFileURL(report).href, TEST_FIGURES, { selector: ".plot", maths: true, screenshot });
    assertDrawn(check, TEST_FIGURES, "report.html");
    assert.equal(check.katex, 2, "both formulas typeset by KaTeX");
  } finally {
    await browser.close();
  }
  assert.ok(statSync(report).size < 6_500_000, `report of ${statSync(report).size} bytes: one plotly.js (~4.8 MB) and KaTeX fonts`);
});
