import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { bertConfig } from "../../../lib/model";
import { BertTokenizer } from "../../../lib/text";
import { meanPooledEmbeddings } from "../../../lib/apps";
import { randomBert } from "../../checkpoint/random-model";

const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "toy", "story", "heat", "comedy", "drama", "pixar", "fun", ".", ","];
const tokenizer = new BertTokenizer(VOCAB);
const bert = randomBert(bertConfig("tiny", { vocabSize: VOCAB.length, hiddenSize: 16, numHeads: 2, intermediateSize: 32, maxPositions: 32, numLayers: 2 }), 3);
const TEXTS = ["toy story. comedy, pixar, fun", "heat. drama", "fun"];

/** The mean of the last layer over the text's own tokens, alone in its batch (no padding at all). */
function alone(text: string): number[] {
  const ids = tokenizer.encode(text).inputIds;
  return Array.from(tf.tidy(() => bert.encode({ inputIds: tf.tensor2d([ids], [1, ids.length], "int32") }).hidden.mean(1)).dataSync());
}

test("mean pooling ignores padding: batched rows equal each text encoded alone (before centring)", () => {
  const pooled = meanPooledEmbeddings(bert, tokenizer, TEXTS, { center: false });
  TEXTS.forEach((text, i) => {
    const expected = alone(text);
    const norm = Math.sqrt(expected.reduce((s, x) => s + x * x, 0));
    for (let d = 0; d < 16; d++) assert.ok(Math.abs(pooled[i * 16 + d]! - expected[d]! / norm) < 1e-4, `text ${i} dim ${d}`);
  });
});

test("centred rows: unit length, mean direction removed; no tensors left behind", () => {
  const before = tf.memory().numTensors;
  const e = meanPooledEmbeddings(bert, tokenizer, TEXTS);
  assert.equal(tf.memory().numTensors, before);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(Math.hypot(...e.subarray(i * 16, (i + 1) * 16)) - 1) < 1e-5);
  const raw = TEXTS.map(alone);
  const mean = raw[0]!.map((_, d) => raw.reduce((s, r) => s + r[d]!, 0) / 3);
  const centred = raw[1]!.map((x, d) => x - mean[d]!);
  const norm = Math.hypot(...centred);
  for (let d = 0; d < 16; d++) assert.ok(Math.abs(e[16 + d]! - centred[d]! / norm) < 1e-4);
  assert.equal(meanPooledEmbeddings(bert, tokenizer, []).length, 0);
});
