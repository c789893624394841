import { test } from "node:test";
import assert from "node:assert/strict";
import { explode, splitMultiValued } from "../../lib/stats/explode";
import { completeCases } from "../../lib/stats/missing";

test("trims only ASCII blanks: a no-break space or line separator inside a cell is data (issue #11)", () => {
  assert.deepEqual(splitMultiValued(" Google\u00a0DeepMind ,\u2028,\tOpenAI\r"), ["Google\u00a0DeepMind", "\u2028", "OpenAI"]);
});

test("splits, trims and deduplicates a comma-joined cell; blank is unknown", () => {
  assert.deepEqual(splitMultiValued("United States of America,United States of America, France"), ["United States of America", "France"]);
  assert.deepEqual(splitMultiValued("a;a", { separator: ";", unique: false }), ["a", "a"]);
  assert.deepEqual(splitMultiValued(""), []);
  assert.deepEqual(splitMultiValued(null), []);
  assert.deepEqual(splitMultiValued(" , "), []);
});

test("explode gives one row per value with weights summing to 1 per record, and counts records without values", () => {
  const records = [{ id: 1, orgs: ["Google", "DeepMind"] }, { id: 2, orgs: [] }, { id: 3, orgs: ["Meta"] }];
  const { rows, dropped } = explode(records, (r) => r.orgs);
  assert.equal(dropped, 1);
  assert.deepEqual(rows.map((r) => [r.record.id, r.value, r.weight]), [[1, "Google", 0.5], [1, "DeepMind", 0.5], [3, "Meta", 1]]);
});

test("completeCases keeps zero, drops null/undefined/NaN and counts unknowns per field", () => {
  const rows = [{ a: 0, b: 1 }, { a: null, b: 2 }, { a: NaN, b: null }, { a: 3, b: undefined }];
  const r = completeCases(rows, ["a", "b"]);
  assert.deepEqual(r.kept, [{ a: 0, b: 1 }]);
  assert.equal(r.dropped, 3);
  assert.deepEqual(r.unknownBy, { a: 2, b: 2 });
});
