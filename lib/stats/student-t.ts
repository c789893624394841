// Student's t (and the normal quantile it tends to), through stdlib-js's distribution packages (`@stdlib/*`, Boost
// ports, Apache-2.0; why these: README, "Dependencies"). This file only names the functions the way the course does
// and turns stdlib's NaN for an argument out of range into an error that names the argument.
import betainc from "@stdlib/math-base-special-betainc";
import gammaln from "@stdlib/math-base-special-gammaln";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileOf from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/**
 * Natural log of the gamma function (stdlib's `gammaln`, a port of Boost's).
 * @param x positive real
 * @returns ln Γ(x)
 * @throws RangeError when x is not > 0
 */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma(${x}): x must be > 0`);
  return gammaln(x);
}

/**
 * Regularized incomplete beta function I_x(a, b) (stdlib's `betainc`, a port of Boost's `ibeta`).
 * @param x in [0, 1]
 * @param a shape > 0
 * @param b shape > 0
 * @returns I_x(a, b) in [0, 1]
 * @throws RangeError when x is outside [0, 1] or a shape is not > 0
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x < 0 || x > 1 || Number.isNaN(x)) throw new RangeError(`incompleteBeta: x=${x} is outside [0, 1]`);
  if (!(a > 0 && b > 0)) throw new RangeError(`incompleteBeta: shapes a=${a}, b=${b} must be > 0`);
  return betainc(x, a, b);
}

/**
 * Standard normal quantile Φ⁻¹(p) (stdlib's, through the inverse error function).
 * @param p probability in (0, 1)
 * @returns z with Φ(z) = p
 * @throws RangeError when p is not in (0, 1)
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile(${p}): p must be in (0, 1)`);
  return normalQuantileOf(p, 0, 1);
}

/**
 * CDF of Student's t with `df` degrees of freedom, P(T ≤ t); df = Infinity gives the standard normal CDF.
 * @param t the statistic (±Infinity give 0 and 1; NaN gives NaN)
 * @param df degrees of freedom (> 0; need not be an integer, e.g. Welch–Satterthwaite)
 * @returns P(T ≤ t)
 * @throws RangeError when df is not > 0
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: df=${df} must be > 0`);
  if (df === Infinity) return normalCdf(t, 0, 1); // stdlib's t CDF gives 0.5 there, whatever t is
  return tCdf(t, df);
}

/**
 * Quantile of Student's t: the `t` with P(T ≤ t) = p; df = Infinity gives the normal quantile.
 * @param p probability in (0, 1), e.g. 0.975 for a two-sided 95% interval
 * @param df degrees of freedom (> 0)
 * @returns t_{p, df}
 * @throws RangeError when p is not in (0, 1) or df is not > 0
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p=${p} must be in (0, 1)`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df=${df} must be > 0`);
  if (df === Infinity) return normalQuantile(p); // stdlib's t quantile gives NaN there
  return tQuantile(p, df);
}
