// lib/tasks/checkpoint.ts (saving fine-tuned classifiers for the scoreboard): round trip, and the layout
// lib/export's `loadExportSource` reads.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { readSafetensors } from "../../lib/checkpoint";
import { loadExportSource } from "../../lib/export";
import { loadTaskCheckpoint, saveTaskCheckpoint, type TaskModel } from "../../lib/tasks";
import { examples, logitsOf, maxAbsDiff, randomClassifier } from "./helpers";

let work: string;
before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-compress-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

test("saveTaskCheckpoint writes HF's BertForSequenceClassification layout: classifier [C, H], id2label, no cls.*", () => {
  const model = randomClassifier(1, 3);
  try {
    const dir = join(work, "fpb");
    saveTaskCheckpoint(dir, model, { labels: ["negative", "neutral", "positive"] });
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    assert.deepEqual(config.architectures, ["BertForSequenceClassification"]);
    assert.deepEqual(config.id2label, { 0: "negative", 1: "neutral", 2: "positive" });
    assert.equal(config.label2id.positive, 2);
    const tensors = readSafetensors(join(dir, "model.safetensors")).tensors;
    assert.deepEqual(tensors.get("classifier.weight")!.shape, [3, 16]);
    const w = model.head.get("classifier.weight")!.arraySync() as number[][]; // [H, C]
    assert.equal((tensors.get("classifier.weight")!.data as Float32Array)[1 * 16 + 5], w[5]![1]); // row c, column h
    assert.ok(![...tensors.keys()].some((n) => n.startsWith("cls.")));
  } finally {
    model.dispose();
  }
});

test("loadTaskCheckpoint and loadExportSource both give back the same logits (1e-6)", () => {
  const model = randomClassifier(2, 3);
  try {
    const dir = join(work, "roundtrip");
    saveTaskCheckpoint(dir, model, { labels: ["a", "b", "c"] });
    const expected = logitsOf(model, examples(5));
    const loaded = loadTaskCheckpoint(dir);
    const exported = loadExportSource(dir);
    try {
      assert.deepEqual(loaded.labels, ["a", "b", "c"]);
      assert.deepEqual(exported.labels, ["a", "b", "c"]);
      assert.equal(exported.task, "text-classification");
      assert.ok(maxAbsDiff(logitsOf(loaded.model, examples(5)), expected) < 1e-6);
      assert.ok(maxAbsDiff(logitsOf(exported.model as TaskModel, examples(5)), expected) < 1e-6);
    } finally {
      loaded.model.dispose();
      exported.model.dispose();
    }
  } finally {
    model.dispose();
  }
  assert.throws(() => loadTaskCheckpoint(join(work, "missing")), /no config\.json/);
});
