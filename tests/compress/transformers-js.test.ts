import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { exportBertOnnx } from "../../lib/export";
import { classifierLogits, textClassificationPipeline } from "../../lib/compress";
import { randomTaskModel, softmax, tinyTokenizer } from "../export/helpers";

let work: string;
before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-tjs-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

test("textClassificationPipeline runs the export offline: top label and score = argmax / max softmax of our logits (1e-4)", async () => {
  const model = randomTaskModel("sequence", 3, 4);
  try {
    const dir = join(work, "cls");
    exportBertOnnx(model, dir, { labels: ["neg", "neu", "pos"], tokenizer: tinyTokenizer() });
    const texts = ["the film was good .", "bad", "paris is in france"];
    const classify = await textClassificationPipeline(dir);
    const got = await classify(texts);
    const start = tf.memory().numTensors;
    const ours = classifierLogits(model, texts.map((t) => ({ inputIds: tinyTokenizer().encode(t).inputIds, target: 0 })), 0);
    assert.equal(tf.memory().numTensors, start);
    assert.equal(got.length, 3);
    got.forEach((g, i) => {
      const p = softmax(ours[i]!);
      const k = p.indexOf(Math.max(...p));
      assert.equal(g.label, ["neg", "neu", "pos"][k]);
      assert.ok(Math.abs(g.score - p[k]!) < 1e-4, `${g.score} vs ${p[k]}`);
    });
  } finally {
    model.dispose();
  }
});
