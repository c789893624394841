import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, tidyScalar } from "../../lib/core";
import { classifierLogits, distill, distillationLoss, logitsAccuracy, shallowStudent } from "../../lib/compress";
import { examples, logitsOf, maxAbsDiff, randomClassifier } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const softmax = (z: number[], T: number) => {
  const e = z.map((v) => Math.exp(v / T));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

test("distillationLoss = α·T²·KL(p_t‖p_s) + (1−α)·CE, by hand on a 2 × 3 example (1e-5)", () => {
  const student = [[1, 2, 0.5], [-1, 0, 3]];
  const teacher = [[2, 1, -1], [0, 0.5, 1]];
  const labels = [1, 2];
  const T = 3;
  const alpha = 0.7;
  let kl = 0;
  let ce = 0;
  for (let i = 0; i < 2; i++) {
    const pt = softmax(teacher[i]!, T);
    const ps = softmax(student[i]!, T);
    kl += pt.reduce((a, p, c) => a + p * Math.log(p / ps[c]!), 0) / 2;
    ce -= Math.log(softmax(student[i]!, 1)[labels[i]!]!) / 2;
  }
  const expected = alpha * T * T * kl + (1 - alpha) * ce;
  const start = tf.memory().numTensors;
  const got = tidyScalar(() => distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor1d(labels, "int32"), { temperature: T, alpha }));
  assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
  const hardOnly = tidyScalar(() => distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor1d(labels, "int32"), { alpha: 0 }));
  assert.ok(Math.abs(hardOnly - ce) < 1e-5);
  const same = tidyScalar(() => distillationLoss(tf.tensor2d(teacher), tf.tensor2d(teacher), tf.tensor1d(labels, "int32"), { alpha: 1 }));
  assert.ok(Math.abs(same) < 1e-6, "KL of a distribution with itself is 0");
  assert.equal(tf.memory().numTensors, start);
});

test("shallowStudent copies every other layer (0, 2) and the head: a 3-layer teacher's student has layers 0 and 2", () => {
  const teacher = randomClassifier(1, 3);
  const deep = randomClassifier(2, 3, { ...teacher.bert.config, numLayers: 3 });
  try {
    const student = shallowStudent(deep);
    try {
      assert.equal(student.bert.config.numLayers, 2);
      const same = (a: string, b: string) => assert.deepEqual(Array.from(student.params.get(a)!.dataSync()), Array.from(deep.params.get(b)!.dataSync()), `${a} ← ${b}`);
      same("bert.encoder.layer.1.attention.self.query.weight", "bert.encoder.layer.2.attention.self.query.weight");
      same("bert.encoder.layer.0.output.dense.bias", "bert.encoder.layer.0.output.dense.bias");
      same("classifier.weight", "classifier.weight");
      same("bert.embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight");
      // All layers chosen → the same function as the teacher.
      const full = shallowStudent(teacher, { layers: [0, 1] });
      try {
        assert.ok(maxAbsDiff(logitsOf(full, examples(4)), logitsOf(teacher, examples(4))) < 1e-6);
      } finally {
        full.dispose();
      }
    } finally {
      student.dispose();
    }
  } finally {
    teacher.dispose();
    deep.dispose();
  }
});

test("distill moves the student toward the teacher (agreement rises, loss falls) and leaks no tensor", () => {
  const teacher = randomClassifier(3, 3);
  const student = shallowStudent(teacher, { layers: [1] });
  try {
    const train = examples(24);
    const teacherLogits = classifierLogits(teacher, train, 0);
    // Labels = the teacher's predictions, so agreement is accuracy.
    const relabelled = train.map((e, i) => ({ ...e, target: teacherLogits[i]!.indexOf(Math.max(...teacherLogits[i]!)) }));
    const before = logitsAccuracy(classifierLogits(student, relabelled, 0), relabelled);
    const start = tf.memory().numTensors;
    const result = distill(student, { train: relabelled, teacherLogits, padId: 0 }, { epochs: 15, batchSize: 8, lr: 3e-3, temperature: 2, alpha: 0.5 });
    assert.equal(tf.memory().numTensors, start);
    const after = logitsAccuracy(classifierLogits(student, relabelled, 0), relabelled);
    const first = result.history.slice(0, 3).reduce((a, r) => a + r.loss, 0) / 3;
    const last = result.history.slice(-3).reduce((a, r) => a + r.loss, 0) / 3;
    assert.ok(last < first, `loss ${first} → ${last}`);
    assert.ok(after >= before && after > 0.8, `agreement ${before} → ${after}`);
  } finally {
    teacher.dispose();
    student.dispose();
  }
});
