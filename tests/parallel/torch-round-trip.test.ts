// The scale-out round trip (issue #17, part 4): our Hugging Face checkpoint → one PyTorch AdamW step
// (bench/peer/torch_bert.py, Debian's python3-torch) → loaded back into the library → logits equal PyTorch's.
// Skipped, saying so, where /usr/bin/python3 has no torch (.ci/run installs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { loadBertCheckpoint, saveBertCheckpoint } from "../../lib/checkpoint";
import { bertConfig } from "../../lib/model";
import { maxAbsDiff, modelMlmLoss, snapshotOf, syntheticMlmRows } from "../../lib/parallel";
import { AdamW, valueAndGrads } from "../../lib/train";
import { randomBert } from "../checkpoint/random-model";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "..", "bench", "peer", "torch_bert.py");
const probe = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
const torchMissing = probe.status === 0 ? false : `${PYTHON} has no torch (apt-get install -y python3-torch; .ci/run does)`;
if (torchMissing) console.log(`# SKIPPED torch round trip: ${torchMissing}`);

test("checkpoint → one PyTorch AdamW step → loaded back: logits equal PyTorch's within 1e-4, and our own step's parameters", { skip: torchMissing }, async () => {
  await initBackend({ backend: "wasm" });
  const dir = mkdtempSync(join(tmpdir(), "round-trip-"));
  const config = bertConfig("tiny", { vocabSize: 97, hiddenSize: 32, numHeads: 4, intermediateSize: 64, numLayers: 2, maxPositions: 16, hiddenDropout: 0, attentionDropout: 0 });
  const model = randomBert(config, 3);
  const rows = syntheticMlmRows(config, 4, 12, 8);
  const lr = 1e-4;
  try {
    saveBertCheckpoint(join(dir, "ours"), model);
    writeFileSync(join(dir, "batch.json"), JSON.stringify({ input_ids: rows.inputIds, attention_mask: rows.attentionMask, labels: rows.labels }));
    const run = spawnSync(PYTHON, [PEER, "step", "--model", join(dir, "ours"), "--batch", join(dir, "batch.json"), "--out", join(dir, "torch"), "--lr", String(lr)], { encoding: "utf8" });
    assert.equal(run.status, 0, `peer failed: ${run.stderr}`);
    const theirs = JSON.parse(readFileSync(join(dir, "torch", "logits.json"), "utf8")) as { loss: number; logits: number[][][] };

    // the same step here: our loss, our AdamW, on the same checkpoint
    const { value, grads } = valueAndGrads(model.params, () => modelMlmLoss(model, rows));
    const ourLoss = (value.dataSync() as Float32Array)[0] as number;
    const optimizer = new AdamW();
    optimizer.apply(model.params, grads, lr);
    tf.dispose([value, ...Object.values(grads)]);
    optimizer.dispose();

    const back = loadBertCheckpoint(join(dir, "torch"));
    const logits = tf.tidy(() => {
      const inputIds = tf.tensor2d(rows.inputIds, undefined, "int32");
      const attentionMask = tf.tensor2d(rows.attentionMask, undefined, "int32");
      return back.mlmLogits(back.encode({ inputIds, attentionMask }).hidden).arraySync() as number[][][];
    });
    let worst = 0;
    rows.attentionMask.forEach((mask, b) => mask.forEach((real, t) => {
      if (real) logits[b]![t]!.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - theirs.logits[b]![t]![k]!))));
    }));
    const paramDiff = maxAbsDiff(snapshotOf(model.params), snapshotOf(back.params));
    console.log(`# round trip: |Δloss| ${Math.abs(ourLoss - theirs.loss).toExponential(1)}, max |Δlogit| after the PyTorch step ${worst.toExponential(2)}, max |Δparam| ours vs PyTorch's step ${paramDiff.toExponential(2)}`);
    assert.ok(Math.abs(ourLoss - theirs.loss) < 1e-5, `loss ${ourLoss} vs ${theirs.loss}`);
    assert.ok(worst < 1e-4, `max |Δlogit| ${worst}`);
    assert.ok(paramDiff < 1e-5, `our AdamW step vs PyTorch's: max |Δparam| ${paramDiff}`);
    back.dispose();
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
