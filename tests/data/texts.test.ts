import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { datasetTexts } from "../../lib/data/texts";

const FIX = join(__dirname, "..", "fixtures", "data");

test("labelled datasets give train texts by default and every split on request", async () => {
  assert.deepEqual(await datasetTexts("sst2", { dir: join(FIX, "sst2") }), ["a warm , funny little film .", "slow and empty .", '"quoted" words stay .']);
  assert.equal((await datasetTexts("sst2", { dir: join(FIX, "sst2"), splits: "all" })).length, 6);
});

test("CoNLL sentences come back as space-joined tokens", async () => {
  const texts = await datasetTexts("conll2003", { dir: join(FIX, "conll2003") });
  assert.deepEqual(texts, ["Acme hires Dutch chefs .", "Maria Lindqvist", "OSLO 2024-01-02"]);
});

test("tables are refused with the list of text datasets", async () => {
  await assert.rejects(datasetTexts("movielens_ml_latest_small"), /no running text; text datasets are .*gutenberg_english_prose/);
});

test("the evaluation split is validation + test; unlabelled text has none", async () => {
  const all = await datasetTexts("sst2", { dir: join(FIX, "sst2"), splits: "all" });
  const train = await datasetTexts("sst2", { dir: join(FIX, "sst2") });
  const evaluation = await datasetTexts("sst2", { dir: join(FIX, "sst2"), splits: "evaluation" });
  assert.deepEqual([...train, ...evaluation], all);
  assert.deepEqual(await datasetTexts("gutenberg_english_prose", { dir: join(FIX, "gutenberg"), splits: "evaluation" }), []);
});
