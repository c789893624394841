// Recall@k and NDCG@k against an implementation we did not write: scikit-learn's `ndcg_score(k=...)` and a NumPy
// top-k recall (tests/fixtures/apps/ranking_peer.py), on seeded random users. Needs /usr/bin/python3 with
// scikit-learn (CI installs python3-sklearn); skipped, saying so, without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Rng } from "../../../lib/core/rng";
import { ndcgAtK, recallAtK, topK } from "../../../lib/apps";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "..", "fixtures", "apps", "ranking_peer.py");
const probe = spawnSync(PYTHON, ["-c", "import sklearn, numpy"], { encoding: "utf8" });
const sklearnMissing = probe.status === 0 ? false : `${PYTHON} has no scikit-learn (apt-get install -y python3-sklearn)`;
if (sklearnMissing) console.log(`# SKIPPED ranking metrics parity: ${sklearnMissing}`);

test("Recall@k and NDCG@k equal scikit-learn's ndcg_score and NumPy's top-k recall on 200 random users", { skip: sklearnMissing }, () => {
  const rng = new Rng(7);
  const cases = [1, 5, 10].map((k) => ({
    k,
    users: Array.from({ length: 200 }, () => {
      const n = 5 + rng.int(60);
      const scores = rng.shuffle(Array.from({ length: n }, (_, i) => i / n + 0.001)); // distinct: no ties
      const relevant = rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, 1 + rng.int(Math.min(n - 1, 15)));
      return { scores, relevant };
    }),
  }));
  const run = spawnSync(PYTHON, [PEER], { input: JSON.stringify(cases), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const peers = JSON.parse(run.stdout) as { ndcg: number[]; recall: number[] }[];
  cases.forEach(({ k, users }, c) => {
    const peer = peers[c]!;
    users.forEach((u, i) => {
      const ranked = topK(u.scores, k);
      const relevant = new Set(u.relevant);
      assert.ok(Math.abs(ndcgAtK(ranked, relevant, k) - peer.ndcg[i]!) < 1e-12, `k=${k} user ${i}: NDCG ${ndcgAtK(ranked, relevant, k)} vs sklearn ${peer.ndcg[i]}`);
      assert.ok(Math.abs(recallAtK(ranked, relevant, k) - peer.recall[i]!) < 1e-12, `k=${k} user ${i}: recall`);
    });
  });
});

test("golden values: a hit at rank 1 and 3 of two relevant items", () => {
  const relevant = new Set([7, 9]);
  assert.equal(recallAtK([7, 1, 9], relevant, 3), 1);
  assert.ok(Math.abs(ndcgAtK([7, 1, 9], relevant, 3) - (1 + 0.5) / (1 + 1 / Math.log2(3))) < 1e-12);
  assert.equal(recallAtK([1, 2], relevant, 2), 0);
  assert.ok(Number.isNaN(ndcgAtK([1], new Set(), 1)), "nothing relevant: undefined, not 0");
});

test("topK: best first, ties to the smaller index, -Infinity never returned, restricted to allowed", () => {
  const scores = [0.5, 0.9, 0.5, -Infinity, 0.7];
  assert.deepEqual(topK(scores, 3), [1, 4, 0]);
  assert.deepEqual(topK(scores, 10), [1, 4, 0, 2]);
  assert.deepEqual(topK(scores, 2, new Set([0, 2, 3])), [0, 2]);
  assert.deepEqual(topK([], 3), []);
});
