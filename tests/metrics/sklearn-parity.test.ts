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
import { accuracy, classificationReport, confusionMatrix, formatClassificationReport } from "../../lib/metrics";

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

// Issue #11 part 4: `formatClassificationReport` claims scikit-learn's `classification_report` layout; compared
// character for character with sklearn's own text (labels=range(K), target_names, zero_division=0), digits 2 and 4.
test("formatClassificationReport prints exactly scikit-learn's classification_report text", { skip: sklearnMissing }, () => {
  const cases = makeCases().filter((_, i) => i % 3 === 0);
  const names = (k: number): string[] => Array.from({ length: k }, (_, c) => (c % 2 === 0 ? `class_${c}` : `a much longer class name ${c}`));
  const script = [
    "import json, sys, warnings",
    "from sklearn.metrics import classification_report",
    "warnings.simplefilter('ignore')",
    "out = []",
    "for c in json.load(sys.stdin):",
    "    names = c['names']",
    "    out.append([classification_report(c['labels'], c['predictions'], labels=list(range(c['k'])), target_names=names, digits=d, zero_division=0) for d in (2, 4)])",
    "print(json.dumps(out))",
  ].join("\n");
  const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(cases.map((c) => ({ ...c, names: names(c.k) }))), encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(run.status, 0, run.stderr);
  // sklearn 1.2.1 prints the support column as floats ("2.0") when every score of the report is 0 (case "all
  // wrong"); a quirk of its formatting we do not copy, so such supports are read back as the integers they are.
  const texts = (JSON.parse(run.stdout) as [string, string][]).map((pair) => pair.map((t) => t.replace(/ (\d+)\.0\n/g, (_, n: string) => ` ${n.padStart(n.length + 2)}\n`)) as [string, string]);
  for (const [i, c] of cases.entries()) {
    const report = classificationReport(c.predictions, c.labels, { numClasses: c.k, labelNames: names(c.k) });
    assert.equal(formatClassificationReport(report), texts[i]![0], `${c.name}, digits 2`);
    assert.equal(formatClassificationReport(report, { digits: 4 }), texts[i]![1], `${c.name}, digits 4`);
  }
});
