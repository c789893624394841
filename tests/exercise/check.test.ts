import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { CheckError, checkClose, checkEqual, checkShape, checkThrows, checkTrue } from "../../lib/exercise";

/** Runs `fn`, expecting a CheckError whose message matches `pattern`. */
function fails(fn: () => void, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof CheckError && error.name === "CheckError" && pattern.test(error.message));
}

test("checkClose passes within numpy.isclose's tolerance and names the first differing index", () => {
  checkClose(1 + 1e-7, 1, "x");
  checkClose([[1, 2], [3, 4]], [[1, 2], [3, 4.00001]], "m", { rtol: 1e-5 });
  fails(() => checkClose([[1, 2], [3, 5]], [[1, 2], [3, 4]], "m"), /^m at \[1, 0\]|^m at \[1, 1\]: expected 4, got 5/);
  fails(() => checkClose([1, 2, 3], [1, 2], "v"), /v: expected shape \[2\], got \[3\]/);
  fails(() => checkClose([[1], [2, 3]] as never, [[1], [2]], "r"), /ragged/);
  checkClose(NaN, NaN, "nan");
  fails(() => checkClose(0, NaN, "nan"), /expected NaN, got 0/);
});

test("checkClose reads tensors without disposing or leaking them", () => {
  const t = tf.tensor2d([[1, 2], [3, 4]]);
  const before = tf.memory().numTensors;
  checkClose(t, [[1, 2], [3, 4]], "t");
  fails(() => checkClose(t, [[1, 2], [3, 4.5]], "t"), /t at \[1, 1\]: expected 4.5, got 4/);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(t.isDisposed, false);
  t.dispose();
});

test("checkEqual names the path of the first difference", () => {
  checkEqual({ a: [1, "x"], b: { c: true } }, { a: [1, "x"], b: { c: true } }, "out");
  fails(() => checkEqual({ a: [1, "y"] }, { a: [1, "x"] }, "out"), /out\.a\[1\]: expected "x", got "y"/);
  fails(() => checkEqual([1, 2], [1, 2, 3], "ids"), /ids: expected length 3, got 2/);
  fails(() => checkEqual({ a: 1, z: 2 }, { a: 1, b: 2 }, "o"), /missing \[b\], unexpected \[z\]/);
  fails(() => checkEqual(undefined, 3, "f()"), /did the function return its result/);
});

test("checkShape, checkTrue and checkThrows", () => {
  const t = tf.zeros([2, 3]);
  checkShape(t, [2, -1], "t");
  fails(() => checkShape(t, [3, 2], "t"), /expected shape \[3, 2\], got \[2,3\]/);
  t.dispose();
  checkShape([[1, 2, 3]], [1, 3], "a");
  checkTrue(true, "never");
  fails(() => checkTrue(false, "lr must fall after warm-up"), /^lr must fall after warm-up$/);
  checkThrows(() => { throw new Error("bad rank 3"); }, /rank/, "f");
  fails(() => checkThrows(() => 1, /rank/, "f"), /returned normally/);
  fails(() => checkThrows(() => { throw new Error("other"); }, /rank/, "f"), /got "other"/);
});
