// `course monitor` and `course recommend` from the command line: plumbing and error messages on a tiny random
// classifier and hand-written CSVs (the real data and model: README, "Applications").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model";
import { saveTaskCheckpoint, withHead } from "../../lib/tasks";
import { saveTokenizer } from "../../lib/text";
import { tinyConfig, tinyTokenizer, VOCAB } from "../tasks/helpers";

const ROOT = join(__dirname, "..", "..");
let work: string;
let checkpoint: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-monitor-"));
  const tokenizerDir = join(work, "tokenizer");
  saveTokenizer(tinyTokenizer(), tokenizerDir);
  checkpoint = join(work, "fpb-model");
  const model = withHead("sequence", BertModel.init(tinyConfig(), new Rng(0)), 3, new Rng(1));
  saveTaskCheckpoint(checkpoint, model, { labels: ["negative", "neutral", "positive"], tokenizerDir });
  model.dispose();
});

after(() => rmSync(work, { recursive: true, force: true }));

function course(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), ...args], { env: { ...process.env, COURSE_BACKEND: "wasm", COURSE_DATA_OFFLINE: "1" }, encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.slice(-4000) };
}

test("course monitor reads a Guardian-format CSV (month-only row repaired), scores it and prints the alerts; JSON on request", () => {
  const rng = new Rng(3);
  const words = VOCAB.filter((w) => /^[a-z]+$/.test(w));
  const rows = ["Time,Headlines"];
  for (let d = 0; d < 40; d++) {
    const day = new Date(Date.UTC(2020, 0, 1 + d));
    const stamp = `${day.getUTCDate()}-${day.toUTCString().slice(8, 11)}-20`;
    for (let i = 0; i < 5; i++) rows.push(`${stamp},${Array.from({ length: 4 }, () => words[rng.int(words.length)]).join(" ")}`);
  }
  rows.push("Feb-20,bad film");
  const csv = join(work, "guardian.csv");
  writeFileSync(csv, rows.join("\r\n") + "\r\n");
  const json = join(work, "monitor.json");
  const r = course(["monitor", "--model", checkpoint, "--in", csv, "--baseline-days", "20", "--json", json]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /guardian\.csv: 201 headlines \(dropped 0 empty rows, 0 month-only rows; repaired 1 month-only dates to the 1st/);
  assert.match(r.out, /201 headlines on 40 days, 2020-01-01 – 2020-02-09; baseline \(soft negative share, first 20 days\) 0\.\d{3} ± 0\.\d{3}; CUSUM k = 0\.5, h = 4/);
  assert.match(r.out, /\d+ alert\(s\)/);
  const report = JSON.parse(readFileSync(json, "utf8"));
  assert.equal(report.days.length, 40);
  assert.equal(report.days[31].date, "2020-02-01");
  assert.equal(report.days[31].n, 6, "the month-only row joined the 1st");
  const sampled = course(["monitor", "--model", checkpoint, "--in", csv, "--baseline-days", "10", "--from", "2020-01-05", "--sample", "120"]);
  assert.equal(sampled.code, 0, sampled.out);
  assert.match(sampled.out, /scoring a seeded sample of 120 headlines/);
});

test("course monitor: a bad date names file and line; a bad option or a short stream says what to do", () => {
  const bad = join(work, "bad.csv");
  writeFileSync(bad, "date,headline\n2020-01-01,fine\n2020-13-01,broken\n");
  const r = course(["monitor", "--model", checkpoint, "--in", bad]);
  assert.equal(r.code, 1);
  assert.match(r.out, /bad\.csv:3: cannot read the date "2020-13-01"/);
  const monthOnly = join(work, "month.csv");
  writeFileSync(monthOnly, "Time,Headlines\nJul-18,a\n");
  assert.match(course(["monitor", "--model", checkpoint, "--in", monthOnly, "--month-only", "error"]).out, /month\.csv:2: the date "Jul-18" has no day/);
  assert.match(course(["monitor", "--model", checkpoint, "--in", bad, "--series", "medium"]).out, /--series must be one of soft, hard/);
  const short = join(work, "short.csv");
  writeFileSync(short, "date,headline\n2020-01-01,good film\n2020-01-02,bad film\n");
  assert.match(course(["monitor", "--model", checkpoint, "--in", short]).out, /has 2 days with headlines; it needs more than the 60-day baseline window/);
});

test("course recommend needs exactly one of --user and --evaluate", () => {
  assert.match(course(["recommend"]).out, /pass --user ID or --evaluate \(one of them\)/);
  assert.match(course(["recommend", "--user", "1", "--evaluate"]).out, /pass --user ID or --evaluate/);
  assert.match(course(["recommend", "--user", "1", "--alpha", "2"]).out, /--alpha must be in \[0, 1\]/);
});
