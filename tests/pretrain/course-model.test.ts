// The course model's recipes: `bert` unchanged (its cache folder is a hash of the spec), `babyberta` beside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BABYBERTA_MODELS, budgetVocabSize, COURSE_MODELS, COURSE_RECIPES, courseCheckpointDir, DEFAULT_COURSE_RECIPE, ELECTRA_MODELS, MLM_MODELS, OBJECTIVE_RECIPES } from "../../lib/pretrain";

test("the default bert recipe is today's spec, so its cached checkpoint folder keeps its name", () => {
  assert.equal(COURSE_RECIPES.bert, COURSE_MODELS);
  for (const mode of ["quick", "full"] as const) {
    assert.deepEqual(Object.keys(COURSE_MODELS[mode]), ["preset", "vocabSize", "steps", "batchSize", "seqLength", "lr", "seed", "corpus"]);
  }
  assert.match(courseCheckpointDir("quick", COURSE_MODELS.quick), /course-quick-[0-9a-f]{8}$/);
  assert.notEqual(courseCheckpointDir("quick", BABYBERTA_MODELS.quick), courseCheckpointDir("quick", COURSE_MODELS.quick));
});

test("babyberta: time budget, always [MASK], no dropout, short inputs, cleaned larger corpus, budget-sized vocabulary", () => {
  for (const mode of ["quick", "full"] as const) {
    const spec = BABYBERTA_MODELS[mode];
    assert.equal(spec.replacement, "mask");
    assert.equal(spec.dropout, false);
    assert.equal(spec.cleanCorpus, true);
    assert.equal(spec.vocabSize, "budget");
    assert.ok((spec.budgetMinutes ?? 0) > 0);
    assert.ok(spec.seqLength < COURSE_MODELS[mode].seqLength, "shorter inputs than the bert recipe");
    assert.ok(spec.corpus.includes("gutenberg_english_more") && spec.corpus.includes("gutenberg_chinese"));
  }
});

test("budgetVocabSize: the alphabet plus one merge per 1,000 budget tokens, 2,000 to 12,000 merges", () => {
  assert.equal(budgetVocabSize(2, 6000), 5 + 6000 + 2000, "a two-minute budget gets the minimum");
  assert.equal(budgetVocabSize(60, 6000), 5 + 6000 + 7000, "an hour at 2,000 tokens/s: 7.2 M tokens");
  assert.equal(budgetVocabSize(600, 100), 5 + 100 + 12000, "capped");
  assert.equal(budgetVocabSize(60, 100, { tokensPerSecond: 4000 }), 5 + 100 + 12000);
});

test("the budgeted recipes: mlm and electra differ only in the objective and ELECTRA's rate (the grid's); CPU-minute budgets; every recipe has its own cache folder", () => {
  for (const mode of ["quick", "full"] as const) {
    const { recipe: a, objective, lr: mlmLr, ...mlm } = { ...MLM_MODELS[mode], objective: undefined };
    const { recipe: b, objective: electraObjective, lr: electraLr, ...electra } = ELECTRA_MODELS[mode];
    assert.deepEqual([a, b, objective, electraObjective, mlmLr, electraLr], ["mlm", "electra", undefined, "electra", 2e-3, 5e-4]);
    assert.deepEqual(mlm, electra);
    // The same rates as the objective comparison that chose them (`OBJECTIVE_RECIPES`, at the shared peak rate).
    const flags = OBJECTIVE_RECIPES["electra"]!(32, 128, mlmLr);
    assert.equal(flags[flags.indexOf("--lr") + 1], String(electraLr));
    for (const spec of [MLM_MODELS[mode], ELECTRA_MODELS[mode], BABYBERTA_MODELS[mode]]) {
      assert.equal(spec.budgetClock, "cpu");
      assert.equal(spec.cleanCorpus, true, "no task validation/test text");
      assert.equal(spec.limitAlphabet, 3000);
    }
  }
  assert.equal(MLM_MODELS.full.budgetMinutes, 60, "the issue's budget: 60 CPU-minutes");
  const dirs = Object.values(COURSE_RECIPES).flatMap((r) => [courseCheckpointDir("quick", r.quick), courseCheckpointDir("full", r.full)]);
  assert.equal(new Set(dirs).size, dirs.length);
  for (const mode of ["quick", "full"] as const) assert.ok(COURSE_RECIPES[DEFAULT_COURSE_RECIPE[mode]] !== undefined);
  assert.equal(DEFAULT_COURSE_RECIPE.quick, "bert", "the quick model every quick-mode number was measured on");
});
