import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../../lib/core/rng";
import { csrFromRows } from "../../../lib/baseline";
import type { MovieRating } from "../../../lib/data";
import {
  blendRecommenders, coldStartSplit, denseContentRecommender, evaluateRanking, itemKnnRecommender, itemTexts, popularityRecommender,
  randomRankingExpectation, sparseContentRecommender, timeOrderedSplit, tuneBlend, validationSplit, type Interaction, type Recommender,
} from "../../../lib/apps";

const rating = (userId: number, movieId: number, r: number, timestamp: number): MovieRating => ({ userId, movieId, rating: r, timestamp });

test("time-ordered split: each user's latest 20% go to test, ties in file order, items indexed over the catalogue", () => {
  const ratings = [rating(2, 10, 4, 5), rating(2, 11, 3, 1), rating(2, 12, 5, 3), rating(2, 13, 2, 4), rating(2, 14, 1, 2), rating(1, 11, 2, 1), rating(1, 10, 5, 9), rating(1, 12, 5, 9)];
  const s = timeOrderedSplit(ratings, [10, 11, 12, 13, 14, 15]);
  assert.deepEqual(s.userIds, [1, 2]);
  assert.deepEqual(s.itemIds, [10, 11, 12, 13, 14, 15]);
  assert.deepEqual(s.test.map((r) => [s.userIds[r.user], s.itemIds[r.item]]), [[1, 12], [2, 10]], "user 2's latest (t=5); user 1's tie → the later row");
  assert.equal(s.train.length, 6);
  const v = validationSplit(s);
  assert.deepEqual(v.test.map((r) => [v.userIds[r.user], v.itemIds[r.item]]), [[1, 10], [2, 13]], "validation = the latest of training");
  assert.throws(() => timeOrderedSplit([rating(1, 10, 5, 1)], [10]), /user 1 has 1 rating\(s\)/);
  assert.throws(() => timeOrderedSplit([rating(1, 99, 5, 1), rating(1, 10, 5, 2)], [10]), /movieId 99 is not in the catalogue/);
});

test("cold-start split: cold items never in training, all their ratings in test, candidates = cold items", () => {
  const rng = new Rng(1);
  const ratings = Array.from({ length: 400 }, (_, i) => rating(1 + (i % 20), 100 + rng.int(50), 4, i));
  const s = coldStartSplit(ratings, Array.from({ length: 60 }, (_, i) => 100 + i), { itemFraction: 0.2, seed: 4 });
  const cold = s.candidates!;
  assert.ok(cold.size >= 9 && cold.size <= 10, `${cold.size} of ~48 rated items`);
  assert.ok(s.train.every((r) => !cold.has(r.item)) && s.test.every((r) => cold.has(r.item)));
  assert.equal(s.train.length + s.test.length, 400);
  assert.ok([...cold].every((i) => s.itemIds[i]! < 150), "only rated items become cold");
});

/** A small world: 30 users × 40 items with two taste groups (items 0–19 vs 20–39). */
function world(): { train: Interaction[]; test: Interaction[] } {
  const rng = new Rng(5);
  const train: Interaction[] = [];
  const test: Interaction[] = [];
  for (let u = 0; u < 30; u++) {
    const base = u < 15 ? 0 : 20;
    const items = rng.shuffle(Array.from({ length: 20 }, (_, i) => base + i)).slice(0, 8);
    items.forEach((item, t) => (t < 6 ? train : test).push({ user: u, item, rating: 1 + rng.int(5), timestamp: t }));
  }
  return { train, test };
}

test("item-kNN equals the cosine formula computed by loops, and leaves no tensors", () => {
  const { train } = world();
  const before = tf.memory().numTensors;
  const knn = itemKnnRecommender(train, 30, 40);
  assert.equal(tf.memory().numTensors, before);
  const has = (u: number, i: number) => train.some((r) => r.user === u && r.item === i);
  const col = (i: number) => Array.from({ length: 30 }, (_, u) => (has(u, i) ? 1 : 0));
  const cos = (a: number[], b: number[]) => {
    const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
    const n = Math.sqrt(a.reduce((s, x) => s + x, 0) * b.reduce((s, x) => s + x, 0));
    return n === 0 ? 0 : dot / n;
  };
  for (const u of [0, 17, 29]) {
    const scores = knn.scores(u);
    for (const j of [0, 5, 25, 39]) {
      const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => has(u, i)).reduce((s, i) => s + cos(col(i), col(j)), 0);
      assert.ok(Math.abs(scores[j]! - expected) < 1e-4, `user ${u} item ${j}: ${scores[j]} vs ${expected}`);
    }
  }
});

test("dense and sparse content recommenders agree on the same vectors; profiles weigh by centred rating", () => {
  const { train } = world();
  const rng = new Rng(9);
  const dim = 6;
  const vectors = Float32Array.from({ length: 40 * dim }, () => rng.normal());
  const sparse = csrFromRows(Array.from({ length: 40 }, (_, i) => new Map(Array.from({ length: dim }, (_, d) => [d, vectors[i * dim + d]!] as [number, number]))), dim);
  for (const weighting of ["centered", "uniform"] as const) {
    const before = tf.memory().numTensors;
    const dense = denseContentRecommender(vectors, dim, train, 30, { weighting });
    assert.equal(tf.memory().numTensors, before);
    const sp = sparseContentRecommender(sparse, train, 30, { weighting });
    for (const u of [0, 12, 29]) {
      const a = dense.scores(u);
      const b = sp.scores(u);
      for (let j = 0; j < 40; j++) assert.ok(Math.abs(a[j]! - b[j]!) < 1e-3, `${weighting} user ${u} item ${j}`);
    }
  }
  // centred: one item rated 5 and one rated 1 → profile = 2·v_a − 2·v_b
  const two: Interaction[] = [{ user: 0, item: 0, rating: 5, timestamp: 0 }, { user: 0, item: 1, rating: 1, timestamp: 1 }];
  const unit = Float32Array.from([1, 0, 0, 1, 1, 1]);
  assert.deepEqual([...denseContentRecommender(unit, 2, two, 1).scores(0)], [2, -2, 0]);
  assert.throws(() => denseContentRecommender(new Float32Array(5), 2, two, 1), /5 values are not rows of 2/);
});

test("evaluation ranks only unseen candidates; every baseline beats random on taste groups; hybrid α = 1 is part a", () => {
  const w = world();
  const split = { userIds: Array.from({ length: 30 }, (_, i) => i), itemIds: Array.from({ length: 40 }, (_, i) => i), ...w };
  const knn = itemKnnRecommender(split.train, 30, 40);
  const random = randomRankingExpectation(split, { k: 5 });
  const e = evaluateRanking(knn, split, { k: 5 });
  assert.equal(e.users, 30);
  assert.ok(e.ndcg.value > 2 * random.ndcg.value && e.ndcg.low <= e.ndcg.value && e.ndcg.value <= e.ndcg.high);
  // A recommender that loves the user's own training items gets 0: they are removed before ranking.
  const cheat: Recommender = { name: "cheat", scores: (u) => Float32Array.from({ length: 40 }, (_, i) => (split.train.some((r) => r.user === u && r.item === i) ? 100 : 0)) };
  assert.ok(evaluateRanking(cheat, split, { k: 5 }).recall.value < e.recall.value);
  // random expectation: user with n unseen candidates, recall = k/n
  assert.ok(Math.abs(random.perUser.recall[0]! - 5 / 34) < 1e-12);
  const pop = popularityRecommender(split.train, 40);
  const only = blendRecommenders(knn, pop, 1);
  assert.deepEqual(evaluateRanking(only, split, { k: 5 }).perUser.ndcg, e.perUser.ndcg);
  const tuned = tuneBlend(knn, pop, split, { k: 5, grid: [0, 0.5, 1] });
  assert.equal(tuned.trials.length, 3);
  assert.ok(tuned.trials.find((t) => t.alpha === tuned.alpha)!.ndcg >= Math.max(...tuned.trials.map((t) => t.ndcg)));
  assert.throws(() => blendRecommenders(knn, pop, 1.5), /alpha must be in \[0, 1\]/);
  assert.throws(() => evaluateRanking(knn, { ...split, test: [] }), /no user has a held-out item/);
});

test("item texts: title, genres, most-used tags; held-out (user, item) tags excluded", () => {
  const movies = [{ movieId: 1, title: "Toy Story (1995)", genres: ["Animation", "Comedy"] }, { movieId: 2, title: "Heat (1995)", genres: [] }];
  const tags = [
    { userId: 5, movieId: 1, tag: "Pixar", timestamp: 0 }, { userId: 6, movieId: 1, tag: "pixar", timestamp: 0 },
    { userId: 6, movieId: 1, tag: "fun", timestamp: 0 }, { userId: 7, movieId: 2, tag: "heist", timestamp: 0 },
  ];
  assert.deepEqual(itemTexts(movies, tags), ["Toy Story (1995). Animation, Comedy. pixar, fun", "Heat (1995). heist"]);
  assert.deepEqual(itemTexts(movies, tags, { exclude: new Set(["7:2", "6:1"]) }), ["Toy Story (1995). Animation, Comedy. pixar", "Heat (1995)"]);
});
