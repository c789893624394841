import { test } from "node:test";
import assert from "node:assert/strict";
import { cleanOosSplit, compareOosSplits, normalizeUtterance, publishedOosSplit } from "../../lib/apps/oos-split";
import { BANKING77_OOS_HELD_OUT, BANKING77_OOS_IN_SCOPE, loadBanking77OosFiles, parseOosLines, type Banking77OosFiles } from "../../lib/data/banking77-oos";
import { loadBanking77 } from "../../lib/data/banking77";
import type { ClassificationData } from "../../lib/data/examples";
import { defaultMirrorRoot } from "../../lib/data/registry";

// A hand-made Banking77 of five queries (two in-scope intents, one held out) and published files whose test block is
// shifted by one line, as BANKING77-OOS's are.
const labels = [...BANKING77_OOS_IN_SCOPE, ...BANKING77_OOS_HELD_OUT];
const id = (l: string) => labels.indexOf(l);
const banking77: ClassificationData = {
  labels,
  train: [{ text: "Where is my card?", label: id("card_arrival") }, { text: "How do I change my PIN?", label: id("change_pin") }, { text: "My PIN is blocked", label: id("pin_blocked") }],
  validation: [{ text: "Card still not here", label: id("card_arrival") }],
  test: [{ text: "when will my card come", label: id("card_arrival") }, { text: "new pin please", label: id("change_pin") }, { text: "pin got blocked", label: id("pin_blocked") }],
};
const lines = (folder: string, rows: [string, string][]) => parseOosLines(folder, rows.map((r) => r[0]).join("\n") + "\n", rows.map((r) => r[1]).join("\n") + "\n");
const files: Banking77OosFiles = {
  train: lines("train", [["where is my card?", "card_arrival"], ["how do i change my pin?", "change_pin"]]),
  validation: lines("valid", [["card still not here", "card_arrival"]]),
  test: lines("test", [["when will my card come", "card_arrival"], ["pin got blocked", "change_pin"]]), // shifted: a held-out query labelled change_pin
  idOos: { train: lines("id-oos/train", [["my pin is blocked", "pin_blocked"]]), validation: lines("id-oos/valid", [["", "pin_blocked"]]), test: lines("id-oos/test", [["new pin please", "pin_blocked"]]) },
  oodOos: { validation: lines("ood-oos/valid", [["what's the weather", "oos"]]), test: lines("ood-oos/test", [["play a song", "oos"]]) },
};

test("normalizeUtterance lower-cases and collapses whitespace, as BANKING77-OOS's texts are", () => {
  assert.equal(normalizeUtterance("  Where IS\tmy  card? "), "where is my card?");
});

test("compareOosSplits counts label disagreements, wrong-group lines and blanks per published file", () => {
  const rows = Object.fromEntries(compareOosSplits(banking77, files).map((r) => [r.folder, r]));
  assert.deepEqual(rows["test"], { folder: "test", lines: 2, labelDisagrees: 1, wrongGroup: 1, unmatched: 0 });
  assert.deepEqual(rows["id-oos/test"], { folder: "id-oos/test", lines: 1, labelDisagrees: 1, wrongGroup: 1, unmatched: 0 });
  assert.deepEqual(rows["train"], { folder: "train", lines: 2, labelDisagrees: 0, wrongGroup: 0, unmatched: 0 });
  assert.equal(rows["id-oos/valid"]?.unmatched, 1);
});

test("cleanOosSplit takes labels and groups from Banking77 and validation membership from the published files", () => {
  const clean = cleanOosSplit(banking77, files);
  assert.deepEqual(clean.test, [{ text: "when will my card come", label: BANKING77_OOS_IN_SCOPE.indexOf("card_arrival") }, { text: "new pin please", label: BANKING77_OOS_IN_SCOPE.indexOf("change_pin") }]);
  assert.deepEqual(clean.idOos.test, ["pin got blocked"]);
  assert.deepEqual(clean.validation.map((e) => e.text), ["Card still not here"]);
  assert.deepEqual(clean.train.map((e) => e.text), ["Where is my card?", "How do I change my PIN?"]);
  assert.deepEqual(clean.idOos.train, ["My PIN is blocked"]);
  assert.deepEqual(clean.oodOos, { validation: ["what's the weather"], test: ["play a song"] });
  const published = publishedOosSplit(files);
  assert.deepEqual(published.idOos.test, ["new pin please"]); // as published: the in-scope query counted as OOS
  assert.deepEqual(published.idOos.validation, []); // the blank line is dropped
  assert.throws(() => cleanOosSplit({ ...banking77, labels: labels.slice(1) }, files), /Banking77 has no intent "Refund_not_showing_up"/);
});

const skip = defaultMirrorRoot() === null ? "no dataset mirror: set COURSE_DATA_MIRROR to run it" : false;
test("on the mirror: the published files disagree with Banking77 exactly as SOURCE.md counts; the clean split has 40 test queries per intent", { skip }, async () => {
  const b = await loadBanking77();
  const f = await loadBanking77OosFiles();
  const rows = compareOosSplits(b, f).map((r) => [r.folder, r.labelDisagrees, r.wrongGroup]);
  assert.deepEqual(rows, [["train", 366, 145], ["valid", 58, 22], ["test", 143, 55], ["id-oos/train", 184, 136], ["id-oos/valid", 23, 20], ["id-oos/test", 64, 51]]);
  const clean = cleanOosSplit(b, f);
  assert.equal(clean.test.length, 2000);
  for (let k = 0; k < 50; k++) assert.equal(clean.test.filter((e) => e.label === k).length, 40);
  assert.equal(clean.idOos.test.length, 1080);
  assert.equal(clean.train.length + clean.validation.length + clean.idOos.train.length + clean.idOos.validation.length, 10003);
});
