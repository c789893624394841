import { test } from "node:test";
import assert from "node:assert/strict";
import { LogisticRegression, csrFromRows } from "../../lib/baseline";

test("probabilities sum to 1 and, with an unpenalised bias, average to the class frequencies on train", () => {
  // At the optimum the bias gradient mean_i(p_i − onehot_i) is 0: mean predicted probability = class share.
  const X = csrFromRows(
    [new Map([[0, 1]]), new Map([[0, 1], [1, 0.5]]), new Map([[1, 1]]), new Map([[2, 1]]), new Map([[0, 0.3], [2, 1]])],
    3,
  );
  const y = [0, 0, 1, 2, 1];
  const model = new LogisticRegression({ C: 0.5, tol: 1e-10, ftol: 0, maxIter: 1000 }).fit(X, y);
  const p = model.predictProba(X);
  p.forEach((row) => assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-12));
  const mean = [0, 1, 2].map((c) => p.reduce((s, row) => s + row[c]!, 0) / p.length);
  [2 / 5, 2 / 5, 1 / 5].forEach((share, c) => assert.ok(Math.abs(mean[c]! - share) < 1e-6, `class ${c}: ${mean[c]} vs ${share}`));
});

test("bad inputs name the problem", () => {
  const X = csrFromRows([new Map([[0, 1]])], 1);
  assert.throws(() => new LogisticRegression().fit(X, [0, 1]), /1 rows but 2 labels/);
  assert.throws(() => new LogisticRegression({ numClasses: 2 }).fit(X, [2]), /y\[0\] = 2 is not a class in \[0, 2\)/);
  assert.throws(() => new LogisticRegression({ C: 0 }).fit(X, [0]), /C must be > 0/);
  assert.throws(() => new LogisticRegression().predict(X), /call fit\(X, y\) first/);
  const model = new LogisticRegression().fit(X, [0]);
  assert.throws(() => model.predict(csrFromRows([new Map()], 2)), /X has 2 columns, the model 1/);
});
