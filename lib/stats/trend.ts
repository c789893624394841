// Exponential trends: fit log10(value) = a + b·year by OLS; b is "orders of magnitude per year".
// Doubling time = log10(2) / b years; growth per year = 10^b. The slope's Student-t interval maps to a doubling-time
// interval through the same monotone function (for b > 0): [log10(2)/b_hi, log10(2)/b_lo].
import { fitLinear, type LinearFit, type LinearFitOptions } from "./regression";

/** A fitted exponential trend and its doubling time. */
export interface ExponentialTrend {
  /** The OLS fit of log10(value) on decimal year. */
  fit: LinearFit;
  /** Orders of magnitude per year (the slope b of log10 value). */
  log10PerYear: number;
  /** Multiplicative growth per year, 10^b. */
  growthPerYear: number;
  /** Confidence interval of `growthPerYear` (10^ of the slope interval). */
  growthPerYearCi: [number, number];
  /** Doubling time in months, 12·log10(2)/b; `Infinity` when b ≤ 0 (no growth: it never doubles). */
  doublingMonths: number;
  /**
   * Confidence interval of the doubling time in months. When the slope interval reaches 0 or below, the upper end
   * is `Infinity` (the data cannot rule out "no growth").
   */
  doublingMonthsCi: [number, number];
}

const MONTHS_PER_DOUBLING_PER_LOG10 = 12 * Math.log10(2); // months to double at 1 order of magnitude per year

function doublingFromSlope(b: number): number {
  return b > 0 ? MONTHS_PER_DOUBLING_PER_LOG10 / b : Infinity;
}

/**
 * Fits an exponential trend value ≈ 10^(a + b·year).
 * @param years decimal years (see `decimalYear`)
 * @param values positive values (parameters, FLOP, dollars); throws on a value ≤ 0, naming its index
 * @param options `level` of the intervals (default 0.95)
 * @returns the trend, its doubling time and intervals
 */
export function fitExponentialTrend(years: readonly number[], values: readonly number[], options: LinearFitOptions = {}): ExponentialTrend {
  const logs = values.map((v, i) => {
    if (!(v > 0)) throw new RangeError(`fitExponentialTrend: value ${i} is ${v}; a log-linear fit needs positive values (drop unknowns first)`);
    return Math.log10(v);
  });
  const fit = fitLinear(years, logs, options);
  const [lo, hi] = fit.slopeCi;
  return {
    fit,
    log10PerYear: fit.slope,
    growthPerYear: 10 ** fit.slope,
    growthPerYearCi: [10 ** lo, 10 ** hi],
    doublingMonths: doublingFromSlope(fit.slope),
    doublingMonthsCi: [doublingFromSlope(hi), doublingFromSlope(lo)],
  };
}

/**
 * The trend's fitted value at a (decimal) year.
 * @param trend from `fitExponentialTrend`
 * @param year decimal year
 * @returns 10^(a + b·year)
 */
export function trendValueAt(trend: ExponentialTrend, year: number): number {
  return 10 ** (trend.fit.intercept + trend.fit.slope * year);
}
