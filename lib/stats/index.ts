// Statistics for the notebooks: trend fits with intervals, shares over time, multi-valued fields.
export { lnGamma, incompleteBeta, normalQuantile, studentTCdf, studentTQuantile } from "./student-t";
export { fitLinear, predictLinear } from "./regression";
export type { LinearFit, LinearFitOptions } from "./regression";
export { decimalYear } from "./dates";
export { fitExponentialTrend, trendValueAt } from "./trend";
export type { ExponentialTrend } from "./trend";
export { compareSlopes, compareExponentialTrendsAtBreak } from "./breakpoint";
export type { SlopeComparison, BreakPointComparison } from "./breakpoint";
export { shareByGroupOverTime } from "./share";
export type { GroupedItem, ShareOptions, ShareRow, ShareTable } from "./share";
export { splitMultiValued, explode } from "./explode";
export type { SplitOptions, Exploded } from "./explode";
export { completeCases } from "./missing";
export type { CompleteCases } from "./missing";
