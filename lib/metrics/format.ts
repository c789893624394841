/**
 * Fixed-point formatting as C's printf (perl's `%6.2f`, Python's `{:.2f}`): correctly rounded, and an exact tie
 * (0.625 is exactly representable) rounds to the even digit — "0.62", where JS `toFixed` gives "0.63".
 */

/** `x` with `digits` decimals as C's printf rounds it: correctly rounded, exact ties to even. */
export function printfFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits); // correctly rounded, but an exact tie goes away from zero
  const exact = x.toFixed(Math.min(100, digits + 40)); // doubles in conlleval's range (0..100) end long before this
  const dot = exact.indexOf(".");
  if (dot < 0 || !/^50*$/.test(exact.slice(dot + 1 + digits))) return rounded;
  const truncated = exact.slice(0, dot + 1 + digits);
  const lastDigit = Number(truncated[truncated.length - 1 - (digits === 0 ? 1 : 0)]);
  if (lastDigit % 2 === 1) return rounded; // odd: rounding away from zero lands on even
  return digits === 0 ? truncated.slice(0, -1) : truncated;
}

