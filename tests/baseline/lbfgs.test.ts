import { test } from "node:test";
import assert from "node:assert/strict";
import { minimizeLbfgs } from "../../lib/baseline";

test("L-BFGS finds the Rosenbrock minimum (1, 1)", () => {
  const rosenbrock = (x: Float64Array, g: Float64Array): number => {
    const [a, b] = [x[0]!, x[1]!];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  const r = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIter: 500, tol: 1e-8, ftol: 0 });
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-5 && Math.abs(r.x[1]! - 1) < 1e-5, `got ${Array.from(r.x)}`);
  r.losses.slice(1).forEach((l, i) => assert.ok(l < r.losses[i]!, `loss rose at iteration ${i + 1}`));
});
