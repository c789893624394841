import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ewcPenalty, diagonalFisher, ewcAnchor, disposeEwcAnchor } from "../../lib/continual";
import type { TaskModel } from "../../lib/tasks";

const close = (a: ArrayLike<number>, b: readonly number[], tol = 1e-5): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `[${i}] ${a[i]} ≠ ${b[i]} (tol ${tol})`);
};

test("EWC penalty λ/2·Σ F (θ − θ*)² and its gradient λ·F·(θ − θ*) on a hand-made case", () => {
  const params = new Map([["a", tf.variable(tf.tensor1d([1, 2]))], ["b", tf.variable(tf.tensor1d([3]))]]);
  const anchor = { optimal: new Map([["a", tf.tensor1d([0, 0])], ["b", tf.tensor1d([1])]]), fisher: new Map([["a", tf.tensor1d([1, 0.5])], ["b", tf.tensor1d([2])]]) };
  const before = tf.memory().numTensors;
  // λ = 2: (1·1² + 0.5·2² + 2·2²) = 11, times λ/2 = 1
  const value = ewcPenalty(params, [anchor], 2);
  close(value.dataSync(), [11]);
  value.dispose();
  const { value: v, grads } = tf.variableGrads(() => ewcPenalty(params, [anchor], 2), [params.get("a")!, params.get("b")!]);
  close(grads[params.get("a")!.name]!.dataSync(), [2, 2]); // 2·[1·1, 0.5·2]
  close(grads[params.get("b")!.name]!.dataSync(), [8]); // 2·2·2
  tf.dispose([v, ...Object.values(grads)]);
  // Two anchors add; λ = 0 switches the penalty off.
  const twice = ewcPenalty(params, [anchor, anchor], 2);
  close(twice.dataSync(), [22]);
  const off = ewcPenalty(params, [anchor], 0);
  close(off.dataSync(), [0]);
  tf.dispose([twice, off]);
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  assert.throws(() => ewcPenalty(new Map([["a", params.get("a")!]]), [anchor], 1), /"b" is in the anchor but not in the model's params/);
  assert.throws(() => ewcPenalty(params, [anchor], -1), /lambda must be ≥ 0/);
  disposeEwcAnchor(anchor);
  tf.dispose([...params.values()]);
});

test("diagonalFisher equals the mean of per-example squared gradients, worked out for softmax regression", () => {
  // A linear "model": logits = x·W with x the example's ids as floats; ∂(−log p_y)/∂W = xᵀ(p − onehot(y)).
  const W = tf.variable(tf.tensor2d([[0.1, -0.2], [0.3, 0.05], [-0.1, 0.2]]));
  const params = new Map([["W", W]]);
  const model = { kind: "sequence", numLabels: 2, params, logits: (inputs: { inputIds: tf.Tensor }) => tf.matMul(tf.cast(inputs.inputIds, "float32"), W) } as unknown as TaskModel;
  const examples = [{ inputIds: [1, 2, 0], target: 0 }, { inputIds: [0, 1, 3], target: 1 }, { inputIds: [2, 2, 1], target: 1 }];
  const Wv = W.arraySync();
  const expected = [0, 0, 0, 0, 0, 0];
  for (const { inputIds: x, target: y } of examples) {
    const z = [0, 1].map((c) => x.reduce((s, xi, i) => s + xi * Wv[i]![c]!, 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const p = e.map((v) => v / (e[0]! + e[1]!));
    for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) expected[i * 2 + c]! += (x[i]! * (p[c]! - (c === y ? 1 : 0))) ** 2 / examples.length;
  }
  const before = tf.memory().numTensors;
  const fisher = diagonalFisher(model, examples, 9);
  close(fisher.get("W")!.dataSync(), expected, 1e-5);
  const anchor = ewcAnchor(params, fisher);
  close(anchor.optimal.get("W")!.dataSync(), Array.from(W.dataSync()));
  disposeEwcAnchor(anchor);
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  assert.throws(() => diagonalFisher(model, [], 0), /no examples/);
  W.dispose();
});
