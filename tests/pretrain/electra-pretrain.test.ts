// `pretrain(..., { objective: "electra" })` end to end: a few steps, the discriminator saved in the BERT checkpoint
// format, loaded by what `course finetune --from DIR` uses with weights equal to the discriminator's, and the
// CLI fine-tuning from it; bad options fail before anything is allocated; no tensor leaks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { bertConfig } from "../../lib/model";
import { pretrain } from "../../lib/pretrain";
import { loadTaskBase } from "../../lib/tasks";
import { tinyTokenizer, VOCAB } from "../tasks/helpers";

const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures", "data");
let work: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "electra-pretrain-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Forty short documents in the fixture vocabulary. */
const TEXTS = Array.from({ length: 40 }, (_, i) => ["eu rejects german call to boycott british lamb .", "a warm , funny little film .", "acme hires dutch chefs and maria .", "good film , bad film , great fun ."][i % 4]! + (i % 3 === 0 ? " oslo and peru ." : ""));
const config = () => bertConfig("tiny", { vocabSize: VOCAB.length, hiddenSize: 16, numHeads: 2, intermediateSize: 32, numLayers: 2, maxPositions: 32 });

test("ELECTRA pretraining saves the discriminator as a BERT checkpoint that --from loads and fine-tunes", () => {
  const out = join(work, "electra");
  const before = tf.memory().numTensors;
  const result = pretrain(config(), tinyTokenizer(), TEXTS, { objective: "electra", steps: 3, batchSize: 4, seqLength: 12, seed: 1, outDir: out, evalEvery: 2 });
  try {
    assert.equal(result.history.length, 3);
    assert.ok(result.history.every((r) => Number.isFinite(r.loss) && r.loss > 0));
    const final = result.evaluations.at(-1)!.metrics;
    for (const key of ["mlmLoss", "discLoss", "discAccuracy", "replaced"]) assert.ok(Number.isFinite(final[key]), `held-out ${key}`);
    const saved = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.equal(saved.course.objective, "electra");
    assert.equal(saved.hidden_size, 16, "the discriminator's width, not the generator's");

    const base = loadTaskBase(out);
    try {
      assert.deepEqual(base.initialized, ["bert.pooler.dense.weight", "bert.pooler.dense.bias"], "a complete BERT checkpoint whose pooler ELECTRA never trained");
      for (const [name, variable] of result.model.params) {
        const loaded = base.bert.params.get(name);
        assert.ok(loaded, `${name} loaded`);
        assert.deepEqual(Array.from(loaded.dataSync()), Array.from(variable.dataSync()), `${name} equals the discriminator's`);
      }
    } finally {
      base.bert.dispose();
    }
  } finally {
    result.model.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "the generator and heads are freed with the task; the caller frees the discriminator");

  const finetuned = join(work, "finetuned");
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), "finetune", "--quiet", "--epochs", "1", "--batch", "2", "--task", "sst2", "--from", out, "--data-dir", join(FIXTURES, "sst2"), "--out", finetuned], {
    env: { ...process.env, COURSE_BACKEND: "wasm", COURSE_DATA_OFFLINE: "1" },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`.slice(-2000));
  const metrics = JSON.parse(readFileSync(join(finetuned, "metrics.json"), "utf8"));
  assert.deepEqual(metrics.model.initialized, ["bert.pooler.dense.weight", "bert.pooler.dense.bias"]);
  assert.ok(metrics.test.accuracy >= 0 && metrics.test.accuracy <= 1);
});

test("ELECTRA is seeded: the same seed gives the same losses; another seed does not", () => {
  const run = (seed: number) => {
    const r = pretrain(config(), tinyTokenizer(), TEXTS, { objective: "electra", steps: 2, batchSize: 2, seqLength: 10, seed });
    r.model.dispose();
    return r.history.map((h) => h.loss);
  };
  const first = run(4);
  assert.deepEqual(run(4), first);
  assert.notDeepEqual(run(5), first);
});

test("bad objectives fail before anything is allocated", () => {
  const before = tf.memory().numTensors;
  assert.throws(() => pretrain(config(), tinyTokenizer(), TEXTS, { objective: "bogus" as "mlm", steps: 1, batchSize: 2, seqLength: 10 }), /objective must be "mlm" or "electra", got "bogus"/);
  assert.throws(() => pretrain({ ...config(), causal: true }, tinyTokenizer(), TEXTS, { objective: "electra", steps: 1, batchSize: 2, seqLength: 10 }), /ELECTRA needs a bidirectional model/);
  assert.throws(() => pretrain(config(), tinyTokenizer(), TEXTS, { objective: "electra", electra: { generatorSize: 2 }, steps: 1, batchSize: 2, seqLength: 10 }), /generatorSize must be in \(0, 1\]/);
  // The MLM recipe options would be silently ignored by ELECTRA's task: refused instead.
  assert.throws(() => pretrain(config(), tinyTokenizer(), TEXTS, { objective: "electra", dropout: false, steps: 1, batchSize: 2, seqLength: 10 }), /MLM recipe options/);
  assert.throws(() => pretrain(config(), tinyTokenizer(), TEXTS, { objective: "electra", replacement: "mask", steps: 1, batchSize: 2, seqLength: 10 }), /MLM recipe options/);
  assert.equal(tf.memory().numTensors, before);
});
