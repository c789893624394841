// Share by group over time: per year, how many items each group has and what fraction of the year's items that is.
// Items may belong to several groups (a model by two organisations). With `fractional` weighting (the default,
// "fractional counting" in bibliometrics) each item contributes 1/k to each of its k groups, so a year's shares
// sum to 1; with `full` each group gets 1 and shares are "fraction of items involving the group" (may sum above 1).
// Small groups are pooled into an "Other" bucket.

/** One item to count: its year and its groups (empty = unknown). */
export interface GroupedItem {
  /** Integer year. */
  year: number;
  /** The item's groups (distinct). */
  groups: readonly string[];
}

/** Options for `shareByGroupOverTime`. */
export interface ShareOptions {
  /** Groups whose share of all items (all years) is below this go to "Other" (default 0.03). */
  minShare?: number;
  /** Keep at most this many groups by total count, the rest go to "Other" (default Infinity). */
  topN?: number;
  /** Label of the pooled small groups (default "Other"). */
  otherLabel?: string;
  /** `fractional` (default; shares sum to 1) or `full` (each group counts the item once). */
  weighting?: "fractional" | "full";
  /** Count items with no group under this label; `null` (default) drops them and reports `dropped`. */
  unknownLabel?: string | null;
}

/** Count and share of one group in one year. */
export interface ShareRow {
  /** The year. */
  year: number;
  /** A kept group or the "Other" label. */
  group: string;
  /** Weighted count (fractional counts may be non-integers). */
  count: number;
  /** count / number of items in that year. */
  share: number;
}

/** The result of `shareByGroupOverTime`. */
export interface ShareTable {
  /** One row per (year, group), zeros included, years ascending, groups in `groups` order. */
  rows: ShareRow[];
  /** Kept groups by total count descending, then the "Other" label if anything was pooled. */
  groups: string[];
  /** Items per year (after dropping unknowns). */
  totals: { year: number; items: number }[];
  /** Items dropped because they had no group (0 when `unknownLabel` is set). */
  dropped: number;
  /** The groups pooled into "Other". */
  pooled: string[];
}

/**
 * Counts items per year and group, and each group's share of its year.
 * @param items year and groups of each item
 * @param options `minShare`, `topN`, `otherLabel`, `weighting`, `unknownLabel`
 * @returns rows, the group order, per-year totals, dropped count and the pooled groups
 */
export function shareByGroupOverTime(items: readonly GroupedItem[], options: ShareOptions = {}): ShareTable {
  const { minShare = 0.03, topN = Infinity, otherLabel = "Other", weighting = "fractional", unknownLabel = null } = options;
  let dropped = 0;
  const kept: GroupedItem[] = [];
  for (const item of items) {
    if (item.groups.length > 0) kept.push(item);
    else if (unknownLabel !== null) kept.push({ year: item.year, groups: [unknownLabel] });
    else dropped++;
  }
  const weightOf = (item: GroupedItem): number => (weighting === "fractional" ? 1 / item.groups.length : 1);

  // Overall totals decide which groups stay visible.
  const overall = new Map<string, number>();
  for (const item of kept) for (const g of item.groups) overall.set(g, (overall.get(g) ?? 0) + weightOf(item));
  const ranked = [...overall.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const visible = new Set<string>();
  const pooled: string[] = [];
  ranked.forEach(([group, total], rank) => {
    if (rank < topN && total / Math.max(1, kept.length) >= minShare && group !== otherLabel) visible.add(group);
    else pooled.push(group);
  });
  const groups = ranked.map(([g]) => g).filter((g) => visible.has(g));
  if (pooled.length > 0) groups.push(otherLabel);

  const perYear = new Map<number, { items: number; counts: Map<string, number> }>();
  for (const item of kept) {
    let entry = perYear.get(item.year);
    if (!entry) perYear.set(item.year, (entry = { items: 0, counts: new Map() }));
    entry.items++;
    const w = weightOf(item);
    const seen = new Set<string>(); // with `full` weighting, two pooled groups of one item count "Other" once
    for (const g of item.groups) {
      const label = visible.has(g) ? g : otherLabel;
      if (weighting === "full" && seen.has(label)) continue;
      seen.add(label);
      entry.counts.set(label, (entry.counts.get(label) ?? 0) + w);
    }
  }
  const years = [...perYear.keys()].sort((a, b) => a - b);
  const rows: ShareRow[] = [];
  const totals: { year: number; items: number }[] = [];
  for (const year of years) {
    const entry = perYear.get(year)!; // `year` comes from perYear's keys
    totals.push({ year, items: entry.items });
    for (const group of groups) {
      const count = entry.counts.get(group) ?? 0;
      rows.push({ year, group, count, share: count / entry.items });
    }
  }
  return { rows, groups, totals, dropped, pooled };
}
