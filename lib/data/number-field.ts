/**
 * Numbers in text cells, read by the decimal grammar the files use — not by `Number()`, which trims JavaScript's
 * Unicode whitespace first, so `Number("\u00a0")`, `Number("\u2028")` and `Number(" ")` are all 0.
 */

/** Optional sign, digits with an optional fraction (or a bare fraction), optional exponent: `-3`, `2.5`, `.5`, `1.2e+24`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number a cell spells, or undefined when it is not a plain decimal number (empty, `0x10`, `Infinity`,
 * `1,000`, or any whitespace — ASCII or not — around or inside it).
 */
export function parseNumberField(raw: string): number | undefined {
  return DECIMAL.test(raw) ? Number(raw) : undefined;
}
