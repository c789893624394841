import { test, before } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import type { Rng } from "../../lib/core/rng";
import { train, type TrainingTask } from "../../lib/train";
import { EventWriter, eventFiles, frameRecord, readEventFile, readScalars, scalarValue, truncateEvents, EVENT_FILE_VERSION } from "../../lib/track";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `track-${prefix}-`));

test("an event file is named events.out.tfevents.<seconds>.<host>.… and starts with the brain.Event:2 version", () => {
  const dir = tmp("name");
  const writer = new EventWriter(dir);
  writer.summary(3, [scalarValue("loss", 0.5)], 1234.5);
  writer.close();
  writer.close(); // a second close does nothing
  assert.match(basename(writer.path), /^events\.out\.tfevents\.\d{10}\.[^.]+\.\d+\.\d+$/);
  const { events, tornBytes } = readEventFile(writer.path);
  assert.equal(tornBytes, 0);
  assert.equal(events[0]?.file_version, EVENT_FILE_VERSION);
  assert.equal(events[0]?.source_metadata?.writer, "llm-course");
  assert.deepEqual(events[1], { wall_time: 1234.5, step: 3, summary: { value: [{ tag: "loss", simple_value: 0.5 }] } });
  assert.throws(() => writer.write({ wall_time: 0, step: 0 }), /the event writer is closed/);
});

test("readScalars follows TensorBoard's restart rule: SessionLog.START at step s drops earlier points at s and above", () => {
  const dir = tmp("restart");
  const first = new EventWriter(dir);
  for (let step = 1; step <= 6; step++) first.summary(step, [scalarValue("loss", step)]);
  first.close();
  const second = new EventWriter(dir);
  second.sessionStart(5);
  for (let step = 5; step <= 8; step++) second.summary(step, [scalarValue("loss", 10 * step)]);
  second.close();
  const loss = readScalars(dir).get("loss");
  assert.deepEqual(loss?.steps, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(loss?.values, [1, 2, 3, 4, 50, 60, 70, 80]);
});

test("truncateEvents cuts files back to a step and drops a torn tail", () => {
  const dir = tmp("truncate");
  const writer = new EventWriter(dir);
  for (let step = 1; step <= 6; step++) writer.summary(step, [scalarValue("loss", step)]);
  writer.close();
  appendFileSync(writer.path, frameRecord(new Uint8Array(40)).subarray(0, 13)); // the start of a record, as a killed writer leaves it
  assert.equal(readEventFile(writer.path).tornBytes, 13);
  assert.equal(truncateEvents(dir, 4), 2);
  const { events, tornBytes } = readEventFile(writer.path);
  assert.equal(tornBytes, 0);
  assert.deepEqual(events.map((e) => e.step), [0, 1, 2, 3, 4]);
});

/** Least squares y = 3x − 1 (two parameters): a run in milliseconds. */
function regression(): TrainingTask<number[]> & { dispose(): void } {
  const xs = [-2, -1, 0, 1, 2, 3];
  const w = tf.variable(tf.scalar(0));
  const b = tf.variable(tf.tensor1d([0, 0]));
  return {
    params: new Map<string, tf.Variable>([["w.weight", w], ["b.bias", b]]),
    nextBatch: (_rng: Rng) => [0, 1, 2, 3, 4, 5],
    loss: (rows) => {
      const x = tf.tensor1d(rows.map((i) => xs[i] as number));
      return tf.mean(tf.square(tf.sub(tf.add(tf.mul(x, w), tf.sum(b)), tf.sub(tf.mul(x, 3), 1)))) as tf.Scalar;
    },
    evaluate: () => ({ wValue: w.dataSync()[0] as number }),
    dispose: () => tf.dispose([w, b]),
  };
}

test("the trainer writes run.json and one event file: config text, weights at 0 and every histogramEvery steps, step scalars, evaluations", () => {
  const dir = tmp("trainer");
  const task = regression();
  const before = tf.memory().numTensors;
  train(task, { steps: 6, lr: 0.1, evalEvery: 3, outDir: dir, tensorboard: { histogramEvery: 2 }, run: { note: "regression" } });
  assert.equal(tf.memory().numTensors, before, "no tensor leak");
  task.dispose();
  const info = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
  assert.equal(info.trainer.steps, 6);
  assert.equal(info.run.note, "regression");
  const files = eventFiles(join(dir, "tb"));
  assert.equal(files.length, 1);
  const events = readEventFile(files[0] as string).events;
  const tagsAt = (step: number) => events.filter((e) => e.step === step).flatMap((e) => e.summary?.value.map((v) => v.tag) ?? []);
  assert.deepEqual(tagsAt(0), ["config", "weights/w.weight", "weights/b.bias"]);
  assert.deepEqual(tagsAt(1), ["train/loss", "train/lr", "train/gradNorm", "train/throughput", "train/seconds"]);
  assert.deepEqual(tagsAt(2), [...tagsAt(1), "weights/w.weight", "weights/b.bias"]);
  assert.deepEqual(tagsAt(3), [...tagsAt(1), "eval/wValue"]);
  assert.deepEqual(tagsAt(6), [...tagsAt(2), "eval/wValue"], "the last step: weights and the final evaluation");
});

test("tensorboard: false writes no events; no outDir writes nothing", () => {
  const dir = tmp("off");
  const task = regression();
  train(task, { steps: 2, lr: 0.1, outDir: dir, tensorboard: false });
  train(task, { steps: 2, lr: 0.1 });
  task.dispose();
  assert.deepEqual(readdirSync(dir), ["metrics.jsonl"]);
  assert.ok(!existsSync(join(dir, "tb")));
});
