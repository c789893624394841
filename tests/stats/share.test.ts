import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { shareByGroupOverTime } from "../../lib/stats/share";

const items = [
  { year: 2019, groups: ["A"] },
  { year: 2019, groups: ["A", "B"] },
  { year: 2019, groups: ["C"] },
  { year: 2020, groups: ["B"] },
  { year: 2020, groups: [] },
  { year: 2020, groups: ["D"] },
];

test("fractional counting splits a multi-group item and shares sum to 1 per year", () => {
  const t = shareByGroupOverTime(items, { minShare: 0 });
  assert.deepEqual(t.groups, ["A", "B", "C", "D"]); // A = 1.5, B = 1.5 (tie → alphabetical), C = 1, D = 1
  assert.equal(t.dropped, 1);
  assert.deepEqual(t.totals, [{ year: 2019, items: 3 }, { year: 2020, items: 2 }]);
  const get = (year: number, group: string) => t.rows.find((r) => r.year === year && r.group === group);
  assert.deepEqual(get(2019, "A"), { year: 2019, group: "A", count: 1.5, share: 0.5 });
  assert.deepEqual(get(2019, "B"), { year: 2019, group: "B", count: 0.5, share: 0.5 / 3 });
  assert.deepEqual(get(2020, "A"), { year: 2020, group: "A", count: 0, share: 0 });
  assert.equal(t.rows.length, 8);
});

test("small groups are pooled into Other and an unknown label keeps unknown items", () => {
  const t = shareByGroupOverTime(items, { topN: 2, otherLabel: "Rest", unknownLabel: "Unknown" });
  assert.deepEqual(t.groups, ["A", "B", "Rest"]);
  assert.deepEqual(t.pooled.sort(), ["C", "D", "Unknown"]);
  assert.equal(t.dropped, 0);
  const rest2020 = t.rows.find((r) => r.year === 2020 && r.group === "Rest");
  assert.deepEqual(rest2020, { year: 2020, group: "Rest", count: 2, share: 2 / 3 });
});

test("full weighting counts each group once per item", () => {
  const t = shareByGroupOverTime([{ year: 1, groups: ["A", "B"] }, { year: 1, groups: ["A"] }], { weighting: "full", minShare: 0 });
  assert.deepEqual(t.rows, [{ year: 1, group: "A", count: 2, share: 1 }, { year: 1, group: "B", count: 1, share: 0.5 }]);
});

test("for any input, fractional shares of each year sum to 1 and counts sum to the kept items", () => {
  const item = fc.record({ year: fc.integer({ min: 2000, max: 2004 }), groups: fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 3 }) });
  fc.assert(fc.property(fc.array(item, { maxLength: 40 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (xs, minShare) => {
    const t = shareByGroupOverTime(xs, { minShare });
    for (const { year, items: n } of t.totals) {
      const rows = t.rows.filter((r) => r.year === year);
      assert.ok(Math.abs(rows.reduce((s, r) => s + r.share, 0) - 1) < 1e-9);
      assert.ok(Math.abs(rows.reduce((s, r) => s + r.count, 0) - n) < 1e-9);
    }
    assert.equal(t.totals.reduce((s, r) => s + r.items, 0) + t.dropped, xs.length);
  }));
});
