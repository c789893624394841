import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { newNotebook, readNotebook, writeNotebook, type CodeCell } from "../../lib/notebook/ipynb";
import { listNotebooks } from "../../lib/cli/notebooks";

const root = resolve(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "cli-notebooks-"));
const notebooks = join(dir, "notebooks");
mkdirSync(notebooks);
writeNotebook(join(notebooks, "00-fine.ipynb"), newNotebook([{ markdown: "# Fine" }, { code: "console.log(process.env.COURSE_MODE)" }]));
writeNotebook(join(notebooks, "01-broken.ipynb"), newNotebook([{ code: "const n = 1;" }, { markdown: "next" }, { code: "const ok = true;\nconst s: string = n;" }]));
writeNotebook(join(notebooks, "02-after.ipynb"), newNotebook([{ code: "'still runs'" }]));
writeFileSync(join(notebooks, "notes.ipynb"), "not a numbered notebook, ignored");

function course(...args: string[]) {
  return spawnSync(process.execPath, [join(root, "bin", "course.js"), "notebooks", "--no-build", "--dir", notebooks, ...args], { cwd: dir, encoding: "utf8" });
}

test("listNotebooks orders by NN prefix, filters with --only, and names what is missing", () => {
  assert.deepEqual(listNotebooks(notebooks).map((p) => p.slice(notebooks.length + 1)), ["00-fine.ipynb", "01-broken.ipynb", "02-after.ipynb"]);
  assert.deepEqual(listNotebooks(notebooks, ["2", "00"]).map((p) => p.slice(notebooks.length + 1)), ["00-fine.ipynb", "02-after.ipynb"]);
  assert.throws(() => listNotebooks(notebooks, ["07"]), /--only 07: no such notebook/);
});

test("runs every notebook, then exits 1 naming notebook, cell and line of each failure; writes outputs and report", () => {
  const out = join(dir, "out-all");
  const result = course("--out", out, "--full");
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /1 of 3 notebook\(s\) failed:\n {2}notebooks\/01-broken\.ipynb: cell 3 \(code cell 2\), line 2:7: Type 'number' is not assignable to type 'string'\./);
  assert.match(result.stdout, /\[3\/3\] 02-after\.ipynb: ok/, "the notebook after the failure still ran");
  assert.match(result.stdout, /kernel started in [\d.]+ s/);
  assert.match(result.stdout, /cell 2 \(code 1\/1\) ok [\d.]+ s/);
  const fine = readNotebook(join(out, "00-fine.ipynb")).cells[1] as CodeCell;
  assert.deepEqual(fine.outputs, [{ output_type: "stream", name: "stdout", text: "full\n" }]);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { notebooks: Array<{ status: string }> };
  assert.deepEqual(summary.notebooks.map((n) => n.status), ["ok", "failed", "ok"]);
  const report = readFileSync(join(out, "report.html"), "utf8");
  for (const name of ["00-fine.ipynb", "01-broken.ipynb", "02-after.ipynb"]) assert.ok(report.includes(name), name);
});

test("--only runs just the chosen notebooks and exits 0 when they pass; quick is the default mode", () => {
  const out = join(dir, "out-only");
  const result = course("--out", out, "--only", "00");
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.ok(!existsSync(join(out, "01-broken.ipynb")));
  const fine = readNotebook(join(out, "00-fine.ipynb")).cells[1] as CodeCell;
  assert.deepEqual(fine.outputs, [{ output_type: "stream", name: "stdout", text: "quick\n" }]);
});

test("--quick with --full is refused", () => {
  const result = course("--quick", "--full");
  assert.equal(result.status, 1);
  assert.match(result.stderr, /--quick and --full together/);
});
