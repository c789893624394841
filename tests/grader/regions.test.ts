import { test } from "node:test";
import assert from "node:assert/strict";
import { allTests, publicTests, referenceSolution, regionErrors, stubSolution } from "../../lib/grader/regions";

const SOLUTION = "function f(x: number): number {\n  // BEGIN SOLUTION\n  const y = x * 2;\n  return y;\n  // END SOLUTION\n}";

test("a code solution region becomes the stub, indented like its marker; the signature stays", () => {
  assert.equal(stubSolution(SOLUTION, "code"), 'function f(x: number): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented");\n}');
  assert.equal(referenceSolution(SOLUTION, "code"), "function f(x: number): number {\n  const y = x * 2;\n  return y;\n}");
});

test("a markdown answer becomes YOUR ANSWER HERE", () => {
  assert.equal(stubSolution("Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->", "markdown"), "Why?\nYOUR ANSWER HERE");
});

test("hidden tests are removed from the public test cell and kept, unmarked, for grading", () => {
  const cell = "checkTrue(f(1) === 2, \"f(1)\");\n// BEGIN HIDDEN TESTS\ncheckTrue(f(3) === 6, \"f(3)\");\n// END HIDDEN TESTS\ncheckTrue(true, \"after\");";
  assert.equal(publicTests(cell), "checkTrue(f(1) === 2, \"f(1)\");\ncheckTrue(true, \"after\");");
  assert.equal(allTests(cell), "checkTrue(f(1) === 2, \"f(1)\");\ncheckTrue(f(3) === 6, \"f(3)\");\ncheckTrue(true, \"after\");");
});

test("unbalanced, nested and misplaced markers are reported with their line", () => {
  assert.deepEqual(regionErrors("// BEGIN SOLUTION\nx", "code", "solution"), ["line 1: // BEGIN SOLUTION is never closed (add // END SOLUTION)"]);
  assert.deepEqual(regionErrors("x\n// END SOLUTION", "code", "solution"), ["line 2: // END SOLUTION without a // BEGIN SOLUTION above it", "solution cell without a // BEGIN SOLUTION … region (the release would give the answer away)"]);
  assert.deepEqual(regionErrors("// BEGIN HIDDEN TESTS\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS", "code", "test"), ["line 2: // BEGIN HIDDEN TESTS inside the region opened on line 1 (regions do not nest)"]);
  assert.deepEqual(regionErrors(SOLUTION, "code", "plain"), ["// BEGIN SOLUTION in a cell that is not a solution cell (set nbgrader.solution: true)"]);
  assert.deepEqual(regionErrors("// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS", "code", "solution").slice(0, 1), ["// BEGIN HIDDEN TESTS in a cell that is not a graded test cell"]);
  assert.deepEqual(regionErrors(SOLUTION, "code", "solution"), []);
});
