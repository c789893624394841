// Parity with an independent PyTorch BERT (`bench/peer/torch_bert.py`, Hugging Face's BertForMaskedLM
// semantics): a random tiny model is saved as a checkpoint; our forward (tfjs wasm, through `course forward`'s
// code) and the peer's, on the same padded batch with an attention mask, give MLM logits within 1e-4 max-abs.
// Needs Debian's python3-torch under /usr/bin/python3 (`.ci/run` installs it); skipped, saying so, without it.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { bertConfig } from "../../lib/model";
import { loadBertCheckpoint, saveBertCheckpoint } from "../../lib/checkpoint";
import { forwardLogits, parseIdsJsonl } from "../../lib/cli/forward";
import { randomBert } from "./random-model";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "..", "bench", "peer", "torch_bert.py");
const TOLERANCE = 1e-4; // max |ours − torch| over every logit; fp32 with different summation orders

const probe = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
const torchMissing = probe.status === 0 ? false : `${PYTHON} has no torch (apt-get install -y python3-torch; .ci/run does): ${(probe.stderr || probe.error?.message || "").trim().split("\n").pop()}`;
if (torchMissing) console.log(`# SKIPPED torch parity: ${torchMissing}`);

before(async () => {
  await initBackend({ backend: "wasm" });
});

function maxAbsDiff(a: number[][][], b: number[][][]): number {
  let worst = 0;
  assert.equal(a.length, b.length, "sequence count");
  for (const [s, rows] of a.entries()) {
    const other = b[s] as number[][];
    assert.equal(rows.length, other.length, `sequence ${s} length`);
    for (const [t, row] of rows.entries()) {
      const o = other[t] as number[];
      assert.equal(row.length, o.length, `sequence ${s} position ${t} vocab`);
      for (const [v, x] of row.entries()) worst = Math.max(worst, Math.abs(x - (o[v] as number)));
    }
  }
  return worst;
}

test("MLM logits match the PyTorch peer within 1e-4 (padding + attention mask, segment ids)", { skip: torchMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parity-"));
  const config = bertConfig("tiny", { vocabSize: 97, maxPositions: 32, hiddenDropout: 0.1, attentionDropout: 0.1 });
  const model = randomBert(config, 11);
  try {
    saveBertCheckpoint(join(dir, "model"), model);
    // Ragged lengths (one batch padded to 11), one with segment ids, ids spanning the vocabulary.
    const lines = [
      JSON.stringify([2, 15, 33, 96, 4, 3]),
      JSON.stringify({ input_ids: [2, 7, 8, 9, 3, 50, 51, 52, 53, 54, 3], token_type_ids: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] }),
      JSON.stringify([2, 60, 3]),
      JSON.stringify([2, 1, 1, 5, 88, 4, 4, 3]),
    ];
    writeFileSync(join(dir, "ids.jsonl"), lines.join("\n") + "\n");

    const loaded = loadBertCheckpoint(join(dir, "model"));
    const ours = forwardLogits(loaded, parseIdsJsonl(lines.join("\n")));
    loaded.dispose();

    const run = spawnSync(PYTHON, [PEER, "forward", "--model", join(dir, "model"), "--ids", join(dir, "ids.jsonl"), "--out", join(dir, "torch.json")], { encoding: "utf8" });
    assert.equal(run.status, 0, `peer failed: ${run.stderr}`);
    const theirs = (JSON.parse(readFileSync(join(dir, "torch.json"), "utf8")) as { logits: number[][] }[]).map((r) => r.logits);

    const diff = maxAbsDiff(ours, theirs);
    const scale = Math.max(...theirs.flat(2).map(Math.abs));
    console.log(`# torch parity: max |Δlogit| = ${diff.toExponential(2)} (logits up to ${scale.toFixed(2)}; tolerance ${TOLERANCE})`);
    assert.ok(diff < TOLERANCE, `max-abs logits difference ${diff} exceeds ${TOLERANCE}`);
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("`course forward` writes the logits file the peer writes (same format, same values)", { skip: torchMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), "forward-cli-"));
  const config = bertConfig("tiny", { vocabSize: 31, hiddenSize: 32, numHeads: 2, intermediateSize: 48, numLayers: 1, maxPositions: 16 });
  const model = randomBert(config, 12);
  try {
    saveBertCheckpoint(join(dir, "model"), model);
    writeFileSync(join(dir, "ids.jsonl"), "[2, 9, 30, 3]\n[2, 5, 3]\n");
    const cli = spawnSync(process.execPath, [join(__dirname, "..", "..", "bin", "course.js"), "forward", "--model", join(dir, "model"), "--ids", join(dir, "ids.jsonl"), "--out", join(dir, "ours.json")], { encoding: "utf8", env: { ...process.env, COURSE_BACKEND: "wasm" } });
    assert.equal(cli.status, 0, `course forward failed: ${cli.stderr}`);
    const peer = spawnSync(PYTHON, [PEER, "forward", "--model", join(dir, "model"), "--ids", join(dir, "ids.jsonl"), "--out", join(dir, "torch.json")], { encoding: "utf8" });
    assert.equal(peer.status, 0, `peer failed: ${peer.stderr}`);
    const read = (name: string) => (JSON.parse(readFileSync(join(dir, name), "utf8")) as { logits: number[][] }[]).map((r) => r.logits);
    const ours = read("ours.json");
    assert.deepEqual(ours.map((l) => [l.length, l[0]?.length]), [[4, 31], [3, 31]]);
    assert.ok(maxAbsDiff(ours, read("torch.json")) < TOLERANCE);
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("forwardLogits: padding does not change a sequence's logits, and no tensor leaks", () => {
  const config = bertConfig("tiny", { vocabSize: 23, hiddenSize: 16, numHeads: 2, intermediateSize: 24, numLayers: 2, maxPositions: 12 });
  const model = randomBert(config, 13);
  try {
    const inputs = [{ inputIds: [2, 7, 9, 11, 3] }, { inputIds: [2, 5, 3] }, { inputIds: [2, 8, 8, 8, 8, 8, 3] }];
    const before = tf.memory().numTensors;
    const batched = forwardLogits(model, inputs, { batchSize: 2 }); // batch 1 padded to 5, batch 2 alone
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(batched.map((l) => [l.length, l[0]?.length]), [[5, 23], [3, 23], [7, 23]]);
    const alone = forwardLogits(model, [{ inputIds: [2, 5, 3] }]);
    assert.ok(maxAbsDiff([batched[1] as number[][]], alone) < 1e-5, "padding changed the logits of a short sequence");
    assert.throws(() => forwardLogits(model, [{ inputIds: [2, 23] }]), /sequence 1: id 23 is outside the vocabulary \(vocabSize 23\)/);
  } finally {
    model.dispose();
  }
});

test("the ids file's errors name the line", () => {
  assert.throws(() => parseIdsJsonl("[1, 2]\n[1, x]\n", "ids.jsonl"), /ids\.jsonl:2: not JSON/);
  assert.throws(() => parseIdsJsonl('{"input_ids": []}', "ids.jsonl"), /ids\.jsonl:1: expected a non-empty array/);
  assert.throws(() => parseIdsJsonl('{"input_ids": [1, 2], "token_type_ids": [0]}', "ids.jsonl"), /ids\.jsonl:1: token_type_ids must be integers, one per id/);
  assert.throws(() => parseIdsJsonl("\n", "ids.jsonl"), /ids\.jsonl: no sequences/);
});
