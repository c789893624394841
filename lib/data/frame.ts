/**
 * danfo.js DataFrame views for exploring a dataset in a notebook (`df.head()`, `df.groupby(...)`, value counts).
 * danfojs-node is loaded on first use: it pulls in tfjs, which the parsers themselves never need.
 */
import type { DataFrame } from "danfojs-node";

/** Flat row values danfo can hold; arrays become `|`-joined strings. */
type Cell = string | number | boolean | null;

/**
 * A DataFrame with one row per record and one column per key of the first record.
 * @param records plain objects (e.g. the examples a loader returns); array values are joined with `|`
 * @throws Error for an empty list (danfo cannot infer columns)
 */
export function toDataFrame(records: ReadonlyArray<{ readonly [key: string]: unknown }>): DataFrame {
  if (records.length === 0) throw new Error("toDataFrame: no records (an empty split?); nothing to show.");
  const rows = records.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]): [string, Cell] => [k, Array.isArray(v) ? v.join("|") : v === undefined ? null : (v as Cell)]),
    ),
  );
  // require, not import: keeps danfo (and tfjs) out of the load path of everything else in the library.
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  return new danfo.DataFrame(rows);
}
