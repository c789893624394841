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

test("tol bounds the largest entry of the gradient f returns, so it depends on how f is scaled (ftol 0)", () => {
  // f(x) = scale · ½ Σ a_i x_i², a_i from 1 to 100: the same minimiser whatever the scale, a gradient `scale` times larger.
  const a = Array.from({ length: 20 }, (_, i) => 1 + (99 * i) / 19);
  const quadratic = (scale: number) => (x: Float64Array, g: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < x.length; i++) {
      g[i] = scale * a[i]! * x[i]!;
      f += 0.5 * scale * a[i]! * x[i]! ** 2;
    }
    return f;
  };
  const tol = 1e-4;
  const largestGradient = (x: Float64Array): number => Math.max(...Array.from(x, (v, i) => Math.abs(a[i]! * v)));
  const mean = minimizeLbfgs(quadratic(1), new Float64Array(20).fill(1), { tol, ftol: 0, maxIter: 1000 });
  const sum = minimizeLbfgs(quadratic(1000), new Float64Array(20).fill(1), { tol, ftol: 0, maxIter: 1000 });
  assert.ok(mean.converged && sum.converged);
  assert.ok(largestGradient(mean.x) <= tol, `scale 1: largest gradient entry ${largestGradient(mean.x)} > tol`);
  assert.ok(1000 * largestGradient(sum.x) <= tol, `scale 1000: largest gradient entry ${1000 * largestGradient(sum.x)} > tol`);
  assert.ok(largestGradient(sum.x) < largestGradient(mean.x), "the 1000× objective must stop nearer the minimiser");
});
