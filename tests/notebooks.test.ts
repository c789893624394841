/**
 * Every notebook in notebooks/ runs from a fresh kernel (a) through our runner (`course notebooks`, which also
 * builds lib/) and (b) through Debian's real Jupyter client (nbconvert/nbclient, kernel `course-ts`, the kernel
 * the notebooks' metadata names), with no error. The kernel for (b) is installed into a temp prefix found through
 * JUPYTER_PATH, so the test neither needs nor touches the user's kernel registry, and the kernel it runs is this
 * checkout's course kernel.
 *
 * Time: the quick course checkpoint (notebooks 03–06 share it) is built once, first; then (a) and (b) run at
 * the same time — each notebook computes on one thread, so the two passes share the two cores. Then (c) opens
 * (b)'s notebooks, converted to HTML with nbconvert's two templates, and (a)'s report in Chromium: every figure draws.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { joinSource, newNotebook, readNotebook, writeNotebook } from "../lib/notebook/ipynb";
import { initBackend } from "../lib/core";
import { courseCheckpoint } from "../lib/pretrain";
import { PLOTLY_MIME, assertDrawn, checkPage, countFigures, collectErrors, launchChromium, missingTools, notebookPageErrors, run, startNotebookServer } from "./browser/helpers";

const root = resolve(__dirname, "..");
const notebooksDir = join(root, "notebooks");
const names = readdirSync(notebooksDir).filter((name) => /^\d+-.+\.ipynb$/.test(name)).sort();
const tmp = mkdtempSync(join(tmpdir(), "notebooks-test-"));
const PYTHON = "/usr/bin/python3";

test("notebooks/ holds at least one NN-name.ipynb notebook", () => {
  assert.ok(names.length > 0, `no notebook in ${notebooksDir}`);
});

test("every notebook names the course kernel in its metadata (what Jupyter starts when it is opened)", () => {
  for (const name of names) {
    const kernelspec = readNotebook(join(notebooksDir, name)).metadata["kernelspec"] as Record<string, unknown> | undefined;
    assert.deepEqual(kernelspec, { display_name: "TypeScript (course)", language: "typescript", name: "course-ts" }, name);
  }
});

/** The runner's pass, started in `before` and awaited by test (a), so it runs while (b) runs. */
let runnerPass: Promise<{ status: number | null; stdout: string; stderr: string }>;
const out = join(tmp, "out");

before(async () => {
  // Build lib/ once now: the two passes below must not rebuild it while the other's kernels load it.
  const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  await initBackend({ backend: "wasm" });
  await courseCheckpoint({ mode: "quick", log: () => {} });
  runnerPass = new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "bin", "course.js"), "notebooks", "--quick", "--no-build", "--out", out], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}, { timeout: 20 * 60_000 });

const env = { ...process.env, JUPYTER_PATH: join(tmp, "share", "jupyter"), JUPYTER_RUNTIME_DIR: join(tmp, "runtime"), COURSE_MODE: "quick" };

test("(b) every notebook runs through real Jupyter (nbconvert --execute, kernel course-ts) without error output", { timeout: 30 * 60_000 }, async (t) => {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ["-c", "import nbconvert, nbclient"]).status !== 0) {
    assert.fail(`${PYTHON} has no nbconvert/nbclient: apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel`);
  }
  const install = spawnSync(process.execPath, [join(root, "scripts", "install-kernel.mjs"), `--prefix=${tmp}`], { cwd: root, encoding: "utf8" });
  assert.equal(install.status, 0, `kernel install failed:\n${install.stdout}\n${install.stderr}`);
  const where = spawnSync(PYTHON, ["-c", "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec('course-ts').resource_dir)"], { env, encoding: "utf8" });
  assert.equal(where.stdout.trim(), join(tmp, "share", "jupyter", "kernels", "course-ts"), where.stderr);
  for (const name of names) {
    await t.test(name, async () => {
      const outDir = join(tmp, "nbconvert");
      const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(PYTHON, [
          "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=course-ts",
          "--ExecutePreprocessor.timeout=1200", "--output-dir", outDir, "--output", name, name,
        ], { cwd: notebooksDir, env });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (status) => resolve({ status, stderr }));
      });
      assert.equal(result.status, 0, `nbconvert failed on ${name}:\n${result.stderr.split("\n").slice(-30).join("\n")}`);
      const executed = readNotebook(join(outDir, name));
      executed.cells.forEach((cell, i) => {
        if (cell.cell_type !== "code") return;
        // The kernel sends `execute_input`, so nbclient numbers every cell that ran (tslab left them null).
        assert.ok(typeof cell.execution_count === "number" || joinSource(cell.source).trim() === "", `${name}: cell ${i + 1} did not run`);
        for (const output of cell.outputs) {
          const text = output.output_type === "stream" ? joinSource(output.text) : output.output_type === "error" ? output.evalue : "";
          assert.ok(output.output_type !== "error" && !(output.output_type === "stream" && output.name === "stderr"), `${name}: cell ${i + 1} wrote error output:\n${text}`);
        }
      });
    });
  }
});

test("(a) every notebook runs through `course notebooks` in quick mode, and report.html covers each", { timeout: 30 * 60_000 }, async () => {
  const result = await runnerPass;
  assert.equal(result.status, 0, `course notebooks failed:\n${result.stdout}\n${result.stderr}`);
  const report = readFileSync(join(out, "report.html"), "utf8");
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { mode: string; notebooks: Array<{ notebook: string; status: string }> };
  assert.equal(summary.mode, "quick");
  assert.deepEqual(summary.notebooks.map((n) => n.status), names.map(() => "ok"));
  for (const name of names) {
    assert.ok(report.includes(`>${name}</a>`), `report.html has no entry for ${name}`);
    assert.ok(existsSync(join(out, name)), `no executed copy of ${name}`);
  }
});

test("(c) every notebook's figures draw in Chromium: nbconvert HTML (lab and classic templates), the report, and the saved notebook reopened in a live classic Notebook", { timeout: 20 * 60_000 }, async (t) => {
  const missing = missingTools();
  if (missing) assert.fail(missing);
  const figuresIn = (path: string) =>
    readNotebook(path).cells.reduce((n, cell) => n + (cell.cell_type === "code" ? cell.outputs.filter((o) => "data" in o && PLOTLY_MIME in o.data).length : 0), 0);
  const browser = await launchChromium();
  try {
    const outDir = join(tmp, "nbconvert");
    for (const name of names) {
      const expected = figuresIn(join(outDir, name));
      for (const template of ["lab", "classic"]) {
        await t.test(`${name}, nbconvert --template ${template}: ${expected} figures`, async () => {
          const html = `${name.replace(/\.ipynb$/, "")}-${template}.html`;
          const converted = await run(PYTHON, ["-m", "nbconvert", "--to", "html", "--template", template, "--output", html, name], { cwd: outDir, env });
          assert.equal(converted.status, 0, converted.output);
          assertDrawn(await checkPage(browser, pathToFileURL(join(outDir, html)).href, expected), expected, `${name} (${template})`);
        });
      }
    }
    const expected = names.reduce((n, name) => n + figuresIn(join(out, name)), 0);
    await t.test(`report.html: ${expected} figures`, async () => {
      assertDrawn(await checkPage(browser, pathToFileURL(join(out, "report.html")).href, expected, { selector: ".plot" }), expected, "report.html");
    });
    // The executed notebooks as saved files, opened in a live classic Notebook (require.js on the page) with no
    // cell run. Jupyter runs their scripts only once trusted: `jupyter trust` them first, as the README says.
    const liveEnv = { ...env, JUPYTER_DATA_DIR: join(tmp, "data"), JUPYTER_CONFIG_DIR: join(tmp, "config") };
    const trust = await run(PYTHON, ["-m", "nbformat.sign", ...names], { cwd: outDir, env: liveEnv });
    assert.equal(trust.status, 0, trust.output);
    writeNotebook(join(outDir, "empty.ipynb"), newNotebook([{ code: "" }])); // the Notebook page's own errors
    const server = await startNotebookServer(outDir, liveEnv);
    try {
      const baseline = await notebookPageErrors(browser, server.url("empty.ipynb"));
      await server.shutdownKernels();
      for (const name of names) {
        const expectedHere = figuresIn(join(outDir, name));
        await t.test(`${name}, reopened in a live classic Notebook: ${expectedHere} figures`, async () => {
          const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
          const errors = collectErrors(page);
          await page.goto(server.url(name), { waitUntil: "load" });
          const seen = await countFigures(page, ".llm-course-plot", expectedHere);
          await page.close();
          await server.shutdownKernels();
          assert.deepEqual(errors.filter((e) => !baseline.includes(e)), [], `${name}: console errors beyond the Notebook's own`);
          assert.deepEqual(seen, { figures: expectedHere, drawn: expectedHere }, name);
        });
      }
    } finally {
      server.stop();
    }
  } finally {
    await browser.close();
  }
});
