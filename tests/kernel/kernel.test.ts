/**
 * The course kernel as learners meet it: values as `execute_result`, errors with cell positions, declarations
 * that survive a failing cell, interrupts that leave a working kernel. One real kernel for the file, started
 * in the repository's notebooks/ folder (where `@llm-course/lib` and tfjs resolve, as in a notebook).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { KernelClient } from "../../lib/notebook/kernel";
import { joinSource, type ErrorOutput, type Output } from "../../lib/notebook/ipynb";

const started = KernelClient.start({ cwd: join(__dirname, "..", "..", "notebooks") });
after(async () => (await started).shutdown());

const errorOf = (outputs: Output[]): ErrorOutput => {
  const error = outputs.find((o): o is ErrorOutput => o.output_type === "error");
  assert.ok(error, `no error output in ${JSON.stringify(outputs)}`);
  return error;
};
const valueOf = (outputs: Output[]): Record<string, unknown> => {
  const result = outputs.find((o) => o.output_type === "execute_result");
  assert.ok(result && result.output_type === "execute_result", `no execute_result in ${JSON.stringify(outputs)}`);
  return result.data as Record<string, unknown>;
};

test("kernel_info names TypeScript 5 with its CodeMirror mode and the checkout", async () => {
  const { info } = await started;
  const language = info["language_info"] as Record<string, unknown>;
  assert.equal(language["name"], "typescript");
  assert.match(String(language["version"]), /^5\./);
  assert.equal(language["file_extension"], ".ts");
  assert.deepEqual(language["codemirror_mode"], { name: "javascript", typescript: true, mode: "typescript" });
  assert.match(String(info["banner"]), /checkout: \//);
});

test("a value offering toMimeBundle() is shown through its bundle, with text/plain added", async () => {
  const kernel = await started;
  const run = await kernel.execute(`class Fig { toMimeBundle() { return { "application/vnd.plotly.v1+json": { data: [] }, "text/html": "<div>fig</div>" }; } }\nnew Fig()`);
  assert.deepEqual(valueOf(run.outputs), { "application/vnd.plotly.v1+json": { data: [] }, "text/html": "<div>fig</div>", "text/plain": "Fig {}" });
});

test("a type error is a TSError at the cell's line and column", async () => {
  const kernel = await started;
  const run = await kernel.execute("const n = 1;\n\nconst s: string = n;");
  assert.equal(run.status, "error");
  const error = errorOf(run.outputs);
  assert.equal(error.ename, "TSError");
  assert.match(error.evalue, /^Type 'number' is not assignable to type 'string'\. \(In\[\d+\]:3:7\)$/);
  assert.match(error.traceback[0] ?? "", /^In\[\d+\]:3:7 - error TS2322: /);
});

test("a runtime error's traceback shows the cells' frames at their TypeScript positions, not the kernel's", async () => {
  const kernel = await started;
  const defined = await kernel.execute("function check(n: number): number {\n  if (n > 1) throw new RangeError(`n=${n} is too big`);\n  return n;\n}");
  const run = await kernel.execute("const ok: number = check(0);\n  check(5);");
  const error = errorOf(run.outputs);
  assert.deepEqual([error.ename, error.evalue], ["RangeError", "n=5 is too big"]);
  const frames = error.traceback.filter((line) => /^\s+at /.test(line));
  // The error was made at line 2, column 20 (`new RangeError`) of `check`'s cell; the call is line 2, column 3 here.
  assert.deepEqual(frames, [`    at check (In[${defined.executionCount}]:2:20)`, `    at In[${run.executionCount}]:2:3`]);
  assert.doesNotMatch(error.traceback.join("\n"), /kernel\/dist|tslab\/dist|node:internal/);
});

test("an error after an await is placed too", async () => {
  const kernel = await started;
  const run = await kernel.execute("await new Promise((r) => setTimeout(r, 10));\nconst parsed = JSON.parse('null') as { size: number };\nparsed.size;");
  const error = errorOf(run.outputs);
  assert.equal(error.ename, "TypeError");
  assert.ok(error.traceback.some((line) => line === `    at In[${run.executionCount}]:3:8`), error.traceback.join("\n"));
});

test("what a cell declared before the throwing statement stays declared, imports above all", async () => {
  const kernel = await started;
  const failed = await kernel.execute(`import { loadTokenizer } from "@llm-course/lib";\nconst before = 41;\nloadTokenizer("wrong/path");\nconst after = 1;`);
  assert.equal(failed.status, "error");
  assert.match(errorOf(failed.outputs).evalue, /wrong\/path/);
  const kept = await kernel.execute("typeof loadTokenizer + ' ' + (before + 1)");
  assert.equal(kept.status, "ok");
  assert.deepEqual(valueOf(kept.outputs), { "text/plain": "'function 42'" });
  // `after` never got its value: it is not declared (a TSError, not a silent undefined).
  const missing = await kernel.execute("after");
  assert.match(errorOf(missing.outputs).evalue, /Cannot find name 'after'/);
});

test("interrupt_request stops `while (true) {}` within a second; the kernel lives and keeps declarations", async () => {
  const kernel = await started;
  await kernel.execute("const kept = 'still here';");
  const running = kernel.execute("let spins = 0;\nwhile (true) { spins++; }");
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  const reply = await kernel.request("control", "interrupt_request", {}, 5000);
  assert.equal(reply.content["status"], "ok");
  const run = await running;
  assert.ok(Date.now() - t0 < 1000, `stopped after ${Date.now() - t0} ms`);
  assert.equal(errorOf(run.outputs).ename, "KeyboardInterrupt");
  assert.equal(await kernel.ping(), true);
  assert.deepEqual(valueOf((await kernel.execute("kept")).outputs), { "text/plain": "'still here'" });
});

test("interrupt_request also stops a loop that runs after an await (the control thread terminates it)", async () => {
  const kernel = await started;
  const running = kernel.execute("await new Promise((r) => setTimeout(r, 10));\nlet turns = 0;\nwhile (true) { turns++; }");
  await new Promise((r) => setTimeout(r, 800));
  const t0 = Date.now();
  await kernel.request("control", "interrupt_request", {}, 5000);
  const run = await running;
  assert.ok(Date.now() - t0 < 1000, `stopped after ${Date.now() - t0} ms`);
  assert.equal(errorOf(run.outputs).ename, "KeyboardInterrupt");
  assert.deepEqual(valueOf((await kernel.execute("await Promise.resolve('next cell')")).outputs), { "text/plain": "'next cell'" });
});

test("SIGINT stops a cell waiting on a promise, and a long synchronous tfjs computation", async () => {
  const kernel = await started;
  const waiting = kernel.execute("await new Promise(() => {});");
  await new Promise((r) => setTimeout(r, 300));
  kernel.process.kill("SIGINT");
  assert.equal(errorOf((await waiting).outputs).ename, "KeyboardInterrupt");
  await kernel.execute(`import * as tf from "@tensorflow/tfjs";\nawait tf.setBackend("cpu");\nconst m = tf.randomNormal([200, 200]);`);
  const computing = kernel.execute("for (let i = 0; i < 1e6; i++) tf.tidy(() => m.matMul(m).dataSync());");
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = Date.now();
  kernel.process.kill("SIGINT");
  const run = await computing;
  assert.ok(Date.now() - t0 < 1000, `stopped after ${Date.now() - t0} ms`);
  assert.equal(errorOf(run.outputs).ename, "KeyboardInterrupt");
  // The tidy that was cut off leaks nothing it had not already released, and `m` is still there.
  assert.deepEqual(valueOf((await kernel.execute("m.shape")).outputs), { "text/plain": "[ 200, 200 ]" });
});

test("a cell that writes thousands of outputs without yielding loses none and leaves the kernel alive", async () => {
  // zeromq.js sends at most 512 messages per event-loop turn synchronously; the kernel used to die with SIGABRT
  // (EBUSY, "Socket is busy writing") at the 514th output of a cell that never yields, e.g. a training loop that
  // updates a live curve.
  const kernel = await started;
  const run = await kernel.execute(`for (let i = 0; i < 2000; i++) process.stdout.write(\`line \${i}\\n\`);\n"written"`, { timeoutMs: 60_000 });
  assert.equal(run.status, "ok");
  const text = run.outputs.map((o) => (o.output_type === "stream" ? joinSource(o.text) : "")).join("");
  const lines = text.split("\n").filter((line) => line !== "");
  assert.equal(lines.length, 2000);
  assert.deepEqual([lines[0], lines[1999]], ["line 0", "line 1999"]);
  assert.deepEqual(valueOf(run.outputs), { "text/plain": "'written'" });
  assert.ok(kernel.alive);
});

test("history_request answers tail, range and search", async () => {
  const kernel = await started;
  const first = await kernel.execute("const h1 = 'history-probe';");
  await kernel.execute("h1.length");
  const tail = await kernel.request("shell", "history_request", { hist_access_type: "tail", n: 2, output: true, raw: true }, 5000);
  assert.deepEqual(tail.content["history"], [[1, first.executionCount, ["const h1 = 'history-probe';", null]], [1, (first.executionCount ?? 0) + 1, ["h1.length", "13"]]]);
  const range = await kernel.request("shell", "history_request", { hist_access_type: "range", session: 1, start: first.executionCount, stop: (first.executionCount ?? 0) + 1, output: false, raw: true }, 5000);
  assert.deepEqual(range.content["history"], [[1, first.executionCount, "const h1 = 'history-probe';"]]);
  const search = await kernel.request("shell", "history_request", { hist_access_type: "search", pattern: "*history-probe*", output: false, raw: true }, 5000);
  assert.equal((search.content["history"] as unknown[]).length, 1);
});

test("is_complete: complete, incomplete with an indent, invalid", async () => {
  const kernel = await started;
  const ask = async (code: string): Promise<Record<string, unknown>> => (await kernel.request("shell", "is_complete_request", { code }, 5000)).content;
  assert.deepEqual(await ask("const x = 1;"), { status: "complete" });
  assert.deepEqual(await ask("function f() {"), { status: "incomplete", indent: "  " });
  assert.deepEqual(await ask("const = ;"), { status: "invalid" });
});

test("shutdown_request with restart answers restart: true and ends the process (the client starts a fresh one)", async () => {
  const kernel = await KernelClient.start({ cwd: join(__dirname, "..", "..", "notebooks") });
  const exited = new Promise<number | null>((resolve) => kernel.process.once("exit", (code) => resolve(code)));
  const reply = await kernel.request("control", "shutdown_request", { restart: true }, 10_000);
  assert.deepEqual(reply.content, { status: "ok", restart: true });
  assert.equal(await exited, 0);
  await kernel.shutdown({ graceMs: 0 });
});
