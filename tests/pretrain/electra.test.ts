// ELECTRA (lib/pretrain/electra.ts, electra-task.ts): shapes, shared embeddings, the replaced labels, the seeded
// sample, no gradient through the sample, no tensor leaks, and the loss on fixed weights and inputs against an
// independent PyTorch implementation (`bench/peer/torch_electra.py`, Debian's python3-torch; skipped, saying so,
// without it).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel, bertConfig, configToHf, type BertConfig } from "../../lib/model";
import { isLinearWeight, transpose2d, writeSafetensors, type SafetensorsInput } from "../../lib/checkpoint";
import { valueAndGrads } from "../../lib/train/grads";
import { AdamW } from "../../lib/train/adamw";
import { ElectraModel, electraForward, generatorShape, replaceTokens, sampleFromLogits, sigmoidCrossEntropy, type ReplacedTokens } from "../../lib/pretrain/electra";
import { electraBatch, electraTask, electraTensors, ELECTRA_MASK_FRACTION, type ElectraBatch } from "../../lib/pretrain/electra-task";
import { maskingOptionsFor } from "../../lib/pretrain/mlm-task";
import { tinyTokenizer, VOCAB } from "../tasks/helpers";
import { randomizeParams } from "../checkpoint/random-model";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "..", "bench", "peer", "torch_electra.py");
const TOLERANCE = 1e-4;
const probe = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
const torchMissing = probe.status === 0 ? false : `${PYTHON} has no torch (apt-get install -y python3-torch; .ci/run does): ${(probe.stderr || probe.error?.message || "").trim().split("\n").pop()}`;
if (torchMissing) console.log(`# SKIPPED ELECTRA torch parity: ${torchMissing}`);

before(async () => {
  await initBackend({ backend: "wasm" });
});

const small = (overrides: Partial<BertConfig> = {}) => bertConfig("tiny", { vocabSize: 97, hiddenSize: 32, numHeads: 2, intermediateSize: 64, numLayers: 2, maxPositions: 16, ...overrides });

/** An ELECTRA pair whose every parameter is random and distinct (biases, LayerNorms, heads), so a swapped or untransposed tensor shows. */
function randomElectra(config: BertConfig, seed: number, generatorSize = 0.25): ElectraModel {
  const rng = new Rng(seed);
  const electra = ElectraModel.init(BertModel.init(config, rng), rng, { generatorSize });
  randomizeParams(electra.params, rng);
  return electra;
}

function disposeAll(electra: ElectraModel): void {
  const discriminator = electra.discriminator;
  electra.dispose();
  discriminator.dispose();
}

/** A fixed batch: three rows of 12, chosen positions, ELECTRA's masking, uniforms — from a seeded Rng. */
function fixedBatch(config: BertConfig, seed: number): ElectraBatch {
  const rng = new Rng(seed);
  const rows = Array.from({ length: 3 }, () => [2, ...Array.from({ length: 10 }, () => 5 + rng.int(config.vocabSize - 5)), 3]);
  const masking = { vocabSize: config.vocabSize, maskTokenId: 4, specialIds: new Set([0, 1, 2, 3, 4]), rate: 0.3 };
  return electraBatch(rows, rng, masking);
}

test("generatorShape: the discriminator's depth at a quarter of its width, one head per 64 dimensions", () => {
  assert.deepEqual(pick(generatorShape(bertConfig("tiny"))), { numLayers: 2, hiddenSize: 32, numHeads: 1, intermediateSize: 128 });
  assert.deepEqual(pick(generatorShape(bertConfig("mini"))), { numLayers: 4, hiddenSize: 64, numHeads: 1, intermediateSize: 256 });
  assert.deepEqual(pick(generatorShape(bertConfig("base"))), { numLayers: 12, hiddenSize: 192, numHeads: 3, intermediateSize: 768 });
  assert.deepEqual(pick(generatorShape(bertConfig("base"), 0.5)), { numLayers: 12, hiddenSize: 384, numHeads: 6, intermediateSize: 1536 });
  assert.throws(() => generatorShape(bertConfig("tiny"), 0), /generatorSize must be in \(0, 1\]/);
  assert.throws(() => generatorShape(bertConfig("tiny"), 1.5), /generatorSize must be in \(0, 1\]/);
});

const pick = (g: ReturnType<typeof generatorShape>) => ({ numLayers: g.numLayers, hiddenSize: g.hiddenSize, numHeads: g.numHeads, intermediateSize: g.intermediateSize });

test("the generator shares the discriminator's embeddings (same variables) and has none of its own", () => {
  const electra = randomElectra(small(), 1);
  try {
    for (const name of ["bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight", "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight"]) {
      assert.equal(electra.params.get(name), electra.discriminator.params.get(name), name);
    }
    assert.deepEqual([...electra.own.keys()].filter((n) => n.includes("embeddings.")), [], "no embedding table of the generator's own");
    assert.deepEqual(electra.own.get("generator.embeddings_project.weight")?.shape, [32, 8], "H → H_g projection");
    assert.deepEqual(electra.own.get("generator_predictions.dense.weight")?.shape, [8, 32], "H_g → H before the tied decoder");
    assert.deepEqual(electra.own.get("discriminator_predictions.dense_prediction.weight")?.shape, [32, 1]);
    assert.equal(electra.params.size, electra.discriminator.params.size + electra.own.size);
  } finally {
    disposeAll(electra);
  }
});

test("electraForward: shapes, labels exactly where the sample differs from the original, no tensor leaks", () => {
  const config = small();
  const electra = randomElectra(config, 2);
  const batch = fixedBatch(config, 3);
  const tensors = electraTensors(batch);
  try {
    const before = tf.memory().numTensors;
    const results: { sampled: number[]; replaced: ReplacedTokens; loss: number; parts: number[] }[] = [];
    tf.tidy(() => {
      const f = electraForward(electra, tensors, batch.originalIds, batch.uniforms);
      assert.deepEqual(f.generatorLogits.shape, [batch.flatPositions.length, 97]);
      assert.deepEqual(f.discLogits.shape, [3, 12]);
      assert.equal(f.sampled.length, batch.flatPositions.length);
      results.push({ sampled: [...f.sampled], replaced: f.replaced, loss: f.loss.dataSync()[0] as number, parts: [f.mlmLoss.dataSync()[0] as number, f.discLoss.dataSync()[0] as number] });
    });
    const out = results[0]!;
    assert.equal(tf.memory().numTensors, before, "electraForward inside tidy leaves nothing");
    assert.ok(Math.abs(out.loss - (out.parts[0]! + 50 * out.parts[1]!)) < 1e-4, "loss = L_MLM + 50·L_disc");
    const chosen = new Set(batch.flatPositions);
    out.replaced.inputIds.forEach((row, b) =>
      row.forEach((id, t) => {
        const flat = b * 12 + t;
        const original = batch.originalIds[b]![t]!;
        if (!chosen.has(flat)) assert.equal(id, original, `unchosen position ${flat} changed`);
        else assert.equal(id, out.sampled[batch.flatPositions.indexOf(flat)], `position ${flat} holds the sample`);
        assert.equal(out.replaced.labels[b]![t], id === original ? 0 : 1, `label at ${flat}`);
      }),
    );
  } finally {
    tf.dispose(Object.values(tensors));
    disposeAll(electra);
  }
});

test("replaceTokens: a sample equal to the original is labelled original (0); errors name the problem", () => {
  const original = [
    [2, 10, 11, 3],
    [2, 12, 13, 3],
  ];
  const { inputIds, labels } = replaceTokens(original, [1, 2, 6], [10, 20, 13]);
  assert.deepEqual(inputIds, [
    [2, 10, 20, 3],
    [2, 12, 13, 3],
  ]);
  assert.deepEqual(labels, [
    [0, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  assert.deepEqual(original[0], [2, 10, 11, 3], "the input is not modified");
  assert.throws(() => replaceTokens(original, [1], [5, 6]), /1 positions but 2 samples/);
  assert.throws(() => replaceTokens(original, [8], [5]), /position 8 is outside the 2×4 batch/);
});

test("sampleFromLogits inverts the CDF of the softmax: exact ids at chosen uniforms, frequencies near the probabilities", () => {
  const probs = [0.2, 0.5, 0.3];
  const logits = tf.tensor2d([probs.map(Math.log)]);
  const at = (u: number) => sampleFromLogits(logits, [u])[0];
  assert.deepEqual([0, 0.19, 0.21, 0.69, 0.71, 0.999999].map(at), [0, 0, 1, 1, 2, 2]);
  const rng = new Rng(7);
  const n = 4000;
  const uniforms = Array.from({ length: n }, () => rng.uniform());
  const tiled = tf.tile(logits, [n, 1]) as tf.Tensor2D;
  const ids = sampleFromLogits(tiled, uniforms);
  tiled.dispose();
  assert.throws(() => sampleFromLogits(logits, [0.1, 0.2]), /1 rows of logits but 2 uniforms/);
  const counts = [0, 0, 0];
  for (const id of ids) counts[id]!++;
  counts.forEach((c, i) => assert.ok(Math.abs(c / n - probs[i]!) < 0.03, `id ${i}: ${c / n} vs ${probs[i]}`));
  logits.dispose();
});

test("electraBatch: 15 % chosen, 85 % of them [MASK], the rest unchanged, never a random token; seeded", () => {
  const tokenizer = tinyTokenizer();
  const masking = maskingOptionsFor(tokenizer);
  const rng = new Rng(5);
  const rows = Array.from({ length: 200 }, () => [2, ...Array.from({ length: 20 }, () => 5 + rng.int(VOCAB.length - 5)), 3]);
  const batch = electraBatch(rows, new Rng(9), masking);
  let masked = 0;
  const chosen = new Set(batch.flatPositions);
  batch.maskedIds.forEach((row, b) =>
    row.forEach((id, t) => {
      const original = rows[b]![t]!;
      if (!chosen.has(b * 22 + t)) assert.equal(id, original);
      else if (id === masking.maskTokenId) masked++;
      else assert.equal(id, original, "a chosen position is [MASK] or unchanged");
    }),
  );
  assert.equal(batch.flatPositions.length, 200 * 3, "round(20 · 0.15) = 3 per row");
  assert.deepEqual(batch.maskedLabels, batch.flatPositions.map((f) => rows[Math.floor(f / 22)]![f % 22]));
  assert.ok(Math.abs(masked / batch.flatPositions.length - ELECTRA_MASK_FRACTION) < 0.04, `[MASK] share ${masked / batch.flatPositions.length}`);
  assert.ok(batch.uniforms.every((u) => u >= 0 && u < 1) && batch.uniforms.length === batch.flatPositions.length);
  assert.deepEqual(electraBatch(rows, new Rng(9), masking), batch, "same seed, same batch and draws");
  assert.notDeepEqual(electraBatch(rows, new Rng(10), masking).uniforms, batch.uniforms);
});

test("the generator's sample is reproducible from the seed, and no gradient flows through it into the generator", () => {
  const config = small({ hiddenDropout: 0.1, attentionDropout: 0.1 });
  const electra = randomElectra(config, 4);
  const batch = fixedBatch(config, 6);
  const tensors = electraTensors(batch);
  try {
    const run = (seed: number) => tf.tidy(() => [...electraForward(electra, tensors, batch.originalIds, batch.uniforms, { rng: new Rng(seed) }).sampled]);
    assert.deepEqual(run(1), run(1), "same dropout seed, same uniforms: same samples");
    // The discriminator's loss reaches the shared embeddings and its own layers, never the generator's layers:
    // the generator's gradients from the full loss equal those from L_MLM alone.
    const before = tf.memory().numTensors;
    const full = valueAndGrads(electra.params, () => electraForward(electra, tensors, batch.originalIds, batch.uniforms).loss);
    const mlmOnly = valueAndGrads(electra.params, () => electraForward(electra, tensors, batch.originalIds, batch.uniforms).mlmLoss);
    const names = Object.keys(full.grads);
    for (const needed of ["generator.encoder.layer.0.attention.self.query.weight", "generator.embeddings_project.weight", "generator_lm_head.bias", "discriminator_predictions.dense_prediction.weight", "bert.encoder.layer.1.output.dense.weight", "bert.embeddings.word_embeddings.weight"]) {
      assert.ok(names.includes(needed), `a gradient for ${needed}`);
    }
    for (const name of names.filter((n) => n.startsWith("generator"))) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(full.grads[name]!, mlmOnly.grads[name]!))).dataSync()[0] as number);
      assert.ok(diff < 1e-6, `${name}: the discriminator's loss changed the generator's gradient by ${diff}`);
    }
    const wordDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(full.grads["bert.embeddings.word_embeddings.weight"]!, mlmOnly.grads["bert.embeddings.word_embeddings.weight"]!))).dataSync()[0] as number);
    assert.ok(wordDiff > 1e-6, "the discriminator's loss trains the shared embeddings");
    tf.dispose([full.value, mlmOnly.value, ...Object.values(full.grads), ...Object.values(mlmOnly.grads)]);
    assert.equal(tf.memory().numTensors, before, "no tensors left by the gradient passes");
  } finally {
    tf.dispose(Object.values(tensors));
    disposeAll(electra);
  }
});

/** Our parameters as PyTorch would store them (Linear weights `[out, in]`). */
function stateDict(electra: ElectraModel): Map<string, SafetensorsInput> {
  const out = new Map<string, SafetensorsInput>();
  for (const [name, variable] of electra.params) {
    const data = variable.dataSync() as Float32Array;
    if (isLinearWeight(name, variable.shape.length)) {
      const [rows, cols] = variable.shape as [number, number];
      out.set(name, { dtype: "F32", shape: [cols, rows], data: transpose2d(data, rows, cols) });
    } else out.set(name, { dtype: "F32", shape: [...variable.shape], data: Float32Array.from(data) });
  }
  return out;
}

for (const generatorSize of [0.25, 1]) {
  test(`the loss on fixed weights and inputs equals the PyTorch peer's within 1e-4 (generatorSize ${generatorSize}, a padded row)`, { skip: torchMissing }, () => {
    const dir = mkdtempSync(join(tmpdir(), "electra-parity-"));
    const config = small();
    const electra = randomElectra(config, 8, generatorSize);
    const batch = fixedBatch(config, 9);
    const attentionMask = batch.maskedIds.map((row, b) => row.map((_, t) => (b === 1 && t >= 9 ? 0 : 1))); // row 1: last 3 positions are padding
    const tensors = { ...electraTensors(batch) };
    tensors.attentionMask.dispose();
    tensors.attentionMask = tf.tensor2d(attentionMask.flat(), [3, 12], "int32");
    try {
      const ours = tf.tidy(() => {
        const f = electraForward(electra, tensors, batch.originalIds, batch.uniforms);
        return { loss: f.loss.dataSync()[0] as number, mlm: f.mlmLoss.dataSync()[0] as number, disc: f.discLoss.dataSync()[0] as number, sampled: [...f.sampled], labels: f.replaced.labels };
      });
      writeSafetensors(join(dir, "weights.safetensors"), stateDict(electra));
      const g = electra.generator;
      const spec = {
        config: configToHf(config),
        generator: { hidden_size: g.hiddenSize, num_attention_heads: g.numHeads, intermediate_size: g.intermediateSize, num_hidden_layers: g.numLayers },
        disc_weight: 50,
        masked_ids: batch.maskedIds,
        original_ids: batch.originalIds,
        attention_mask: attentionMask,
        flat_positions: batch.flatPositions,
        masked_labels: batch.maskedLabels,
        uniforms: batch.uniforms,
      };
      writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
      const run = spawnSync(PYTHON, [PEER, "loss", "--weights", join(dir, "weights.safetensors"), "--spec", join(dir, "spec.json"), "--out", join(dir, "torch.json")], { encoding: "utf8" });
      assert.equal(run.status, 0, `peer failed: ${run.stderr}`);
      const theirs = JSON.parse(readFileSync(join(dir, "torch.json"), "utf8")) as { loss: number; mlm_loss: number; disc_loss: number; sampled: number[]; labels: number[][] };
      console.log(`# ELECTRA torch parity (generatorSize ${generatorSize}): loss ${ours.loss.toFixed(6)} vs ${theirs.loss.toFixed(6)}; L_MLM Δ ${Math.abs(ours.mlm - theirs.mlm_loss).toExponential(2)}, L_disc Δ ${Math.abs(ours.disc - theirs.disc_loss).toExponential(2)}`);
      assert.deepEqual(ours.sampled, theirs.sampled, "same samples from the same uniforms");
      assert.deepEqual(ours.labels, theirs.labels, "same replaced labels");
      assert.ok(ours.labels.flat().some((l) => l === 1), "some tokens were replaced");
      assert.ok(Math.abs(ours.mlm - theirs.mlm_loss) < TOLERANCE, `L_MLM ${ours.mlm} vs ${theirs.mlm_loss}`);
      assert.ok(Math.abs(ours.disc - theirs.disc_loss) < TOLERANCE / 50, `L_disc ${ours.disc} vs ${theirs.disc_loss}`);
      assert.ok(Math.abs(ours.loss - theirs.loss) < TOLERANCE, `loss ${ours.loss} vs ${theirs.loss}`);
    } finally {
      tf.dispose(Object.values(tensors));
      disposeAll(electra);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("electraTask: a training loss, held-out metrics of both halves (fixed, repeatable), dispose frees the generator", () => {
  const tokenizer = tinyTokenizer();
  const rng = new Rng(3);
  const stream = Int32Array.from({ length: 400 }, () => 5 + rng.int(VOCAB.length - 5));
  const config = bertConfig("tiny", { vocabSize: VOCAB.length, hiddenSize: 16, numHeads: 2, intermediateSize: 32, numLayers: 1, maxPositions: 16 });
  const before = tf.memory().numTensors;
  const discriminator = BertModel.init(config, new Rng(0));
  const electra = ElectraModel.init(discriminator, new Rng(1));
  const task = electraTask(electra, tokenizer, { train: stream, heldOut: stream.slice(0, 100) }, { batchSize: 4, seqLength: 12, evalWindows: 6 });
  const metrics = task.evaluate!();
  for (const key of ["loss", "mlmLoss", "perplexity", "mlmAccuracy", "discLoss", "discAccuracy", "replaced"]) assert.ok(Number.isFinite(metrics[key]), `${key} = ${metrics[key]}`);
  assert.ok(metrics.replaced! > 0 && metrics.replaced! < 0.2, `replaced share ${metrics.replaced}: at most the 15 % chosen`);
  assert.ok(Math.abs(metrics.perplexity! - Math.exp(metrics.mlmLoss!)) < 1e-6);
  assert.deepEqual(task.evaluate!(), metrics, "fixed held-out masks and samples: the same numbers twice");
  const batch = task.nextBatch(new Rng(2));
  const loss = tf.tidy(() => task.loss(batch, new Rng(3)).dataSync()[0] as number);
  assert.ok(Number.isFinite(loss) && loss > 0);
  task.dispose();
  discriminator.dispose();
  assert.equal(tf.memory().numTensors, before, "task, generator and discriminator all freed");
});

test("the discriminator learns: trained alone to spot one planted token, it leaves the base rate within 60 AdamW steps", () => {
  // A guard for the discriminator's path (head, encoder, sigmoid loss, gradients): a replacement every position can
  // see from its own embedding must be learned fast. (Detecting a real generator's samples needs context and is
  // slow at this size and rate: see the README's objective comparison.)
  const config = small();
  const rng = new Rng(3);
  const electra = ElectraModel.init(BertModel.init(config, rng), rng);
  const optimizer = new AdamW({});
  const [b, t, planted] = [8, 12, 7];
  const batch = () => {
    const ids: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < b * t; i++) {
      const replaced = rng.uniform() < 0.15;
      ids.push(replaced ? planted : 10 + rng.int(config.vocabSize - 10));
      labels.push(replaced ? 1 : 0);
    }
    return { ids, labels };
  };
  const accuracy = (ids: number[], labels: number[]) =>
    tf.tidy(() => tf.mean(tf.equal(tf.greater(electra.discriminatorLogits(tf.tensor2d(ids, [b, t], "int32"), tf.ones([b, t], "int32") as tf.Tensor2D), 0).toInt(), tf.tensor2d(labels, [b, t], "int32")).toFloat()).dataSync()[0] as number);
  const before = tf.memory().numTensors;
  for (let step = 0; step < 60; step++) {
    const { ids, labels } = batch();
    const { value, grads } = valueAndGrads(electra.params, () => tf.tidy(() => sigmoidCrossEntropy(electra.discriminatorLogits(tf.tensor2d(ids, [b, t], "int32"), tf.ones([b, t], "int32") as tf.Tensor2D, rng), tf.tensor2d(labels, [b, t], "int32"), tf.ones([b, t], "int32") as tf.Tensor2D)));
    optimizer.apply(electra.params, grads, 1e-3);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const { ids, labels } = batch();
  const base = 1 - labels.reduce((a, x) => a + x, 0) / labels.length;
  assert.ok(accuracy(ids, labels) > Math.max(0.98, base + 0.05), `held-out accuracy ${accuracy(ids, labels)} vs base rate ${base}`);
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  disposeAll(electra);
});
