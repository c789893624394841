// Complete cases: keep the rows where every needed field is known, and say how many were dropped for which field.

/** The result of `completeCases`. */
export interface CompleteCases<T> {
  /** Rows where every key is known (not null/undefined/NaN). */
  kept: T[];
  /** Number of rows dropped. */
  dropped: number;
  /** For each key, the number of rows where it is unknown (a row may count under several keys). */
  unknownBy: Record<string, number>;
}

/**
 * Keeps the rows whose fields `keys` are all known; `null`, `undefined` and `NaN` count as unknown (0 does not).
 * @param rows input rows
 * @param keys the fields an analysis needs
 * @returns kept rows, the dropped count and per-key unknown counts
 */
export function completeCases<T extends object, K extends keyof T & string>(rows: readonly T[], keys: readonly K[]): CompleteCases<T> {
  const unknownBy: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const kept: T[] = [];
  for (const row of rows) {
    let ok = true;
    for (const key of keys) {
      const v: unknown = row[key];
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
        unknownBy[key] = (unknownBy[key] ?? 0) + 1;
        ok = false;
      }
    }
    if (ok) kept.push(row);
  }
  return { kept, dropped: rows.length - kept.length, unknownBy };
}
