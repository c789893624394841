import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { IMPLICIT_CPU_WARNING, backendReport, implicitCpuWarned } from "../../lib/core";

// Its own file: the backend is chosen once per process, and this test needs a process where nobody chose.
test("a tensor made before initBackend() warns once, loudly, naming the fix — and tfjs's tfjs-node banner is gone", () => {
  delete process.env["COURSE_BACKEND"];
  assert.equal(backendReport(), undefined);
  const heard: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => heard.push(args.map(String).join(" "));
  try {
    const a = tf.tensor([1, 2, 3]);
    const b = tf.add(a, a);
    assert.deepEqual(Array.from(b.dataSync()), [2, 4, 6]);
    tf.dispose([a, b, tf.tensor([4])]);
  } finally {
    console.warn = original;
  }
  assert.equal(tf.getBackend(), "cpu");
  assert.ok(implicitCpuWarned());
  assert.deepEqual(heard, [IMPLICIT_CPU_WARNING], "exactly one warning, ours");
  assert.match(IMPLICIT_CPU_WARNING, /await initBackend\(\)/);
  assert.doesNotMatch(heard.join("\n"), /tfjs-node/, "no banner recommending tfjs-node");
});
