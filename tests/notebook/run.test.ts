import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newNotebook, writeNotebook, type CodeCell } from "../../lib/notebook/ipynb";
import { runNotebook, type RunEvent } from "../../lib/notebook/run";
import { formatFailure } from "../../lib/notebook/failure";

const dir = mkdtempSync(join(tmpdir(), "run-test-"));

test("a notebook runs top to bottom from a fresh kernel, with per-cell times and progress events", async () => {
  const path = join(dir, "01-ok.ipynb");
  writeNotebook(path, newNotebook([{ markdown: "# ok" }, { code: "const a = 2;" }, { code: "" }, { code: "a * 21" }]));
  const events: RunEvent[] = [];
  const run = await runNotebook(path, { onEvent: (e) => events.push(e) });
  assert.equal(run.failure, undefined);
  const last = run.notebook.cells[3] as CodeCell;
  assert.deepEqual(last.outputs, [{ output_type: "execute_result", execution_count: 2, data: { "text/plain": "42" }, metadata: {} }]);
  assert.equal(last.execution_count, 2);
  assert.deepEqual(run.cells.map((c) => [c.cellIndex, c.codeCellIndex, c.status]), [[2, 1, "ok"], [3, 2, "skipped"], [4, 3, "ok"]]);
  assert.deepEqual(events.map((e) => e.kind), ["kernel", "cell-start", "cell-end", "cell-start", "cell-end"]);
  assert.ok(run.kernelStartMs > 0 && run.durationMs >= run.kernelStartMs);
});

test("a compile error names the notebook, the cell and the line, and later cells are left blank", async () => {
  const path = join(dir, "02-compile.ipynb");
  writeNotebook(path, newNotebook([{ markdown: "intro" }, { code: "const a = 1;" }, { code: "const b = 2;\n\nconst c: string = b;" }, { code: "console.log('never')" }]));
  const run = await runNotebook(path);
  assert.ok(run.failure);
  assert.equal(formatFailure(run.failure), `${path}: cell 3 (code cell 2), line 3:7: Type 'number' is not assignable to type 'string'.`);
  assert.deepEqual((run.notebook.cells[3] as CodeCell).outputs, []);
  assert.equal(run.cells[2]?.status, "skipped");
});

test("a runtime error names the line inside the cell, and where it was thrown when that is elsewhere", async () => {
  const path = join(dir, "03-runtime.ipynb");
  writeNotebook(path, newNotebook([{ code: "function check(n: number): number {\n  if (n > 1) throw new RangeError(`n=${n} is too big`);\n  return n;\n}" }, { code: "check(0);\ncheck(5);" }]));
  const run = await runNotebook(path);
  assert.ok(run.failure);
  assert.equal(run.failure.cellIndex, 2);
  assert.equal(run.failure.message, "RangeError: n=5 is too big");
  // Cell 2's own line (the call), and the throw in cell 1 (execution count 1).
  assert.equal(run.failure.line, 2);
  assert.equal(run.failure.column, 1);
  assert.equal(run.failure.thrownAt, "In[1]:2");
  const path2 = join(dir, "04-runtime.ipynb");
  writeNotebook(path2, newNotebook([{ code: "const xs: number[] = [];\nconst first: number = xs[0]!;\nif (first === undefined) throw new Error('empty list');" }]));
  const run2 = await runNotebook(path2);
  assert.equal(run2.failure?.line, 3);
  assert.equal(run2.failure?.message, "Error: empty list");
});

test("a cell past the timeout fails the notebook with a timeout message", async () => {
  const path = join(dir, "05-slow.ipynb");
  writeNotebook(path, newNotebook([{ code: "while (true) {}" }, { code: "1" }]));
  const run = await runNotebook(path, { cellTimeoutMs: 500 });
  assert.equal(run.cells[0]?.status, "timeout");
  assert.match(run.failure?.message ?? "", /ran past 0.5 s/);
});
