// Pearson and Spearman (the STS scores of lib/embeddings) against scipy.stats on data with many ties, as STS-B's
// gold scores have. Needs Debian's python3-scipy (CI installs it); skipped, saying so, without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Rng } from "../../lib/core/rng";
import { pearson, spearman } from "../../lib/eval/rank-correlation";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import scipy.stats"], { encoding: "utf8" });
const scipyMissing = probe.status === 0 ? false : `${PYTHON} lacks SciPy (apt-get install -y python3-scipy)`;
if (scipyMissing) console.log(`# SKIPPED SciPy correlation parity: ${scipyMissing}`);

test("pearson and spearman equal scipy.stats.pearsonr and spearmanr to 1e-12, ties included", { skip: scipyMissing }, () => {
  const rng = new Rng(11);
  for (const n of [5, 200, 1379]) {
    const gold = Array.from({ length: n }, () => Math.round(rng.uniform() * 20) / 4); // 0, 0.25, …, 5: many ties
    const cosine = gold.map((g) => g / 5 + 0.3 * rng.normal());
    const script = "import sys, json\nfrom scipy.stats import pearsonr, spearmanr\nd = json.load(sys.stdin)\nprint(json.dumps([float(pearsonr(d['a'], d['b'])[0]), float(spearmanr(d['a'], d['b']).correlation)]))";
    const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify({ a: cosine, b: gold }), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const [p, s] = JSON.parse(run.stdout) as [number, number];
    assert.ok(Math.abs(pearson(cosine, gold) - p) < 1e-12, `n=${n} pearson ${pearson(cosine, gold)} vs ${p}`);
    assert.ok(Math.abs(spearman(cosine, gold) - s) < 1e-12, `n=${n} spearman ${spearman(cosine, gold)} vs ${s}`);
  }
});

test("pearson: exact on a line, NaN on a constant, refuses unequal lengths", () => {
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  assert.throws(() => pearson([1, 2], [1]), /pearson: 2 and 1 values/);
});
