import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countEpochUnknowns, epochAccessGroup, parseEpochTable, readEpochTable } from "../../lib/data/epoch";
import { DataFormatError } from "../../lib/data/errors";

const FIXTURES = join(__dirname, "..", "fixtures", "epoch");
const HEADER = "Model,Organization,Publication date,Domain,Parameters,Training compute (FLOP),Country (of organization),Model accessibility";

test("parses a notable-style table: trimmed names, numbers, dates, quoted multi-line cells, record lines", async () => {
  const text = await readFile(join(FIXTURES, "notable_mini.csv"), "utf-8");
  const t = parseEpochTable(text, "notable", { file: "notable_mini.csv" });
  assert.equal(t.models.length, 5);
  assert.deepEqual(t.absentColumns, []);
  const [lm, vision, chat, secret, open] = t.models;
  assert.equal(lm?.model, "Toy-LM Large"); // the trailing newline inside the quoted name is trimmed
  assert.equal(lm?.publicationDate, "2018-10-11");
  assert.equal(lm?.year, 2018);
  assert.equal(lm?.parameters, 340_000_000);
  assert.equal(lm?.trainingComputeFlop, 2.5e20);
  assert.equal(lm?.trainingCostUsd2023, 1500.5);
  assert.deepEqual(lm?.tasks, ["Language modeling", "Question answering"]);
  assert.equal(lm?.accessGroup, "Open weights");
  assert.deepEqual(t.models.map((m) => m.line), [2, 5, 6, 7, 8]); // record 1 spans lines 2–4
  assert.equal(open?.parameters, 7e9); // integers without ".0" parse too
  assert.equal(open?.accessGroup, "Open weights");
  assert.equal(secret?.accessGroup, "Unreleased");
  assert.equal(chat?.accessGroup, "API or hosted only");
  assert.equal(vision?.accessGroup, null);
});

test("unknown cells stay null or empty, never 0", async () => {
  const text = await readFile(join(FIXTURES, "notable_mini.csv"), "utf-8");
  const vision = parseEpochTable(text, "notable").models[1]!;
  assert.equal(vision.parameters, null);
  assert.equal(vision.trainingComputeFlop, null);
  assert.equal(vision.trainingCostUsd2023, null);
  assert.equal(vision.accessibility, null);
  assert.equal(vision.confidence, "Unknown"); // Epoch's own "Unknown" label is a value, not a blank
  const counts = countEpochUnknowns(parseEpochTable(text, "notable").models);
  assert.equal(counts.parameters, 2);
  assert.equal(counts.trainingComputeFlop, 1);
  assert.equal(counts.trainingCostUsd2023, 3);
  assert.equal(counts.accessibility, 1);
  assert.equal(counts.confidence, 1);
  assert.equal(counts.countries, 0);
});

test("multi-valued organisations and countries are exploded into distinct values", async () => {
  const text = await readFile(join(FIXTURES, "notable_mini.csv"), "utf-8");
  const [, vision, chat] = parseEpochTable(text, "notable").models;
  assert.deepEqual(vision?.organizations, ["Uni Beta", "Lab Alpha"]);
  assert.deepEqual(vision?.countries, ["Canada", "United States of America"]);
  assert.deepEqual(vision?.organizationCategories, ["Academia", "Industry"]);
  assert.deepEqual(chat?.countries, ["China"]); // "China,China": one country, counted once
  assert.deepEqual(chat?.organizationCategories, ["Industry"]);
  assert.deepEqual(chat?.domains, ["Language", "Multimodal"]);
});

test("readEpochTable reads <dir>/notable_ai_models.csv", async () => {
  const dir = await mkdtemp(join(tmpdir(), "epoch-"));
  try {
    await copyFile(join(FIXTURES, "notable_mini.csv"), join(dir, "notable_ai_models.csv"));
    const t = await readEpochTable(dir, "notable");
    assert.equal(t.models.length, 5);
    assert.equal(t.file, join(dir, "notable_ai_models.csv"));
    await assert.rejects(readEpochTable(dir, "frontier"), /frontier_ai_models\.csv/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a table without the optional columns parses, reporting them as absent", async () => {
  const text = await readFile(join(FIXTURES, "large_scale_mini.csv"), "utf-8");
  const t = parseEpochTable(text, "large_scale");
  assert.deepEqual(t.absentColumns, ["Training compute cost (2023 USD)", "Organization categorization"]);
  assert.equal(t.models[0]?.trainingCostUsd2023, null);
  assert.equal(t.models[0]?.trainingComputeFlop, 3e25);
  assert.equal(t.models[0]?.accessGroup, "API or hosted only");
});

test("bad input fails with file and line: missing column, non-number, bad date, unknown accessibility", () => {
  assert.throws(() => parseEpochTable("Model,Organization\nx,y\n", "notable", { file: "f.csv" }),
    (e: unknown) => e instanceof DataFormatError && /f\.csv:1: missing column\(s\) "Publication date"/.test(e.message));
  assert.throws(() => parseEpochTable(`${HEADER}\nm,o,2020-01-01,Language,lots,,US,\n`, "notable", { file: "f.csv" }),
    /f\.csv:2: column "Parameters" holds "lots"/);
  assert.throws(() => parseEpochTable(`${HEADER}\nm,o,2020/01/01,Language,,,US,\n`, "notable", { file: "f.csv" }), /f\.csv:2: "Publication date" is "2020\/01\/01"/);
  assert.throws(() => parseEpochTable(`${HEADER}\nm,o,2020-01-01,Language,,,US,Leaked\n`, "notable", { file: "f.csv" }), /f\.csv:2: .*"Leaked"/);
});

test("accessibility groups cover Epoch's categories", () => {
  assert.equal(epochAccessGroup("Open weights (restricted use)"), "Open weights");
  assert.equal(epochAccessGroup("Hosted access (no API)"), "API or hosted only");
  assert.equal(epochAccessGroup(null), null);
});
