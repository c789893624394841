import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { backendReport, describeBackend, ensureBackend, initBackend } from "../../lib/core";

// Its own file: the choice of backend is per process, and this test needs a process where nobody chose yet.
test("ensureBackend chooses when nobody has (not tfjs's pure-JS fallback), says so, and keeps a choice made", async () => {
  assert.equal(backendReport(), undefined);
  const heard: string[] = [];
  const chosen = await ensureBackend((line) => heard.push(line));
  assert.notEqual(chosen.backend, "cpu");
  assert.equal(tf.getBackend(), chosen.backend);
  assert.deepEqual(heard, [describeBackend(chosen)]);

  const cpu = await initBackend({ backend: "cpu" });
  assert.equal(await ensureBackend((line) => heard.push(line)), cpu);
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(heard.length, 1);
});
