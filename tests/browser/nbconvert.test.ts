/**
 * A notebook executed by Jupyter's own client (nbconvert --execute, kernel course-ts), then converted to HTML with
 * nbconvert's default (lab) and classic templates — pages that load require.js, on which plotly.js-dist used to
 * register as an AMD module and draw nothing — draws every figure in Chromium with no console error.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeNotebook } from "../../lib/notebook/ipynb";
import { PYTHON, TEST_FIGURES, assertDrawn, checkPage, jupyterSandbox, launchChromium, missingTools, run, testNotebook } from "./helpers";

const { dir, env, cleanup } = jupyterSandbox("browser-nbconvert");
after(cleanup);

test("figures draw in nbconvert HTML (lab and classic templates) of a Jupyter-executed notebook", { timeout: 10 * 60_000 }, async (t) => {
  const missing = missingTools();
  if (missing) assert.fail(missing);
  writeNotebook(join(dir, "plots.ipynb"), testNotebook());
  const executed = await run(PYTHON, ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=course-ts",
    "--ExecutePreprocessor.timeout=300", "--output", "executed.ipynb", "plots.ipynb"], { cwd: dir, env });
  assert.equal(executed.status, 0, `nbconvert --execute failed:\n${executed.output}`);
  const browser = await launchChromium();
  try {
    for (const template of ["lab", "classic"]) {
      await t.test(`template ${template}`, async () => {
        const html = await run(PYTHON, ["-m", "nbconvert", "--to", "html", "--template", template, "--output", `executed-${template}.html`, "executed.ipynb"], { cwd: dir, env });
        assert.equal(html.status, 0, `nbconvert --to html --template ${template} failed:\n${html.output}`);
        const page = join(dir, `executed-${template}.html`);
        const screenshot = process.env["BROWSER_SCREENSHOTS"] ? join(process.env["BROWSER_SCREENSHOTS"], `nbconvert-${template}.png`) : undefined;
        const check = await checkPage(browser, pathToFileURL(page).href, TEST_FIGURES, { maths: true, screenshot });
        assertDrawn(check, TEST_FIGURES, `nbconvert --template ${template}`);
        assert.ok(check.katex > 0, "MathJax typeset no maths");
      });
    }
  } finally {
    await browser.close();
  }
});
