// Student's t distribution: CDF through the regularized incomplete beta function, quantile by bisection.
// References: Abramowitz & Stegun 26.7.1 (t CDF via I_x(df/2, 1/2)); Numerical Recipes 3rd ed. §6.4
// (incomplete beta by Lentz's continued fraction); Lanczos (g = 7, n = 9) for ln Γ.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural log of the gamma function, Lanczos approximation (relative error below 1e-13 for x > 0).
 * @param x positive real
 * @returns ln Γ(x)
 */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma(${x}): x must be > 0`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection formula
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for I_x(a, b), modified Lentz (Numerical Recipes `betacf`); converges for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)); // even step
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)); // odd step
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b).
 * @param x in [0, 1]
 * @param a shape > 0
 * @param b shape > 0
 * @returns I_x(a, b) in [0, 1]
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x < 0 || x > 1 || Number.isNaN(x)) throw new RangeError(`incompleteBeta: x=${x} is outside [0, 1]`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // Use the continued fraction where it converges fast; otherwise the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
 * @param p probability in (0, 1)
 * @returns z with Φ(z) = p
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile(${p}): p must be in (0, 1)`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  let x: number;
  if (p < pLow || p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(p < pLow ? p : 1 - p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    if (p > 1 - pLow) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  return x;
}

/**
 * CDF of Student's t with `df` degrees of freedom: P(T ≤ t) = 1 - ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0 (A&S 26.7.1).
 * @param t the statistic
 * @param df degrees of freedom (> 0; need not be an integer, e.g. Welch–Satterthwaite)
 * @returns P(T ≤ t)
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf: df=${df} must be > 0`);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5); // P(T > |t|)
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t: the `t` with P(T ≤ t) = p. Bisection on `studentTCdf` to 1e-12 (the CDF is monotone, so
 * this cannot diverge); df = Infinity gives the normal quantile.
 * @param p probability in (0, 1), e.g. 0.975 for a two-sided 95% interval
 * @param df degrees of freedom (> 0)
 * @returns t_{p, df}
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p=${p} must be in (0, 1)`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df=${df} must be > 0`);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const target = upper ? p : 1 - p; // solve on the upper half, mirror at the end
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < target) hi *= 2; // bracket (Cauchy, df = 1: t_{0.9995} ≈ 636.6)
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < target) lo = mid;
    else hi = mid;
  }
  const t = 0.5 * (lo + hi);
  return upper ? t : -t;
}
