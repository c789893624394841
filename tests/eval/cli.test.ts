import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model";
import { saveTaskCheckpoint, withHead } from "../../lib/tasks";
import { saveTokenizer } from "../../lib/text";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures", "data");
let work: string;
let checkpoint: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-evaluate-"));
  const tokenizerDir = join(work, "tokenizer");
  saveTokenizer(tinyTokenizer(), tokenizerDir);
  checkpoint = join(work, "sst2-model");
  const model = withHead("sequence", BertModel.init(tinyConfig(), new Rng(0)), 2, new Rng(1));
  saveTaskCheckpoint(checkpoint, model, { labels: ["negative", "positive"], tokenizerDir });
  model.dispose();
});

after(() => rmSync(work, { recursive: true, force: true }));

function evaluate(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), "evaluate", ...args], { env: { ...process.env, COURSE_BACKEND: "wasm", COURSE_DATA_OFFLINE: "1" }, encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.slice(-3000) };
}

test("course evaluate writes a JSON report: intervals, calibration, checklist, counterfactual, out-of-domain", () => {
  const out = join(work, "report.json");
  const r = evaluate(["--model", checkpoint, "--task", "sst2", "--data-dir", join(FIXTURES, "sst2"), "--checklist", "--calibration", "--ood", "fpb", "--ood-data-dir", join(ROOT, "tests", "fixtures", "eval", "financial_phrasebank"), "--out", out, "--samples", "200"]);
  assert.equal(r.code, 0, r.out);
  const report = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(report.task, "sst2");
  assert.deepEqual(report.labels, ["negative", "positive"]);
  assert.equal(report.test.examples, 2);
  assert.ok(report.test.accuracy.low <= report.test.accuracy.value && report.test.accuracy.value <= report.test.accuracy.high);
  assert.equal(report.test.accuracy.samples, 200);
  assert.ok(report.calibration.temperature.nllAfter <= report.calibration.temperature.nllBefore);
  assert.equal(report.calibration.before.bins.length, 15);
  const types = new Set(report.checklist.map((t: { type: string }) => t.type));
  assert.deepEqual([...types].sort(), ["DIR", "INV", "MFT"]);
  assert.ok(report.checklist.some((t: { name: string }) => /negation/.test(t.name)));
  assert.ok(report.counterfactual.tested > 0);
  assert.equal(report.ood.task, "fpb");
  assert.match(report.ood.mapping, /labels matched by name: negative, positive/);
  assert.match(r.out, /accuracy \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/);
  assert.deepEqual(readdirSync(work).filter((f) => f.includes(".tmp")), [], "no temp files left");
});

test("course evaluate refuses a model whose labels are not the task's, naming both; an empty --ood test set is named", () => {
  const empty = evaluate(["--model", checkpoint, "--task", "sst2", "--data-dir", join(FIXTURES, "sst2"), "--ood", "fpb", "--ood-data-dir", join(FIXTURES, "financial_phrasebank"), "--out", join(work, "y.json")]);
  assert.equal(empty.code, 1);
  assert.match(empty.out, /--ood fpb has no test examples in/);
  const r = evaluate(["--model", checkpoint, "--task", "fpb", "--data-dir", join(FIXTURES, "financial_phrasebank"), "--out", join(work, "x.json")]);
  assert.equal(r.code, 1);
  assert.match(r.out, /labels \(negative, positive\) are not task fpb's \(negative, neutral, positive\)/);
});
