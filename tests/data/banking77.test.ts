import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseBanking77, parseBanking77Categories, loadBanking77 } from "../../lib/data/banking77";
import { DataFormatError } from "../../lib/data/errors";

const DIR = join(__dirname, "..", "fixtures", "data", "banking77");
const LABELS = ["card_arrival", "transaction_charged_twice", "top_up_limits"];

test("quoted texts with commas, quotes and CRLF newlines parse into one example each", async () => {
  const data = await loadBanking77({ dir: DIR, validation: 0 });
  assert.equal(data.train.length, 10);
  assert.ok(data.train.some((e) => e.text === "my card\r\nhas not come yet" && data.labels[e.label] === "card_arrival"));
  assert.ok(data.test.some((e) => e.text === 'Is there a "cap" on adding money?'));
  assert.deepEqual(data.labels, LABELS);
});

test("validation is carved from train, stratified and seeded", async () => {
  const a = await loadBanking77({ dir: DIR, validation: 0.34, seed: 2 });
  const b = await loadBanking77({ dir: DIR, validation: 0.34, seed: 2 });
  assert.deepEqual(a, b);
  // Per class: card_arrival 4 -> round(1.36) = 1; the two 3-example classes -> round(1.02) = 1 each.
  assert.equal(a.validation.length, 3);
  assert.equal(a.train.length + a.validation.length, 10);
  assert.deepEqual(new Set(a.validation.map((e) => e.label)).size, 3);
});

test("unknown category, missing column and empty text name file and line", () => {
  assert.throws(() => parseBanking77("text,category\nhi,card_arrival\nyo,open_account\n", LABELS, { file: "b.csv" }), (e: unknown) => e instanceof DataFormatError && e.line === 3 && /unknown label "open_account"/.test(e.message));
  assert.throws(() => parseBanking77("text,intent\nhi,card_arrival\n", LABELS, { file: "b.csv" }), /b\.csv:1: missing column\(s\) "category"/);
  assert.throws(() => parseBanking77('text,category\n"a\nb",card_arrival\n" ",card_arrival\n', LABELS, { file: "b.csv" }), /b\.csv:4: empty text/);
});

test("categories.json must be a non-empty array of distinct strings", () => {
  assert.deepEqual(parseBanking77Categories('["a","b"]'), ["a", "b"]);
  assert.throws(() => parseBanking77Categories('{"a":1}', { file: "c.json" }), /c\.json: expected a non-empty JSON array/);
  assert.throws(() => parseBanking77Categories('["a","a"]', { file: "c.json" }), /repeat/);
  assert.throws(() => parseBanking77Categories("[", { file: "c.json" }), /c\.json: invalid JSON/);
});
