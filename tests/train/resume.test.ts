// A run killed with SIGKILL and resumed from its last checkpoint reproduces the uninterrupted run's losses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = join(__dirname, "fixtures", "train-run.ts");

function run(outDir: string, args: string[], env: Record<string, string> = {}): { losses: Map<number, number>; signal: NodeJS.Signals | null } {
  const result = spawnSync(process.execPath, ["--import", "tsx", script, outDir, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0 && result.signal === null) throw new Error(`train-run failed:\n${result.stderr}`);
  const losses = new Map<number, number>();
  for (const line of result.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const { step, loss } = JSON.parse(line) as { step: number; loss: number };
    losses.set(step, loss);
  }
  return { losses, signal: result.signal };
}

/** The log without its timing fields (wall time differs between runs; everything else must not). */
const steps = (file: string) =>
  readFileSync(file, "utf8").trim().split("\n").map((l) => {
    const { throughput, seconds, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });

test("kill -9 at step 6, resume from the step-4 checkpoint: losses equal the uninterrupted run", () => {
  const root = mkdtempSync(join(tmpdir(), "resume-"));
  const full = run(join(root, "full"), ["10"]);
  assert.equal(full.losses.size, 10);

  const killed = run(join(root, "killed"), ["10"], { KILL_AT_STEP: "6" });
  assert.equal(killed.signal, "SIGKILL");
  assert.equal(killed.losses.size, 6);
  assert.ok(existsSync(join(root, "killed", "checkpoint", "state.json")));

  const resumed = run(join(root, "killed"), ["10", "--resume"]);
  assert.deepEqual([...resumed.losses.keys()], [5, 6, 7, 8, 9, 10], "resumes after the step-4 checkpoint");
  for (const [step, loss] of resumed.losses) assert.equal(loss, full.losses.get(step), `step ${step}`);

  // The metrics log of the resumed run reads like the uninterrupted one (no lines from the killed tail).
  assert.deepEqual(steps(join(root, "killed", "metrics.jsonl")), steps(join(root, "full", "metrics.jsonl")), "metrics.jsonl");
});

test("resuming a checkpoint of another model is refused with a way out", () => {
  const root = mkdtempSync(join(tmpdir(), "resume-"));
  run(join(root, "a"), ["4"]);
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", `
    const { train } = require(${JSON.stringify(join(__dirname, "../../lib/train"))});
    const { initBackend } = require(${JSON.stringify(join(__dirname, "../../lib/core"))});
    initBackend({ backend: "wasm" }).then(() => train({ params: new Map(), nextBatch: () => 0, loss: () => { throw new Error("unreachable"); } }, { steps: 8, lr: 1, outDir: ${JSON.stringify(join(root, "a"))}, resume: true, run: { config: "other" } }));
  `], { encoding: "utf8" });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /checkpoint was made with config=.*this run has "other"; use another --out or drop --resume/);
});
