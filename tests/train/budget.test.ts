// A wall-clock budget instead of a step count (Cramming): the schedule follows the fraction of the budget spent,
// training stops when it is spent, and a stopped run resumes at the same point of the same schedule.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { budgetWarmupDecay, train, type TrainingTask } from "../../lib/train";

before(async () => {
  await initBackend({ backend: "wasm" });
});

/** w → 3 by least squares; every batch "takes" one second of the fake clock. */
function timedTask(clock: { now: number }): TrainingTask<number> & { dispose(): void } {
  const w = tf.variable(tf.scalar(0));
  return {
    params: new Map([["w.weight", w]]),
    nextBatch: (rng) => {
      clock.now += 1;
      return rng.uniform();
    },
    loss: (x) => tf.square(tf.sub(tf.mul(w, x + 1), 3 * (x + 1))) as tf.Scalar,
    dispose: () => w.dispose(),
  };
}

test("budgetWarmupDecay warms up over its share of the budget, then decays linearly to 0 at the end", () => {
  assert.equal(budgetWarmupDecay(0, 1, 0.1), 0);
  assert.ok(Math.abs(budgetWarmupDecay(0.05, 1, 0.1) - 0.5) < 1e-12);
  assert.equal(budgetWarmupDecay(0.1, 1, 0.1), 1);
  assert.ok(Math.abs(budgetWarmupDecay(0.55, 2, 0.1) - 1) < 1e-12);
  assert.equal(budgetWarmupDecay(1, 1, 0.1), 0);
  assert.equal(budgetWarmupDecay(1.5, 1, 0.1), 0, "past the budget: 0, never negative");
  assert.equal(budgetWarmupDecay(0.5, 1, 0), 0.5, "no warm-up: straight decay");
});

test("training stops when the budget is spent; the learning rate follows the fraction spent, not a step count", () => {
  const clock = { now: 0 };
  const task = timedTask(clock);
  const result = train(task, { steps: Infinity, budgetSeconds: 10, warmupFraction: 0.2, lr: 0.1, clock: () => clock.now });
  assert.equal(result.history.length, 10, "ten one-second steps fit a ten-second budget");
  result.history.forEach((r, k) => assert.ok(Math.abs(r.lr - budgetWarmupDecay(k / 10, 0.1, 0.2)) < 1e-12, `step ${k + 1}: lr ${r.lr}`));
  assert.equal(result.elapsedSeconds, 10);
  // A step cap still applies when it comes first.
  const capped = train(timedTask({ now: 0 }), { steps: 3, budgetSeconds: 10, lr: 0.1, clock: () => clock.now });
  assert.equal(capped.history.length, 3);
  task.dispose();
});

test("a budgeted run stopped at step 5 and resumed continues the same schedule: same learning rates and losses", () => {
  const root = mkdtempSync(join(tmpdir(), "budget-"));
  const run = (outDir: string, clock: { now: number }, stopAt?: number) => {
    const task = timedTask(clock);
    try {
      return train(task, {
        steps: Infinity,
        budgetSeconds: 12,
        lr: 0.05,
        clock: () => clock.now,
        outDir,
        resume: true,
        checkpointEvery: 2,
        tensorboard: false,
        onStep: (r) => {
          if (r.step === stopAt) throw new Error("stopped");
        },
      });
    } finally {
      task.dispose();
    }
  };
  const full = run(join(root, "full"), { now: 0 });
  assert.equal(full.history.length, 12);
  assert.throws(() => run(join(root, "stopped"), { now: 0 }, 5), /stopped/);
  const state = JSON.parse(readFileSync(join(root, "stopped", "checkpoint", "state.json"), "utf8")) as { step: number; elapsedSeconds: number };
  assert.deepEqual([state.step, state.elapsedSeconds], [4, 4], "the time spent is in the checkpoint");
  const resumed = run(join(root, "stopped"), { now: 1000 }); // a new process: its clock starts elsewhere
  assert.equal(resumed.resumedFrom, 4);
  assert.equal(resumed.elapsedSeconds, 12);
  assert.deepEqual(resumed.history.map((r) => r.step), full.history.map((r) => r.step));
  for (const [i, r] of resumed.history.entries()) {
    assert.equal(r.lr, full.history[i]?.lr, `lr at step ${r.step}`);
    assert.equal(r.loss, full.history[i]?.loss, `loss at step ${r.step}`);
  }
});

test("a budget that is not positive, or an unbounded run without one, is refused", () => {
  const task = timedTask({ now: 0 });
  assert.throws(() => train(task, { steps: Infinity, lr: 0.1 }), /steps must be a positive integer \(Infinity only with budgetSeconds\)/);
  assert.throws(() => train(task, { steps: Infinity, budgetSeconds: 0, lr: 0.1 }), /budgetSeconds must be positive/);
  task.dispose();
});
