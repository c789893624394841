// Parity with scikit-learn (a reference we did not write): `accuracy`, `confusionMatrix` and `classificationReport`
// against sklearn's `accuracy_score`, `confusion_matrix(labels=range(K))` and `precision_recall_fscore_support(
// labels=range(K), zero_division=0)` per class and with average="macro" / "micro" / "weighted", on seeded random
// predictions and labels — several class counts, classes missing from the predictions, from the labels, or from
// both. Every number within 1e-12 (both sides compute the same ratios of integer counts in float64).
// Needs Debian's python3-sklearn under /usr/bin/python3 (CI installs it); skipped, saying so, without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Rng } from "../../lib/core";
import { accuracy, classificationReport, confusionMatrix } from "../../lib/metrics";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "fixtures", "sklearn", "sklearn_peer.py");
const TOLERANCE = 1e-12;

const probe = spawnSync(PYTHON, ["-c", "import sklearn, scipy, numpy"], { encoding: "utf8" });
const sklearnMissing =
  probe.status === 0 ? false : `${PYTHON} has no scikit-learn (apt-get install -y python3-sklearn): ${(probe.stderr || probe.error?.message || "").trim().split("\n").pop()}`;
if (sklearnMissing) console.log(`# SKIPPED sklearn metrics parity: ${sklearnMissing}`);

interface Case {
  name: string;
  k: number;
  predictions: number[];
  labels: number[];
}

interface PeerScores {
  accuracy: number;
  perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: [number, number, number];
  micro: [number, number, number];
  weighted: [number, number, number];
  confusion: number[][];
}

/** Draws `n` values from `pool` (class indices) with the rng. */
const draw = (rng: Rng, n: number, pool: readonly number[]): number[] => Array.from({ length: n }, () => pool[rng.int(pool.length)]!);
const range = (k: number): number[] => Array.from({ length: k }, (_, c) => c);

/** Seeded cases: uniform noise, mostly-right predictions, and classes absent on one side, the other, or both. */
function makeCases(): Case[] {
  const rng = new Rng(2024);
  const cases: Case[] = [];
  for (const k of [2, 3, 5, 10, 77]) {
    const n = 20 + rng.int(300);
    const labels = draw(rng, n, range(k));
    cases.push({ name: `K=${k} uniform`, k, labels, predictions: draw(rng, n, range(k)) });
    // 70% right, else a random class: realistic classifier output
    cases.push({ name: `K=${k} mostly right`, k, labels, predictions: labels.map((y) => (rng.uniform() < 0.7 ? y : rng.int(k))) });
  }
  for (const k of [3, 5, 10]) {
    const n = 50 + rng.int(100);
    const some = range(k).filter((c) => c % 2 === 0); // odd classes missing
    cases.push({ name: `K=${k} odd classes never predicted`, k, labels: draw(rng, n, range(k)), predictions: draw(rng, n, some) });
    cases.push({ name: `K=${k} odd classes never true`, k, labels: draw(rng, n, some), predictions: draw(rng, n, range(k)) });
    const labels = draw(rng, n, range(k - 1)); // class k-1 in neither array: it must still be reported and averaged
    cases.push({ name: `K=${k} last class absent from both`, k, labels, predictions: labels.map((y) => (rng.uniform() < 0.5 ? y : rng.int(k - 1))) });
  }
  cases.push({ name: "one example, right", k: 4, labels: [2], predictions: [2] });
  cases.push({ name: "one example, wrong", k: 4, labels: [2], predictions: [1] });
  cases.push({ name: "all wrong (every F1 0)", k: 3, labels: [0, 0, 1, 1, 2], predictions: [1, 2, 0, 2, 0] });
  return cases;
}

function close(ours: number, theirs: number, what: string): void {
  assert.ok(Math.abs(ours - theirs) <= TOLERANCE, `${what}: ours ${ours}, sklearn ${theirs}, |diff| ${Math.abs(ours - theirs)} > ${TOLERANCE}`);
}

test("accuracy, confusion matrix, per-class and macro/micro/weighted P/R/F1 match scikit-learn within 1e-12", { skip: sklearnMissing }, () => {
  const cases = makeCases();
  const request = { op: "metrics", cases: cases.map(({ k, predictions, labels }) => ({ k, predictions, labels })) };
  const run = spawnSync(PYTHON, [PEER], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `${PEER} failed: ${run.stderr}`);
  const answers = JSON.parse(run.stdout) as PeerScores[];
  assert.equal(answers.length, cases.length);
  let compared = 0;
  for (const [i, c] of cases.entries()) {
    const peer = answers[i]!;
    const at = `${c.name}`;
    close(accuracy(c.predictions, c.labels), peer.accuracy, `${at} accuracy`);
    assert.deepEqual(confusionMatrix(c.predictions, c.labels, c.k), peer.confusion, `${at} confusion matrix`);
    const report = classificationReport(c.predictions, c.labels, { numClasses: c.k });
    assert.equal(report.perClass.length, c.k, `${at}: one row per class`);
    for (const [cls, row] of report.perClass.entries()) {
      close(row.precision, peer.perClass.precision[cls]!, `${at} class ${cls} precision`);
      close(row.recall, peer.perClass.recall[cls]!, `${at} class ${cls} recall`);
      close(row.f1, peer.perClass.f1[cls]!, `${at} class ${cls} f1`);
      assert.equal(row.support, peer.perClass.support[cls], `${at} class ${cls} support`);
      compared += 4;
    }
    for (const average of ["macro", "micro", "weighted"] as const) {
      const [p, r, f] = peer[average];
      close(report[average].precision, p, `${at} ${average} precision`);
      close(report[average].recall, r, `${at} ${average} recall`);
      close(report[average].f1, f, `${at} ${average} f1`);
      compared += 3;
    }
    close(report.accuracy, peer.accuracy, `${at} report accuracy`);
  }
  assert.ok(compared > 500, `compared ${compared} numbers`);
});
