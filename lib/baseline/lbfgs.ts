/**
 * L-BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.4/7.5) with a backtracking Armijo line
 * search: full-batch, deterministic, no learning rate to tune. Enough for smooth convex problems such as
 * L2-regularised logistic regression. Its stopping rules are SciPy `L-BFGS-B`'s (largest |gradient entry| ≤ `tol`,
 * SciPy's `gtol`; relative loss decrease ≤ `ftol`); its line search is not (SciPy uses Moré–Thuente), so the iterates
 * differ from SciPy's while the minimiser agrees (tests/baseline/sklearn-parity.test.ts).
 *
 * Why hand-written (issue #23; checked on the npm registry, November 2026): no maintained, typed L-BFGS exists
 * there. `optimization-js` 1.5.0 (about 3 k downloads a month) has `minimize_L_BFGS(fnc, grd, x0)` with a fixed
 * gradient tolerance of 1e-5, no iteration cap and no line search (its step size is doubled or halved by a
 * rule its comment calls "magic"), and lists browserify, jsdoc and travis as runtime dependencies; `fmin` 0.0.4
 * (untyped) offers Nelder–Mead, conjugate gradient and gradient descent only; the `ml-*` family (mljs) has no
 * quasi-Newton optimiser (`ml-logistic-regression` trains by gradient descent) and stdlib-js has no optimiser.
 */

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Iterations at most. Default 100 (scikit-learn's `max_iter`). */
  maxIter?: number;
  /**
   * Stop when every entry of the gradient `f` returns is at most this in absolute value (SciPy's `gtol`). Default
   * 1e-4, the value of scikit-learn's `tol`, which it passes to SciPy as `gtol`. What it bounds depends on how `f` is
   * scaled: `LogisticRegression` minimises the per-example *mean* loss, as scikit-learn ≥ 1.4 does (its PR #26721),
   * so there the same `tol` means the same thing; scikit-learn ≤ 1.3 (e.g. Debian's 1.2.1) minimised the *sum*
   * over the n examples, whose gradient is n times larger, so its `tol` 1e-4 stopped n times tighter than ours.
   */
  tol?: number;
  /**
   * Stop when the loss falls by less than this, relative: (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ `ftol`.
   * Default 1e7 · machine epsilon ≈ 2.2e-9, SciPy's own default (`factr` 1e7) and so what scikit-learn ≤ 1.3 ran
   * with; scikit-learn ≥ 1.4 passes 64 · epsilon so that `tol` decides. Pass `ftol: 0` to stop on `tol` alone.
   */
  ftol?: number;
  /** Correction pairs kept. Default 10 (SciPy's `maxcor`). */
  history?: number;
}

/** The result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  /** Loss after each iteration (index 0 = at the start). */
  losses: number[];
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Minimises `f` from `x0`.
 * @param f writes the gradient at `x` into `grad` and returns the value
 * @param x0 the start (not modified)
 * @returns the minimiser found, its value, and whether a stopping rule (rather than `maxIter`) ended the run
 */
export function minimizeLbfgs(f: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const { maxIter = 100, tol = 1e-4, ftol = 1e7 * Number.EPSILON, history = 10 } = options;
  const size = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(size);
  let fx = f(x, g);
  const losses = [fx];
  const pairs: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const d = new Float64Array(size);
  const alpha = new Array<number>(history).fill(0);
  let xNew = new Float64Array(size);
  let gNew = new Float64Array(size);
  for (let iter = 0; iter < maxIter; iter++) {
    let gMax = 0;
    for (let i = 0; i < size; i++) gMax = Math.max(gMax, Math.abs(g[i]!));
    if (gMax <= tol) return { x, value: fx, iterations: iter, converged: true, losses };
    // Two-loop recursion: d = -H·g, H0 = γI with γ = s·y / y·y of the newest pair.
    for (let i = 0; i < size; i++) d[i] = -g[i]!;
    for (let m = pairs.length - 1; m >= 0; m--) {
      const { s, y, rho } = pairs[m]!;
      const a = rho * dot(s, d);
      alpha[m] = a;
      for (let i = 0; i < size; i++) d[i]! -= a * y[i]!;
    }
    const newest = pairs[pairs.length - 1];
    const gamma = newest === undefined ? 1 / Math.sqrt(dot(g, g)) : dot(newest.s, newest.y) / dot(newest.y, newest.y);
    for (let i = 0; i < size; i++) d[i]! *= gamma;
    for (let m = 0; m < pairs.length; m++) {
      const { s, y, rho } = pairs[m]!;
      const b = rho * dot(y, d);
      for (let i = 0; i < size; i++) d[i]! += s[i]! * (alpha[m]! - b);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      pairs.length = 0;
      const scale = 1 / Math.sqrt(dot(g, g));
      for (let i = 0; i < size; i++) d[i] = -g[i]! * scale;
      slope = dot(g, d);
    }
    // Backtracking line search: halve the step until the Armijo condition f(x + t·d) ≤ f(x) + 1e-4·t·slope holds.
    let t = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 50; tries++) {
      for (let i = 0; i < size; i++) xNew[i] = x[i]! + t * d[i]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * t * slope) break;
      t *= 0.5;
    }
    if (!(fNew < fx)) return { x, value: fx, iterations: iter, converged: true, losses }; // no progress possible
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      pairs.push({ s, y, rho: 1 / sy });
      if (pairs.length > history) pairs.shift();
    }
    const relative = (fx - fNew) / Math.max(Math.abs(fx), Math.abs(fNew), 1);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    losses.push(fx);
    if (relative <= ftol) return { x, value: fx, iterations: iter + 1, converged: true, losses };
  }
  return { x, value: fx, iterations: maxIter, converged: false, losses };
}
