import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, KernelTimeoutError, tslabArgv } from "../../lib/notebook/kernel";
import { OutputCollector } from "../../lib/notebook/outputs";
import type { Output } from "../../lib/notebook/ipynb";

// One real course kernel for this file (start-up ~2 s), in a temp folder so cwd is checkable.
const dir = realpathSync(mkdtempSync(join(tmpdir(), "kernel-test-")));
const started = KernelClient.start({ cwd: dir, env: { COURSE_MODE: "full" } });
after(async () => (await started).shutdown());

const text = (outputs: Output[]): string => outputs.map((o) => (o.output_type === "stream" ? `${o.name}:${o.text as string}` : "")).join("");
const result = (outputs: Output[]): unknown => outputs.find((o) => o.output_type === "execute_result");

test("the kernel_info handshake reports the course kernel speaking protocol 5.3", async () => {
  const kernel = await started;
  assert.equal(kernel.info["implementation"], "course-ts");
  assert.equal(kernel.info["protocol_version"], "5.3");
  assert.ok(kernel.startupMs > 0);
  assert.equal(await kernel.ping(), true);
});

test("execute keeps stdout/stderr order and returns the last value as an execute_result", async () => {
  const kernel = await started;
  const run = await kernel.execute("console.log('a'); console.error('b');\nconst x: number = 40;\nx + 2");
  assert.equal(run.status, "ok");
  assert.equal(text(run.outputs), "stdout:a\nstderr:b\n");
  assert.deepEqual(result(run.outputs), { output_type: "execute_result", execution_count: run.executionCount, data: { "text/plain": "42" }, metadata: {} });
});

test("the kernel runs in the given folder and sees the given environment", async () => {
  const kernel = await started;
  const result = await kernel.execute("console.log(process.cwd()); console.log(process.env.COURSE_MODE)");
  assert.equal(text(result.outputs), `stdout:${dir}\nfull\n`);
});

test("a display shown in one cell is updated in place by a later cell", async () => {
  const kernel = await started;
  const collector = new OutputCollector();
  const first = await kernel.execute("import * as tslab from 'tslab';\nconst d = tslab.newDisplay();\nd.html('<b>step 1</b>');", { collector });
  const second = await kernel.execute("d.html('<b>step 2</b>');", { collector });
  assert.equal(second.status, "ok");
  assert.deepEqual(second.outputs, []);
  assert.deepEqual(first.outputs, [{ output_type: "display_data", data: { "text/html": "<b>step 2</b>" }, metadata: {} }]);
});

test("a failing cell sends an error output; a request right after it runs (no abort window)", async () => {
  const kernel = await started;
  const failed = await kernel.execute("throw new Error('boom')");
  assert.equal(failed.status, "error");
  assert.deepEqual(failed.outputs.map((o) => (o.output_type === "error" ? [o.ename, o.evalue] : o.output_type)), [["Error", "boom"]]);
  assert.equal((await kernel.execute("1")).status, "ok");
});

test("tslab stays usable through the same client (argv: tslabArgv())", async () => {
  const tslab = await KernelClient.start({ cwd: dir, argv: tslabArgv(), kernelName: "tslab" });
  try {
    assert.equal(tslab.info["implementation"], "tslab");
    const run = await tslab.execute("const y: number = 6;\ny * 7");
    assert.equal(text(run.outputs), "stdout:42\n");
  } finally {
    await tslab.shutdown();
  }
});

test("a cell past its timeout is interrupted and the kernel stays usable", async () => {
  const kernel = await started;
  const t0 = Date.now();
  await assert.rejects(kernel.execute("while (true) {}", { timeoutMs: 500 }), KernelTimeoutError);
  assert.ok(Date.now() - t0 < 4000);
  await new Promise((r) => setTimeout(r, 250));
  const run = await kernel.execute("'alive'");
  assert.equal(run.status, "ok");
  assert.deepEqual((result(run.outputs) as { data: unknown }).data, { "text/plain": "'alive'" });
});

test("shutdown ends the kernel process", async () => {
  const kernel = await KernelClient.start({ cwd: dir });
  assert.equal(kernel.alive, true);
  await kernel.shutdown();
  assert.equal(kernel.alive, false);
});

test("a kernel command that dies at start-up is reported with its log", async () => {
  await assert.rejects(
    KernelClient.start({ argv: [process.execPath, "-e", "console.error('no kernel here'); process.exit(3)"], startTimeoutMs: 5000 }),
    /kernel exited \(code 3\)[\s\S]*no kernel here/,
  );
});

test("a kernel_info_request the kernel never answers is asked again (tslab's bind race at start-up)", async () => {
  const lossy = join(__dirname, "..", "fixtures", "notebook", "lossy-kernel.cjs");
  const kernel = await KernelClient.start({ argv: [process.execPath, lossy, "{connection_file}"], startTimeoutMs: 20_000 });
  try {
    assert.equal(kernel.info["implementation"], "lossy");
    assert.ok(kernel.startupMs >= 2000, `answered after ${kernel.startupMs} ms: the first request cannot have been the one answered`);
  } finally {
    await kernel.shutdown({ graceMs: 0 });
  }
});
