// Multi-valued fields: one cell holding several values joined by a separator ("Google,DeepMind"), split and
// optionally deduplicated so a record counts once per distinct value.
import { trimFormatWhitespace } from "../text/format-whitespace";

/** Options for `splitMultiValued`. */
export interface SplitOptions {
  /** Separator between values (default ","; Epoch AI joins organisations and countries with a bare comma). */
  separator?: string;
  /** Keep each distinct value once, first occurrence first (default true: "USA,USA" is one country, not two). */
  unique?: boolean;
}

/**
 * Splits a multi-valued cell into non-empty values, each trimmed of ASCII spaces, tabs and line breaks only (a CSV
 * cell's U+00A0 or U+2028 is data, not padding: issue #11).
 * @param cell the raw cell; `null`/`undefined`/blank means unknown and gives `[]`
 * @param options `separator`, `unique`
 * @returns the values (empty when unknown)
 */
export function splitMultiValued(cell: string | null | undefined, options: SplitOptions = {}): string[] {
  const { separator = ",", unique = true } = options;
  if (cell === null || cell === undefined) return [];
  const values = cell.split(separator).map(trimFormatWhitespace).filter((v) => v.length > 0);
  return unique ? [...new Set(values)] : values;
}

/** One (record, value) pair of an exploded table. */
export interface Exploded<T> {
  /** The original record (shared, not copied). */
  record: T;
  /** One of the record's values. */
  value: string;
  /** 1 / (number of values of this record): the record's fractional weight, so its weights sum to 1. */
  weight: number;
}

/**
 * Explodes records on a multi-valued field: one output row per (record, value); records with no value are dropped
 * and counted.
 * @param records input records
 * @param values the values of one record (e.g. `r => r.countries`)
 * @returns `rows` (one per value, with fractional `weight`) and `dropped` (records without any value)
 */
export function explode<T>(records: readonly T[], values: (record: T) => readonly string[]): { rows: Exploded<T>[]; dropped: number } {
  const rows: Exploded<T>[] = [];
  let dropped = 0;
  for (const record of records) {
    const vs = values(record);
    if (vs.length === 0) {
      dropped++;
      continue;
    }
    for (const value of vs) rows.push({ record, value, weight: 1 / vs.length });
  }
  return { rows, dropped };
}
