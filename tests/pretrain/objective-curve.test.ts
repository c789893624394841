// `objectiveCurve` end to end on a tiny grid (real `course pretrain` / `course finetune` children on Financial
// PhraseBank): the result's numbers are the runs' own (recomputed here from their predictions), a rerun skips every
// finished job, other settings in the same folder are refused, bad input fails before anything runs, and a failing
// job is reported, not thrown.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultMirrorRoot } from "../../lib/data";
import { objectiveCurve, type ObjectiveCurveOptions } from "../../lib/pretrain";

const skip = defaultMirrorRoot() === null ? "no dataset mirror: set COURSE_DATA_MIRROR to run it" : false;
let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "objective-curve-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** One objective, one budget of 1.2 CPU-seconds, one seed, 60 training sentences: seconds per child. */
const tiny = (out: string, extra: Partial<ObjectiveCurveOptions> = {}): ObjectiveCurveOptions => ({
  out, objectives: ["mlm"], minutes: [0, 0.02], tasks: ["fpb"], seeds: 1, corpus: ["financial_phrasebank"],
  vocabSize: 600, limitAlphabet: 100, seqLength: 16, batchSize: 4, jobs: 2,
  finetuneFlags: ["--train-limit", "60", "--epochs", "1", "--max-length", "24"], ...extra,
});

/** Accuracy recomputed from a run's `predictions.jsonl`. */
const accuracyOf = (dir: string): number => {
  const rows = readFileSync(join(dir, "predictions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { gold: string; predicted: string });
  return rows.filter((r) => r.gold === r.predicted).length / rows.length;
};

test("a tiny curve: a checkpoint, scratch and pretrained runs whose scores and paired difference come from their predictions; a rerun runs nothing", { skip }, async () => {
  const out = join(work, "curve");
  const lines: string[] = [];
  const progress: Array<[number, number]> = [];
  const result = await objectiveCurve({ ...tiny(out), log: (l) => lines.push(l), onProgress: (done, total) => progress.push([done, total]) });

  assert.deepEqual(result.failed, [], lines.join("\n"));
  assert.equal(result.pretrained.length, 1);
  const [pre] = result.pretrained;
  assert.equal(pre!.objective, "mlm");
  assert.equal(pre!.minutes, 0.02);
  assert.equal(pre!.dir, join(out, "pretrain", "mlm-0.02min"));
  assert.ok(pre!.steps >= 1 && pre!.trainSeconds > 0, `steps ${pre!.steps}, ${pre!.trainSeconds} s`);
  assert.ok(existsSync(join(pre!.dir, "model.safetensors")), "the checkpoint fine-tuning started from");

  assert.deepEqual(result.runs.map((r) => [r.task, r.objective, r.minutes, r.seed, r.metric]), [["fpb", "scratch", 0, 0, "accuracy"], ["fpb", "mlm", 0.02, 0, "accuracy"]]);
  for (const run of result.runs) {
    assert.equal(run.dir, join(out, "finetune", "fpb", run.objective === "scratch" ? "scratch" : "mlm-0.02min", "seed-0"));
    assert.equal(run.score, JSON.parse(readFileSync(join(run.dir, "metrics.json"), "utf8")).test.accuracy);
    assert.ok(Math.abs(run.score - accuracyOf(run.dir)) < 1e-12, "the score is the accuracy of the saved predictions");
  }
  const [scratch, mlm] = result.runs;
  assert.deepEqual(result.points.map((p) => [p.objective, p.minutes, p.scores, p.std]), [["scratch", 0, [scratch!.score], 0], ["mlm", 0.02, [mlm!.score], 0]]);
  assert.equal(result.points[1]!.pretrained, pre);
  assert.equal(result.points[0]!.comparison, null, "scratch is the reference");
  assert.equal(result.comparisons.length, 1);
  const c = result.comparisons[0]!;
  assert.ok(Math.abs(c.delta.value - (accuracyOf(mlm!.dir) - accuracyOf(scratch!.dir))) < 1e-12, "δ = pretrained − scratch on the same test set");
  assert.ok(c.delta.low <= c.delta.value && c.delta.value <= c.delta.high);
  assert.ok(c.pBootstrap >= 0 && c.pBootstrap <= 1);
  assert.equal(c.mcnemar.length, 1);
  assert.deepEqual(progress.at(-1), [3, 3], "one pretraining and two fine-tunings");
  assert.equal(lines.filter((l) => l.startsWith("start ")).length, 3);

  const saved = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  assert.deepEqual(Object.keys(saved), ["date", "settings", "pretrained", "runs", "comparisons"]);
  assert.deepEqual(saved.runs, result.runs);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(out, "settings.json"), "utf8"))), ["corpus", "script", "vocab", "limitAlphabet", "preset", "seqLength", "batchSize", "pretrainLr", "pretrainSeed", "threads", "finetuneFlags", "taskFlags"]);

  // The rerun finds every marker and starts nothing; the numbers are the same.
  const marker = join(mlm!.dir, "metrics.json");
  const written = statSync(marker).mtimeMs;
  const again: string[] = [];
  const rerun = await objectiveCurve({ ...tiny(out), log: (l) => again.push(l) });
  assert.deepEqual(again.filter((l) => l.startsWith("start ")), []);
  assert.equal(statSync(marker).mtimeMs, written);
  assert.deepEqual(rerun.runs, result.runs);
  assert.deepEqual(rerun.comparisons, result.comparisons);

  // Other settings in the same folder are refused, naming the setting and the way out.
  await assert.rejects(objectiveCurve(tiny(out, { vocabSize: 700 })), /settings\.json: this folder's runs were made with vocab = 600, this run asks for 700; use another --out/);
  await assert.rejects(objectiveCurve(tiny(out, { finetuneFlags: ["--epochs", "2"] })), /made with finetuneFlags = /);

  // A checkpoint pretrained elsewhere (here: the same folder under another budget) is fine-tuned and compared too.
  const elsewhere = await objectiveCurve({ ...tiny(out), checkpoints: [{ objective: "mlm", minutes: 60, dir: pre!.dir }] });
  assert.deepEqual(elsewhere.failed, []);
  assert.deepEqual(elsewhere.pretrained.map((p) => [p.objective, p.minutes, p.dir, p.steps]), [["mlm", 0.02, pre!.dir, pre!.steps], ["mlm", 60, pre!.dir, pre!.steps]]);
  const added = elsewhere.runs.find((r) => r.minutes === 60)!;
  assert.equal(added.dir, join(out, "finetune", "fpb", "mlm-60min", "seed-0"));
  assert.equal(added.score, mlm!.score, "the same checkpoint, seed and flags fine-tune to the same score");
  assert.equal(elsewhere.comparisons.length, 2);
  await assert.rejects(objectiveCurve({ ...tiny(out), checkpoints: [{ objective: "mlm", minutes: 0.02, dir: pre!.dir }] }), /two variants are named mlm-0\.02min/);
  const otherVocab = join(work, "other-vocab");
  cpSync(pre!.dir, otherVocab, { recursive: true });
  writeFileSync(join(otherVocab, "vocab.txt"), readFileSync(join(otherVocab, "vocab.txt"), "utf8").replace("[UNK]", "[unk]"));
  await assert.rejects(objectiveCurve({ ...tiny(out), checkpoints: [{ objective: "mlm", minutes: 5, dir: otherVocab }] }), /vocab\.txt differs from the curve's tokenizer/);
  await assert.rejects(objectiveCurve({ ...tiny(out), checkpoints: [{ objective: "mlm", minutes: 5, dir: join(work, "nowhere") }] }), /nowhere has no config\.json: give a model folder/);
  // Another folder under a label already fine-tuned: refused, not reported with the old run's score.
  const copy = join(work, "copy");
  cpSync(pre!.dir, copy, { recursive: true });
  await assert.rejects(objectiveCurve({ ...tiny(out), checkpoints: [{ objective: "mlm", minutes: 60, dir: copy }] }), /mlm-60min\/seed-0 was fine-tuned from .*mlm-0\.02min, this run gives .*copy for mlm-60min: use another OBJECTIVE:MINUTES label/);
  // A folder without its pretraining facts is refused before any job runs.
  rmSync(join(copy, "pretrain.json"));
  await assert.rejects(objectiveCurve({ ...tiny(out), checkpoints: [{ objective: "mlm", minutes: 7, dir: copy }] }), /has neither pretrain\.json .* nor course-model\.json/);
  assert.equal(existsSync(join(out, "finetune", "fpb", "mlm-7min")), false, "nothing ran");
});

test("an unknown objective, task or budget fails before anything is written", async () => {
  const out = join(work, "never");
  await assert.rejects(objectiveCurve(tiny(out, { objectives: ["mlm", "bogus"] })), /objective "bogus" is not a recipe \(have: mlm, babyberta, electra\)/);
  await assert.rejects(objectiveCurve(tiny(out, { tasks: ["imdb"] })), /unknown task "imdb"/);
  await assert.rejects(objectiveCurve(tiny(out, { minutes: [0, -1] })), /give non-negative CPU-minutes/);
  await assert.rejects(objectiveCurve(tiny(out, { seeds: 0 })), /at least 1 fine-tuning seed/);
  assert.equal(existsSync(out), false);
});

test("a fine-tuning that fails is logged and listed, not thrown, and leaves no run behind", { skip }, async () => {
  const out = join(work, "failing");
  const lines: string[] = [];
  const result = await objectiveCurve({ ...tiny(out, { minutes: [0], finetuneFlags: ["--epochs", "0"] }), log: (l) => lines.push(l) });
  assert.deepEqual(result.failed, ["finetune fpb scratch seed 0"]);
  assert.deepEqual(result.runs, []);
  assert.ok(lines.some((l) => /^FAILED \(exit 1; see .*seed-0\.log; rerun to retry\)/.test(l)), lines.join("\n"));
});
