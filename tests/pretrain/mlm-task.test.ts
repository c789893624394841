// The MLM task's recipe switches: no dropout while pretraining (BabyBERTa/Cramming), always [MASK].
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model/bert";
import { bertConfig } from "../../lib/model/config";
import { trainWordPiece } from "../../lib/text/wordpiece-trainer";
import { mlmTask, tokenStream } from "../../lib/pretrain";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const TEXTS = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog are friends", "the mat is on the floor"];

test("dropout: false makes the training loss independent of the dropout rng; true does not; always-[MASK] batches hold only [MASK] at chosen positions", () => {
  const tokenizer = trainWordPiece(TEXTS, { vocabSize: 60, minFrequency: 1 });
  const tensorsBefore = tf.memory().numTensors;
  const model = BertModel.init(bertConfig("tiny", { vocabSize: tokenizer.vocabSize, maxPositions: 32 }), new Rng(0));
  const stream = tokenStream(tokenizer, Array.from({ length: 20 }, (_, i) => TEXTS[i % TEXTS.length] as string));
  const streams = { train: stream, heldOut: stream.subarray(0, 40) };
  const lossOf = (dropout: boolean, seed: number) => {
    const task = mlmTask(model, tokenizer, streams, { batchSize: 4, seqLength: 16, dropout, replacement: "mask" });
    const batch = task.nextBatch(new Rng(7));
    const value = tf.tidy(() => task.loss(batch, new Rng(seed)).dataSync()[0] as number);
    task.dispose();
    return { value, batch };
  };
  assert.equal(lossOf(false, 1).value, lossOf(false, 2).value, "no dropout: same loss whatever the rng");
  assert.notEqual(lossOf(true, 1).value, lossOf(true, 2).value, "dropout on: the rng changes the loss");
  const mask = tokenizer.tokenToId("[MASK]");
  const { batch } = lossOf(false, 1);
  batch.labels.forEach((row, b) => row.forEach((label, t) => label !== -100 && assert.equal(batch.inputIds[b]?.[t], mask)));
  model.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, "no tensor left behind");
});
