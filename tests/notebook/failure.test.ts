import { test } from "node:test";
import assert from "node:assert/strict";
import { findQuotedLine, formatFailure, locateError, locateErrorOutput } from "../../lib/notebook/failure";

// Texts as tslab 1.0.22 writes them to stderr (captured from real runs).
const runtime = [
  "evalmachine.<anonymous>:4",
  "    throw new Error('boom');",
  "    ^",
  "",
  "Error: boom",
  "    at f (evalmachine.<anonymous>:4:11)",
  "    at evalmachine.<anonymous>:7:22",
  "    at sigintHandlersWrap (node:vm:280:12)",
  "",
].join("\n");
const cell = "function f() {\n  throw new Error('boom');\n}\nf();";

test("a compile error gives the cell's own line and column", () => {
  assert.deepEqual(locateError("3:7 - Type 'number' is not assignable to type 'string'.\n", "x"), {
    line: 3, column: 7, message: "Type 'number' is not assignable to type 'string'.",
  });
});

test("a runtime error is placed by the quoted source line, not tslab's compiled line number", () => {
  assert.deepEqual(locateError(runtime, cell), { line: 2, message: "Error: boom" });
});

test("a library frame is named when the error is thrown outside the cell", () => {
  const text = "/repo/lib/dist/train/loop.js:40\n        throw new Error(`bad lr`);\n        ^\n\nError: bad lr\n    at train (/repo/lib/dist/train/loop.js:40:15)\n";
  assert.deepEqual(locateError(text, "train(model)"), { message: "Error: bad lr", thrownAt: "/repo/lib/dist/train/loop.js:40" });
});

test("an async error without a quoted line still yields its message", () => {
  assert.deepEqual(locateError("Error: later\n    at evalmachine.<anonymous>:3:9\n", "await f()"), { message: "Error: later" });
});

test("the quoted JS line is found in TypeScript whose annotations it lost", () => {
  const source = "const x = 1;\nconst y: number = compute(x, 'mode');\ny";
  assert.equal(findQuotedLine("const y = compute(x, 'mode');", source), 2);
  assert.equal(findQuotedLine("totally.unrelated()", source), undefined);
});

test("formatFailure names notebook, cell and line", () => {
  const line = formatFailure({ notebook: "notebooks/01-x.ipynb", cellIndex: 5, codeCellIndex: 3, line: 2, column: 4, message: "boom", detail: "" });
  assert.equal(line, "notebooks/01-x.ipynb: cell 5 (code cell 3), line 2:4: boom");
});

// `error` content as the course kernel sends it (kernel/src/traceback.ts): frames already mapped to cells.
test("the course kernel's TSError gives the diagnostic's line and column", () => {
  const error = { ename: "TSError", evalue: "Type 'number' is not assignable to type 'string'. (In[3]:2:7)", traceback: ["In[3]:2:7 - error TS2322: Type 'number' is not assignable to type 'string'.", "  const s: string = 1;"] };
  assert.deepEqual(locateErrorOutput(error, "In[3]"), { line: 2, column: 7, message: "Type 'number' is not assignable to type 'string'." });
});

test("a runtime error names the cell's frame and where it was thrown when elsewhere", () => {
  const error = { ename: "RangeError", evalue: "bad shape", traceback: ["RangeError: bad shape", "    at check (/repo/lib/core/shape.ts:12:9)", "    at In[5]:4:3"] };
  assert.deepEqual(locateErrorOutput(error, "In[5]"), { line: 4, column: 3, message: "RangeError: bad shape", thrownAt: "/repo/lib/core/shape.ts:12" });
  // Thrown in an earlier cell's function: no line in this cell, the earlier cell named.
  const earlier = { ename: "Error", evalue: "boom", traceback: ["Error: boom", "    at f (In[2]:1:20)"] };
  assert.deepEqual(locateErrorOutput(earlier, "In[6]"), { message: "Error: boom", thrownAt: "In[2]:1" });
});
