import { test, before } from "node:test";
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { balancedClassWeights, EpochSampler, lengthSortedBatches, padBatch, weightedCrossEntropy } from "../../lib/tasks";

before(async () => {
  await initBackend({ backend: "wasm" });
});

test("weighted cross-entropy is PyTorch's weighted mean and skips -100", () => {
  const logits = [[2, 0, -1], [0.5, 0.5, 0], [0, 3, 1], [9, 9, 9]];
  const labels = [0, 2, 1, -100];
  const weights = [1, 2, 0.5];
  const got = tf.tidy(() => weightedCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, "int32"), weights).dataSync()[0] as number);
  let num = 0;
  let den = 0;
  logits.forEach((row, i) => {
    const y = labels[i] as number;
    if (y < 0) return;
    const logZ = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    num += (weights[y] as number) * (logZ - (row[y] as number));
    den += weights[y] as number;
  });
  assert.ok(Math.abs(got - num / den) < 1e-5, `${got} vs ${num / den}`);
  const unweighted = tf.tidy(() => weightedCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, "int32")).dataSync()[0] as number);
  assert.ok(Math.abs(unweighted - got) > 1e-3, "weights matter");
});

test("balanced class weights: n / (C · count)", () => {
  assert.deepEqual(balancedClassWeights([0, 0, 0, 1], 3), [4 / 9, 4 / 3, 1]);
});

test("padBatch pads to the batch's longest: mask 0 and target -100 on padding", () => {
  const batch = padBatch([{ inputIds: [2, 5, 3], target: [-100, 1, -100] }, { inputIds: [2, 3], target: [-100, -100] }], [4, 7], 0);
  assert.deepEqual(batch.inputIds, [[2, 5, 3], [2, 3, 0]]);
  assert.deepEqual(batch.attentionMask, [[1, 1, 1], [1, 1, 0]]);
  assert.deepEqual(batch.targets, [[-100, 1, -100], [-100, -100, -100]]);
  assert.deepEqual(batch.indices, [4, 7]);
  assert.equal(batch.realTokens, 5);
  assert.equal(padBatch([{ inputIds: [2, 3], target: 1 }], [0], 0, { maxLength: 6 }).inputIds[0]?.length, 6);
  assert.throws(() => padBatch([{ inputIds: [2, 5, 5, 3], target: 1 }], [0], 0, { maxLength: 3 }), /fixed at 3/);
});

test("EpochSampler visits every example once per epoch, in a new order each epoch", () => {
  const sampler = new EpochSampler(10, 4);
  const rng = new Rng(1);
  const epochs = [0, 1].map(() => Array.from({ length: sampler.batchesPerEpoch }, () => sampler.next(rng)));
  for (const batches of epochs) {
    assert.deepEqual(batches.map((b) => b.length), [4, 4, 2]);
    assert.deepEqual(batches.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
  assert.notDeepEqual(epochs[0]?.flat(), epochs[1]?.flat());
});

test("evaluation batches group similar lengths", () => {
  const examples = [5, 1, 4, 2, 3].map((n) => ({ inputIds: new Array<number>(n).fill(1), target: 0 }));
  assert.deepEqual(lengthSortedBatches(examples, 2), [[1, 3], [4, 2], [0]]);
});

// Issue #11 part 4: `balancedClassWeights` claims scikit-learn's class_weight="balanced"; checked against
// sklearn.utils.class_weight.compute_class_weight (Debian's python3-sklearn) where every class occurs.
// Where a class is absent, sklearn raises ("classes should have valid labels that are in y"); we give it weight 1.
const sklearnProbe = spawnSync("/usr/bin/python3", ["-c", "import sklearn"], { encoding: "utf8" });
const noSklearn = sklearnProbe.status === 0 ? false : "/usr/bin/python3 has no scikit-learn (apt-get install -y python3-sklearn)";
test("balanced class weights equal scikit-learn's compute_class_weight('balanced') on seeded label sets", { skip: noSklearn }, () => {
  const rng = new Rng(11);
  const cases = [2, 3, 5, 77].map((k) => {
    const n = k * 3 + Math.floor(rng.uniform() * 40);
    const labels = Array.from({ length: n }, (_, i) => (i < k ? i : Math.floor(rng.uniform() * rng.uniform() * k))); // every class once, then skewed
    return { k, labels };
  });
  const script = "import json,sys,numpy as np\nfrom sklearn.utils.class_weight import compute_class_weight\n" +
    "print(json.dumps([compute_class_weight('balanced', classes=np.arange(c['k']), y=np.array(c['labels'])).tolist() for c in json.load(sys.stdin)]))";
  const run = spawnSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify(cases), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const peer = JSON.parse(run.stdout) as number[][];
  for (const [i, { k, labels }] of cases.entries()) {
    const ours = balancedClassWeights(labels, k);
    ours.forEach((w, c) => assert.ok(Math.abs(w - peer[i]![c]!) <= 1e-12, `k=${k} class ${c}: ${w} vs ${peer[i]![c]}`));
  }
});
