import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, KernelTimeoutError } from "../../lib/notebook/kernel";
import { OutputCollector } from "../../lib/notebook/outputs";
import type { Output } from "../../lib/notebook/ipynb";

// One real tslab kernel for this file (start-up ~2 s), in a temp folder so cwd is checkable.
const dir = realpathSync(mkdtempSync(join(tmpdir(), "kernel-test-")));
const started = KernelClient.start({ cwd: dir, env: { COURSE_MODE: "full" } });
after(async () => (await started).shutdown());

const text = (outputs: Output[]): string => outputs.map((o) => (o.output_type === "stream" ? `${o.name}:${o.text as string}` : "")).join("");

test("the kernel_info handshake reports tslab speaking protocol 5.3", async () => {
  const kernel = await started;
  assert.equal(kernel.info["implementation"], "tslab");
  assert.equal(kernel.info["protocol_version"], "5.3");
  assert.ok(kernel.startupMs > 0);
  assert.equal(await kernel.ping(), true);
});

test("execute collects values as stdout and keeps stdout/stderr order", async () => {
  const kernel = await started;
  const result = await kernel.execute("console.log('a'); console.error('b');\nconst x: number = 40;\nx + 2");
  assert.equal(result.status, "ok");
  assert.equal(text(result.outputs), "stdout:a\nstderr:b\nstdout:42\n");
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

test("a failing cell replies error; a request right after it is aborted (tslab), one 250 ms later runs", async () => {
  const kernel = await started;
  const failed = await kernel.execute("throw new Error('boom')");
  assert.equal(failed.status, "error");
  assert.match(text(failed.outputs), /Error: boom/);
  assert.equal((await kernel.execute("1")).status, "aborted");
  await new Promise((r) => setTimeout(r, 250));
  assert.equal((await kernel.execute("1")).status, "ok");
});

test("a cell past its timeout is interrupted and the kernel stays usable", async () => {
  const kernel = await started;
  const t0 = Date.now();
  await assert.rejects(kernel.execute("while (true) {}", { timeoutMs: 500 }), KernelTimeoutError);
  assert.ok(Date.now() - t0 < 4000);
  await new Promise((r) => setTimeout(r, 250));
  const result = await kernel.execute("'alive'");
  assert.equal(result.status, "ok");
  assert.equal(text(result.outputs), "stdout:alive\n");
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
