import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { loadTokenizer } from "../../lib/text";
import { defaultFinetuneLr, loadTaskCheckpoint, toConll } from "../../lib/tasks";
import { classifierPredictor } from "../../lib/eval";
import { saveTinyBaseCheckpoint, tinyTokenizer } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures", "data");
let work: string;
let checkpoint: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  ({ work, checkpoint } = saveTinyBaseCheckpoint("llm-course-finetune-"));
});

after(() => rmSync(work, { recursive: true, force: true }));

function finetune(args: string[]): { code: number | null; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), "finetune", "--quiet", "--epochs", "2", "--batch", "2", ...args], {
    env: { ...process.env, COURSE_BACKEND: "wasm", COURSE_DATA_OFFLINE: "1" },
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.slice(-3000), stdout: r.stdout };
}

test("course finetune (sst2 fixture): metrics.json with both splits' scores, predictions.jsonl with probabilities", () => {
  const out = join(work, "sst2");
  const r = finetune(["--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", out, "--seed", "3"]);
  assert.equal(r.code, 0, r.out);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.equal(metrics.task, "sst2");
  assert.equal(metrics.seed, 3);
  assert.deepEqual(metrics.splits, { train: 3, validation: 1, test: 2 });
  assert.deepEqual(metrics.epochs.map((e: { epoch: number }) => e.epoch), [1, 2]);
  for (const split of [metrics.validation, metrics.test]) assert.ok(split.accuracy >= 0 && split.accuracy <= 1 && "macroF1" in split);
  for (const key of ["accuracy", "macroF1"]) {
    const ci = metrics.testIntervals[key];
    assert.ok(ci.value === metrics.test[key] && ci.low <= ci.value && ci.value <= ci.high && ci.method === "percentile", `testIntervals.${key}`);
  }
  assert.match(metrics.backend, /WebAssembly/);
  assert.ok(metrics.wallSeconds.total > 0 && metrics.config.padding === "longest");
  assert.equal(metrics.config.lr, 1e-3, "no --lr: the default for a model 16 wide");
  assert.deepEqual(metrics.model.initialized, [], "a complete checkpoint: nothing drawn fresh");
  const lines = readFileSync(join(out, "predictions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.deepEqual(lines.map((l) => [l.text, l.gold]), [["bad .", "negative"], ["great .", "positive"]]);
  for (const l of lines) {
    const total = Object.values(l.probabilities as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-4);
    assert.equal(l.predicted, Object.entries(l.probabilities as Record<string, number>).sort((a, b) => b[1] - a[1])[0]![0]);
  }
  assert.deepEqual(readdirSync(out).sort(), ["metrics.json", "metrics.jsonl", "predictions.jsonl", "run.json", "tb"], "no temp files left");
  // The trainer's record of the run: its step log, its config, and one TensorBoard event file.
  assert.equal(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").filter((l) => !l.includes('"eval"')).length, metrics.steps);
  const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
  assert.deepEqual([run.run.task, run.run.seed, run.run.peft], ["sst2", 3, null]);
  assert.equal(readdirSync(join(out, "tb")).filter((f) => f.startsWith("events.out.tfevents.")).length, 1);
});

test("course finetune (conll2003 fixture): predictions.conll is conlleval's `token gold predicted` format", () => {
  const out = join(work, "conll");
  const r = finetune(["--task", "conll2003", "--from", checkpoint, "--data-dir", join(FIXTURES, "conll2003"), "--out", out, "--lr", "3e-4"]);
  assert.equal(r.code, 0, r.out);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.equal(metrics.config.lr, 3e-4);
  assert.deepEqual(metrics.labels, ["O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PER", "I-PER"]);
  for (const key of ["f1", "precision", "recall", "tokenAccuracy"]) assert.ok(key in metrics.test && key in metrics.validation, key);
  for (const key of ["f1", "precision", "recall"]) assert.ok(Math.abs(metrics.testIntervals[key].value - metrics.test[key]) < 1e-12 && metrics.testIntervals[key].confidence === 0.95, `testIntervals.${key}`);
  const conll = readFileSync(join(out, "predictions.conll"), "utf8");
  const blocks = conll.replace(/\n$/, "").split("\n\n");
  assert.equal(blocks.length, 1, "the test fixture has one sentence");
  const rows = (blocks[0] as string).split("\n").map((l) => l.split(" "));
  assert.deepEqual(rows.map((c) => [c[0], c[1]]), [["Peru", "B-LOC"], ["draws", "O"], ["Chile", "B-LOC"], [".", "O"]]);
  for (const c of rows) assert.ok(c.length === 3 && metrics.labels.includes(c[2]), `row ${c.join(" ")}`);
  const jsonl = JSON.parse(readFileSync(join(out, "predictions.jsonl"), "utf8").trim());
  assert.deepEqual(jsonl.predicted, rows.map((c) => c[2]));
});

test("toConll: blank line between sentences; whitespace inside a token is refused", () => {
  const text = toConll([{ words: ["EU", "rejects"], gold: ["B-ORG", "O"], predicted: ["B-ORG", "O"] }, { words: ["Peru"], gold: ["B-LOC"], predicted: ["O"] }]);
  assert.equal(text, "EU B-ORG B-ORG\nrejects O O\n\nPeru B-LOC O\n");
  assert.throws(() => toConll([{ words: ["New York"], gold: ["B-LOC"], predicted: ["O"] }]), /holds a space, tab or line break/);
  // Issue #11 part 1: the columns are ASCII-space separated, so a token holding U+00A0 or U+2028 is written as is.
  assert.equal(toConll([{ words: ["New\u00a0York", "\u2028"], gold: ["B-LOC", "O"], predicted: ["B-LOC", "O"] }]), "New\u00a0York B-LOC B-LOC\n\u2028 O O\n");
});

test("course finetune --save-model writes OUT/model, which reloads and reproduces predictions.jsonl", () => {
  const out = join(work, "sst2-saved");
  const r = finetune(["--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", out, "--save-model"]);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(readdirSync(out).sort(), ["metrics.json", "metrics.jsonl", "model", "predictions.jsonl", "run.json", "tb"]);
  const { model, labels } = loadTaskCheckpoint(join(out, "model"));
  try {
    assert.deepEqual(labels, ["negative", "positive"]);
    const lines = readFileSync(join(out, "predictions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { text: string; probabilities: Record<string, number> });
    const probs = classifierPredictor(model, loadTokenizer(join(out, "model"))).predict(lines.map((l) => l.text));
    lines.forEach((l, i) => labels.forEach((label, k) => assert.ok(Math.abs(probs[i]![k]! - l.probabilities[label]!) < 1e-5, `${l.text} ${label}`)));
  } finally {
    model.dispose();
  }
});

test("course finetune --from scratch copies the checkpoint's config; a bad task or folder fails naming it", () => {
  const out = join(work, "scratch");
  const r = finetune(["--task", "sst2", "--from", "scratch", "--tokenizer", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", out]);
  assert.equal(r.code, 0, r.out);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.equal(metrics.from, "scratch");
  assert.deepEqual([metrics.model.hiddenSize, metrics.model.numLayers, metrics.model.vocabSize], [16, 2, tinyTokenizer().vocabSize]);
  const bad = finetune(["--task", "mnli", "--from", checkpoint, "--out", join(work, "bad")]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /unknown task "mnli" \(have: fpb, fpb50, banking77, sst2, tnews, eprstmt, conll2003\)/);
  const missing = finetune(["--task", "sst2", "--from", join(work, "nowhere"), "--data-dir", join(FIXTURES, "sst2"), "--out", join(work, "bad")]);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /nowhere: no config\.json/);
  assert.ok(!existsSync(join(work, "bad", "metrics.json")));
});

test("the default fine-tuning rate follows the model's width: BERT-Tiny 1e-3, miniatures up to 512 1e-4, BERT-Base 3e-5", () => {
  assert.deepEqual([16, 128, 256, 512, 768, 1024].map(defaultFinetuneLr), [1e-3, 1e-3, 1e-4, 1e-4, 3e-5, 3e-5]);
});
