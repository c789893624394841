// Break-point comparison: fit the trend separately before and after a date and test whether the slopes differ.
// The slopes come from independent fits with different residual variances, so the difference uses Welch's
// standard error √(se₁² + se₂²) with Welch–Satterthwaite degrees of freedom (Welch 1947) — the same recipe as
// Welch's two-sample t test, applied to two regression slopes.
import type { LinearFit, LinearFitOptions } from "./regression";
import { studentTCdf, studentTQuantile } from "./student-t";
import { fitExponentialTrend, type ExponentialTrend } from "./trend";

/** The difference of two independent slopes. */
export interface SlopeComparison {
  /** slope(after) - slope(before). */
  difference: number;
  /** √(se_before² + se_after²). */
  stdError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** difference / stdError. */
  t: number;
  /** Two-sided p-value of "the slopes are equal". */
  pValue: number;
  /** Confidence interval of the difference at `level`. */
  differenceCi: [number, number];
  /** Confidence level. */
  level: number;
}

/**
 * Compares the slopes of two independent linear fits (Welch).
 * @param before first fit
 * @param after second fit
 * @param options `level` of the difference interval (default 0.95)
 * @returns difference, its standard error, df, t, two-sided p-value, interval
 */
export function compareSlopes(before: LinearFit, after: LinearFit, options: LinearFitOptions = {}): SlopeComparison {
  const { level = 0.95 } = options;
  const v1 = before.slopeStdError ** 2;
  const v2 = after.slopeStdError ** 2;
  const difference = after.slope - before.slope;
  const stdError = Math.sqrt(v1 + v2);
  const df = (v1 + v2) ** 2 / (v1 ** 2 / before.df + v2 ** 2 / after.df);
  const t = difference / stdError;
  const pValue = 2 * (1 - studentTCdf(Math.abs(t), df));
  const q = studentTQuantile((1 + level) / 2, df);
  return { difference, stdError, df, t, pValue, differenceCi: [difference - q * stdError, difference + q * stdError], level };
}

/** Trends before and after a break, and their comparison. */
export interface BreakPointComparison {
  /** The break (decimal year); points with year < breakYear go before, the rest after. */
  breakYear: number;
  /** Trend fitted on the points before the break. */
  before: ExponentialTrend;
  /** Trend fitted on the points at or after the break. */
  after: ExponentialTrend;
  /** after.slope - before.slope in log10 units per year, with Welch test. */
  comparison: SlopeComparison;
}

/**
 * Fits exponential trends on each side of `breakYear` and compares their slopes.
 * @param years decimal years
 * @param values positive values
 * @param breakYear decimal year of the break (e.g. 2018 = 1 January 2018)
 * @param options `level` (default 0.95)
 * @returns both trends and the slope comparison; throws when a side has fewer than 3 points
 */
export function compareExponentialTrendsAtBreak(
  years: readonly number[], values: readonly number[], breakYear: number, options: LinearFitOptions = {},
): BreakPointComparison {
  const bx: number[] = [], by: number[] = [], ax: number[] = [], ay: number[] = [];
  years.forEach((year, i) => {
    const value = values[i];
    if (value === undefined) throw new RangeError(`compareExponentialTrendsAtBreak: ${years.length} years but ${values.length} values`);
    if (year < breakYear) { bx.push(year); by.push(value); } else { ax.push(year); ay.push(value); }
  });
  if (bx.length < 3 || ax.length < 3) {
    throw new RangeError(`compareExponentialTrendsAtBreak: ${bx.length} points before ${breakYear} and ${ax.length} after; need 3 on each side`);
  }
  const before = fitExponentialTrend(bx, by, options);
  const after = fitExponentialTrend(ax, ay, options);
  return { breakYear, before, after, comparison: compareSlopes(before.fit, after.fit, options) };
}
