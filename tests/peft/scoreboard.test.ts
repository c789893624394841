// lib/peft/scoreboard.ts: the scoreboard notebook 07 and bench/peft-scoreboard.ts share — every method on a
// classification and a tagging task (fixture data, a tiny random base): one row per run with a score in [0, 1],
// trainable % (full fine-tuning ~100 %, every PEFT method far less), the saved adapter's bytes, step memory and time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { saveBertCheckpoint } from "../../lib/checkpoint";
import { initBackend } from "../../lib/core";
import { SCOREBOARD_METHODS, peftScoreboard } from "../../lib/peft";
import { taskSpec } from "../../lib/tasks";
import { saveTokenizer } from "../../lib/text";
import { randomBert } from "../checkpoint/random-model";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

const FIXTURES = join(__dirname, "..", "fixtures", "data");
let work: string;
let checkpoint: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "peft-scoreboard-"));
  saveTokenizer(tinyTokenizer(), join(work, "tokenizer"));
  checkpoint = join(work, "checkpoint");
  const model = randomBert(tinyConfig(), 0);
  saveBertCheckpoint(checkpoint, model, { tokenizerDir: join(work, "tokenizer") });
  model.dispose();
});
after(() => rmSync(work, { recursive: true, force: true }));

test("every method on SST-2 and CoNLL-2003 (fixtures): one row each, scores, trainable %, adapter bytes, costs; no tensors left", async () => {
  const data = { sst2: await taskSpec("sst2").load({ dir: join(FIXTURES, "sst2") }), conll2003: await taskSpec("conll2003").load({ dir: join(FIXTURES, "conll2003") }) };
  const lr = Object.fromEntries(SCOREBOARD_METHODS.map((m) => [m, 1e-2]));
  const seen: string[] = [];
  const before = tf.memory().numTensors;
  const { rows, adaloraRanks } = await peftScoreboard({
    from: checkpoint, tasks: ["sst2", "conll2003"], methods: () => SCOREBOARD_METHODS, lr, data, epochs: 1, batchSize: 4, maxLength: 16,
    peft: { adalora: { initR: 2, targetR: 1 }, prompt: { numVirtualTokens: 2 }, prefix: { numVirtualTokens: 2 } },
    saveDir: join(work, "adapters"), onRow: (row) => seen.push(`${row.task}/${row.method}`),
  });
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  assert.deepEqual(seen, ["sst2", "conll2003"].flatMap((t) => SCOREBOARD_METHODS.map((m) => `${t}/${m}`)));
  for (const row of rows) {
    const where = `${row.task}/${row.method}`;
    assert.equal(row.metric, row.task === "sst2" ? "accuracy" : "f1", where);
    assert.ok(row.score >= 0 && row.score <= 1 && row.low <= row.score && row.score <= row.high, where);
    assert.ok(row.secondsPerEpoch > 0 && row.stepPeakBytes > 0 && row.adamStateBytes > 0, where);
    if (row.method === "full") {
      assert.ok(row.trainablePercent > 90 && row.adapterBytes === null && row.adapterDir === null, where);
    } else {
      assert.ok(row.trainablePercent > 0 && row.trainablePercent < 50, `${where}: ${row.trainablePercent} %`);
      assert.equal(row.adapterBytes, statSync(join(row.adapterDir as string, "adapter_model.safetensors")).size, where);
    }
  }
  // Full fine-tuning keeps AdamW moments for every weight; LoRA for a few.
  const state = (m: string) => rows.find((r) => r.task === "sst2" && r.method === m)?.adamStateBytes as number;
  assert.ok(state("lora") < state("full") / 5);
  assert.deepEqual(Object.keys(adaloraRanks).sort(), ["conll2003", "sst2"]);
  assert.equal([...(adaloraRanks["sst2"] as Map<string, number>).values()].reduce((a, b) => a + b, 0), 4, "target_r 1 × 4 modules");
});

test("an unknown method or a missing learning rate is a clear error", async () => {
  const data = { sst2: await taskSpec("sst2").load({ dir: join(FIXTURES, "sst2") }) };
  await assert.rejects(peftScoreboard({ from: checkpoint, tasks: ["sst2"], methods: () => ["loar"], lr: { loar: 1 }, data }), /"loar" is not one of full, lora/);
  await assert.rejects(peftScoreboard({ from: checkpoint, tasks: ["sst2"], methods: () => ["lora"], lr: { full: 1e-3 }, data }), /no learning rate for method "lora"/);
});
