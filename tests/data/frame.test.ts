import { test } from "node:test";
import assert from "node:assert/strict";
import { toDataFrame } from "../../lib/data/frame";

test("one row per record, one column per key; arrays joined with |", () => {
  const df = toDataFrame([
    { text: "a", label: 0, tags: ["B-PER", "O"] },
    { text: "b", label: 1, tags: ["O"] },
  ]);
  assert.deepEqual(df.shape, [2, 3]);
  assert.deepEqual(df.columns, ["text", "label", "tags"]);
  assert.deepEqual(df.column("tags").values, ["B-PER|O", "O"]);
});

test("an empty list is refused with a reason", () => {
  assert.throws(() => toDataFrame([]), /no records/);
});
