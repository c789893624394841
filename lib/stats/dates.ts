// Dates as decimal years: the x axis of every trend fit (slopes are then "per year").

/**
 * Converts a date to a decimal year: 2020-07-02 → 2020.5 (day of year / days in that year, UTC).
 * @param date an ISO `YYYY-MM-DD` string or a `Date`
 * @returns the decimal year; throws on an unparseable string, naming it
 */
export function decimalYear(date: string | Date): number {
  const d = typeof date === "string" ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  if (Number.isNaN(d.getTime())) throw new RangeError(`decimalYear: "${String(date)}" is not a YYYY-MM-DD date`);
  const year = d.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  return year + (d.getTime() - start) / (end - start);
}
