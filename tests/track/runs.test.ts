// The run registry (lib/track/runs.ts) and `course runs list | show | compare` over run folders the trainer wrote.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { train, type TrainingTask } from "../../lib/train";
import { configDifferences, eventFiles, findRun, listRuns, readMetricsLog, runMetrics, runSeries } from "../../lib/track";

const ROOT = join(__dirname, "..", "..");
let root: string;

/** Fits y = 2x with learning rate `lr`, logging into `outDir`. */
function fit(outDir: string, lr: number, steps: number): void {
  const w = tf.variable(tf.scalar(0));
  const task: TrainingTask<null> = {
    params: new Map([["w.weight", w]]),
    nextBatch: () => null,
    loss: () => tf.square(tf.sub(tf.mul(w, 3), 6)) as tf.Scalar,
    evaluate: () => ({ error: Math.abs((w.dataSync()[0] as number) - 2) }),
  };
  train(task, { steps, lr, warmupSteps: 0, evalEvery: 2, outDir, run: { experiment: "line", lr } });
  w.dispose();
}

before(async () => {
  await initBackend({ backend: "wasm" });
  root = mkdtempSync(join(tmpdir(), "track-runs-"));
  fit(join(root, "sweep", "lr-0.1"), 0.1, 4);
  fit(join(root, "sweep", "lr-0.01"), 0.01, 4);
  fit(join(root, "other"), 0.05, 2);
  mkdirSync(join(root, "not-a-run"));
});

function course(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), ...args], { encoding: "utf8", env: { ...process.env, COURSE_BACKEND: "wasm" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("listRuns finds every run folder, oldest first, with steps, evaluations and event files", () => {
  const runs = listRuns(root);
  assert.deepEqual(runs.map((r) => r.name), ["sweep/lr-0.1", "sweep/lr-0.01", "other"]);
  const first = runs[0]!;
  assert.deepEqual(first.steps.map((s) => s.step), [1, 2, 3, 4]);
  assert.deepEqual(first.evaluations.map((e) => e.step), [2, 4]);
  assert.equal(first.eventFiles.length, 1);
  assert.equal(first.kind, "train");
  assert.deepEqual(runSeries(first, "eval/error").x, [2, 4]);
  assert.ok(runMetrics(first).includes("loss") && runMetrics(first).includes("eval/error"));
  assert.deepEqual(configDifferences(runs).map((d) => d.key), ["run.lr", "trainer.lr", "trainer.steps"]);
  assert.throws(() => listRuns(join(root, "missing")), /missing: no such folder; pass the folder that holds your runs with --dir/);
});

test("findRun takes a folder, a name under the root or a unique last part; otherwise it lists the runs", () => {
  assert.equal(findRun("sweep/lr-0.1", root).name, "sweep/lr-0.1");
  assert.equal(findRun("lr-0.01", root).name, "sweep/lr-0.01");
  assert.equal(findRun(join(root, "other"), "/nowhere").dir, join(root, "other"));
  assert.throws(() => findRun("lr-1", root), /run "lr-1" not found under .* \(runs: sweep\/lr-0\.1, sweep\/lr-0\.01, other\)/);
  assert.throws(() => findRun(join(root, "not-a-run"), root), /not found/);
});

test("a torn last line of metrics.jsonl (a killed run) is left out; a damaged line elsewhere names file:line", () => {
  const dir = join(root, "torn");
  mkdirSync(dir);
  writeFileSync(join(dir, "metrics.jsonl"), '{"step":1,"loss":2}\n{"step":2,"lo');
  assert.deepEqual(readMetricsLog(join(dir, "metrics.jsonl")).steps, [{ step: 1, loss: 2 }]);
  appendFileSync(join(dir, "metrics.jsonl"), '\n{"step":3,"loss":1}\n');
  assert.throws(() => readMetricsLog(join(dir, "metrics.jsonl")), /metrics\.jsonl:2: not JSON/);
});

test("course runs list / show / compare", () => {
  const list = course(["runs", "list", "--dir", root]);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split("\n");
  assert.match(lines[0] as string, /^run\s+kind\s+started\s+steps\s+final loss\s+min loss\s+eval\/error\s+events$/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ["sweep/lr-0.1", "sweep/lr-0.01", "other"]);
  assert.match(list.stderr, /course runs: left out .*torn: .*metrics\.jsonl:2: not JSON/, "a damaged run is named, the others listed");
  const json = course(["runs", "list", "--dir", root, "--json"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
  const lastLoss = readMetricsLog(join(root, "other", "metrics.jsonl")).steps.at(-1)?.loss;
  assert.equal(json[2]["final loss"], lastLoss);

  const show = course(["runs", "show", "lr-0.1", "--dir", root]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^sweep\/lr-0\.1 \(/);
  assert.match(show.stdout, /TensorBoard event files:\n  .*events\.out\.tfevents\.[^:]+: 11 events\n/, "version, config, weights at 0, 2 and 4, 4 steps, 2 evaluations");
  assert.match(show.stdout, /\nloss\s+4\s+36\s+28\.36\s+28\.36\s+36\s+4\n/);
  assert.match(show.stdout, new RegExp(`view: tensorboard --logdir ${join(root, "sweep", "lr-0.1", "tb").replace(/[.]/g, "\\.")}`));

  const html = join(root, "loss.html");
  const compare = course(["runs", "compare", "lr-0.1", "lr-0.01", "--dir", root, "--html", html]);
  assert.equal(compare.code, 0, compare.stderr);
  assert.match(compare.stdout, /config that differs:\nconfig\s+sweep\/lr-0\.1\s+sweep\/lr-0\.01\nrun\.lr\s+0\.1\s+0\.01\ntrainer\.lr\s+0\.1\s+0\.01/);
  assert.ok(existsSync(html) && readFileSync(html, "utf8").includes("Plotly.newPlot"));
  const missing = course(["runs", "compare", "lr-0.1", "--dir", root, "--html", html, "--metric", "eval/nope"]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /--metric eval\/nope: none of the runs has it \(they have: loss, lr, gradNorm, throughput, seconds, eval\/error\)/);
  // A damaged event file is named in `show`, which still reports the rest.
  const file = eventFiles(join(root, "other", "tb"))[0] as string;
  const bytes = readFileSync(file);
  bytes[bytes.length - 6] = (bytes[bytes.length - 6] as number) ^ 0xff;
  writeFileSync(file, bytes);
  const damaged = course(["runs", "show", "other", "--dir", root]);
  assert.equal(damaged.code, 0, damaged.stderr);
  assert.match(damaged.stdout, /\n  damaged: .*events\.out\.tfevents\.[^:]+: record at byte \d+: data CRC mismatch/);
  const unknown = course(["runs", "show", "nope", "--dir", root]);
  assert.match(unknown.stderr, /course: run "nope" not found/);
});
