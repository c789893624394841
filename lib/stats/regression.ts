// Ordinary least squares for one predictor, y = a + b·x, with a Student-t confidence interval for the slope.
// Formulas: slope b = Sxy / Sxx, residual variance s² = SSE / (n - 2), se(b) = s / √Sxx (any regression textbook,
// e.g. Montgomery & Runger, "Applied Statistics and Probability for Engineers", §11.3–11.4).
import { studentTQuantile } from "./student-t";

/** The fitted line and its uncertainty. */
export interface LinearFit {
  /** Number of points used. */
  n: number;
  /** Intercept `a` in y = a + b·x. */
  intercept: number;
  /** Slope `b`. */
  slope: number;
  /** Standard error of the slope. */
  slopeStdError: number;
  /** Residual standard deviation s = √(SSE / (n - 2)). */
  residualStd: number;
  /** Coefficient of determination. */
  rSquared: number;
  /** Degrees of freedom of the residuals (n - 2). */
  df: number;
  /** Confidence level of `slopeCi`, e.g. 0.95. */
  level: number;
  /** Two-sided confidence interval for the slope: b ± t_{(1+level)/2, n-2} · se(b). */
  slopeCi: [number, number];
  /** Mean of x (where the fitted line's uncertainty is smallest). */
  xMean: number;
}

/** Options for `fitLinear`. */
export interface LinearFitOptions {
  /** Confidence level for the slope interval (default 0.95: the conventional 95% interval). */
  level?: number;
}

/**
 * Fits y = a + b·x by ordinary least squares.
 * @param x predictor values
 * @param y responses, same length as `x`
 * @param options `level` of the slope confidence interval
 * @returns the fit; throws when fewer than 3 points (no residual degrees of freedom) or x is constant
 */
export function fitLinear(x: readonly number[], y: readonly number[], options: LinearFitOptions = {}): LinearFit {
  const { level = 0.95 } = options;
  if (x.length !== y.length) throw new RangeError(`fitLinear: x has ${x.length} values but y has ${y.length}`);
  const n = x.length;
  if (n < 3) throw new RangeError(`fitLinear: ${n} points; need at least 3 for a slope interval`);
  if (!(level > 0 && level < 1)) throw new RangeError(`fitLinear: level=${level} must be in (0, 1)`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new RangeError(`fitLinear: point ${i} is (${x[i]}, ${y[i]}); drop non-finite values before fitting`);
    }
  }
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const xMean = sx / n;
  const yMean = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - xMean; // centred sums avoid cancellation when x is a year (~2000)
    const dy = y[i]! - yMean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError(`fitLinear: all ${n} x values equal ${xMean}; the slope is undefined`);
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  const sse = Math.max(0, syy - slope * sxy);
  const df = n - 2;
  const residualStd = Math.sqrt(sse / df);
  const slopeStdError = residualStd / Math.sqrt(sxx);
  const t = studentTQuantile((1 + level) / 2, df);
  const rSquared = syy === 0 ? 1 : 1 - sse / syy;
  return {
    n, intercept, slope, slopeStdError, residualStd, rSquared, df, level,
    slopeCi: [slope - t * slopeStdError, slope + t * slopeStdError],
    xMean,
  };
}

/**
 * Evaluates a fitted line.
 * @param fit from `fitLinear`
 * @param x where to evaluate
 * @returns a + b·x
 */
export function predictLinear(fit: Pick<LinearFit, "intercept" | "slope">, x: number): number {
  return fit.intercept + fit.slope * x;
}
