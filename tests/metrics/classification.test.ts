import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracy, classificationReport, confusionMatrix, formatClassificationReport } from "../../lib/metrics";

const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);

test("accuracy counts matches, and is below 1 when predictions are wrong", () => {
  assert.equal(accuracy([0, 1, 1, 0], [0, 1, 0, 1]), 0.5);
  assert.equal(accuracy([2, 2, 2], [0, 1, 2]), 1 / 3);
  assert.equal(accuracy([1, 0], [0, 1]), 0);
  assert.equal(accuracy([3, 1, 4], [3, 1, 4]), 1);
});

test("accuracy is not the classic bug predictions.length / labels.length (always 1)", () => {
  const predictions = [1, 1, 1, 1, 1];
  const labels = [0, 1, 0, 0, 0];
  assert.equal(predictions.length / labels.length, 1); // what the buggy tutorial version returns
  assert.equal(accuracy(predictions, labels), 0.2);
});

test("accuracy throws on a length mismatch or empty arrays", () => {
  assert.throws(() => accuracy([0, 1], [0]), /accuracy: 2 predictions but 1 labels/);
  assert.throws(() => accuracy([], []), /accuracy: no examples/);
});

// Worked example, 3 classes, 8 examples:
//   labels      0 0 0 0 1 1 2 2
//   predictions 0 0 1 2 1 0 2 2
// confusion (rows true, columns predicted): [[2,1,1],[1,1,0],[0,0,2]]; column sums (predicted) 3, 2, 3.
//   class 0: P 2/3, R 2/4, F1 2·(2/3)(1/2)/(7/6) = 4/7
//   class 1: P 1/2, R 1/2, F1 1/2
//   class 2: P 2/3, R 2/2, F1 2·(2/3)/(5/3) = 4/5
//   macro    P 11/18, R 2/3, F1 (4/7 + 1/2 + 4/5)/3 = 131/210
//   weighted (supports 4,2,2) P (8/3 + 1 + 4/3)/8 = 5/8, R 5/8, F1 (16/7 + 1 + 8/5)/8 = 171/280
//   accuracy = micro P = micro R = micro F1 = 5/8
const LABELS = [0, 0, 0, 0, 1, 1, 2, 2];
const PREDICTIONS = [0, 0, 1, 2, 1, 0, 2, 2];

test("confusion matrix: rows are true labels, columns predictions", () => {
  assert.deepEqual(confusionMatrix(PREDICTIONS, LABELS, 3), [
    [2, 1, 1],
    [1, 1, 0],
    [0, 0, 2],
  ]);
  assert.deepEqual(confusionMatrix([2], [0], 3), [
    [0, 0, 1],
    [0, 0, 0],
    [0, 0, 0],
  ]); // true 0 predicted 2 lands in row 0, column 2
  assert.throws(() => confusionMatrix([3], [0], 3), /predictions\[0\] = 3 is not a class index in \[0, 3\)/);
});

test("per-class, macro, micro and weighted scores match the worked example", () => {
  const r = classificationReport(PREDICTIONS, LABELS, { labelNames: ["neg", "neu", "pos"] });
  assert.deepEqual(r.perClass.map((c) => [c.label, c.support]), [["neg", 4], ["neu", 2], ["pos", 2]]);
  const expected = [
    [2 / 3, 1 / 2, 4 / 7],
    [1 / 2, 1 / 2, 1 / 2],
    [2 / 3, 1, 4 / 5],
  ];
  r.perClass.forEach((c, i) => {
    close(c.precision, expected[i]![0]!, `${c.label} precision`);
    close(c.recall, expected[i]![1]!, `${c.label} recall`);
    close(c.f1, expected[i]![2]!, `${c.label} f1`);
  });
  close(r.macro.precision, 11 / 18, "macro precision");
  close(r.macro.recall, 2 / 3, "macro recall");
  close(r.macro.f1, 131 / 210, "macro f1 (mean of per-class F1)");
  close(r.weighted.precision, 5 / 8, "weighted precision");
  close(r.weighted.recall, 5 / 8, "weighted recall");
  close(r.weighted.f1, 171 / 280, "weighted f1");
  assert.deepEqual(r.micro, { precision: 5 / 8, recall: 5 / 8, f1: 5 / 8 });
  assert.equal(r.accuracy, 5 / 8);
  assert.equal(r.support, 8);
});

test("zero division gives 0, as scikit-learn's default: never-predicted class, class absent everywhere", () => {
  // labels 0 1, predictions 0 0: class 1 is never predicted → precision 0/0 → 0; recall 0/1 = 0; F1 0.
  // class 2 (numClasses 3) has no support and no predictions: all 0, and it still counts in the macro mean.
  const r = classificationReport([0, 0], [0, 1], { numClasses: 3 });
  assert.deepEqual(
    r.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support]),
    [
      ["0", 1 / 2, 1, 2 / 3, 1],
      ["1", 0, 0, 0, 1],
      ["2", 0, 0, 0, 0],
    ],
  );
  close(r.macro.f1, 2 / 9, "macro f1 over 3 classes");
  close(r.weighted.f1, 1 / 3, "weighted f1 (class 2 has weight 0)");
  assert.ok(Object.values(r.macro).every(Number.isFinite));
});

test("number of classes defaults to the largest index + 1; bad inputs name the problem", () => {
  assert.equal(classificationReport([0, 4], [4, 4]).perClass.length, 5);
  assert.throws(() => classificationReport([0], [1], { labelNames: ["only"] }), /labels\[0\] = 1 is not a class index in \[0, 1\)/);
  assert.throws(() => classificationReport([0], [0], { labelNames: ["a"], numClasses: 2 }), /1 labelNames for 2 classes/);
  assert.throws(() => classificationReport([0, 1], [0]), /2 predictions but 1 labels/);
});

test("formatted report has scikit-learn's rows", () => {
  const text = formatClassificationReport(classificationReport(PREDICTIONS, LABELS, { labelNames: ["neg", "neu", "pos"] }));
  const lines = text.split("\n");
  assert.match(lines[0]!, /precision +recall +f1-score +support$/);
  assert.match(text, /\n +neg +0\.67 +0\.50 +0\.57 +4\n/);
  assert.match(text, /\n +accuracy +0\.62 +8\n/); // 0.625 is an exact tie: Python prints "0.62", toFixed "0.63"
  assert.match(text, /\n +macro avg +0\.61 +0\.67 +0\.62 +8\n/);
});
