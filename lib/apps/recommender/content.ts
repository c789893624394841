/**
 * Content-based recommending (Pazzani & Billsus 2007): a user's profile is the weighted sum of the vectors of the
 * items they rated, `p_u = Σ_i w_ui · v_i`, and an item's score is `p_u · v_j`. Weights: `centered`
 * (`rating − the user's mean`, so disliked items push away; a user with one constant rating gets weight 1 on
 * each) or `uniform` (1: everything watched). Vectors are dense (encoder embeddings `[I, D]`) or sparse TF-IDF rows.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../../core/tidy-data";
import type { SparseMatrix } from "../../baseline/sparse";
import { itemsByUser, type Interaction } from "./interactions";
import type { Recommender } from "./recommender";

/** How a rating weighs in the profile. */
export type ProfileWeighting = "centered" | "uniform";

/** Per user, `[item, weight]` pairs of the training history. */
function profileWeights(train: readonly Interaction[], numUsers: number, weighting: ProfileWeighting): [number, number][][] {
  return itemsByUser(train, numUsers).map((rows) => {
    if (weighting === "uniform" || rows.length === 0) return rows.map((r) => [r.item, 1]);
    const mean = rows.reduce((s, r) => s + r.rating, 0) / rows.length;
    const centered = rows.map((r): [number, number] => [r.item, r.rating - mean]);
    return centered.every(([, w]) => w === 0) ? rows.map((r) => [r.item, 1]) : centered;
  });
}

/**
 * Content recommender on dense item vectors.
 * @param vectors `[I, D]` row-major (e.g. L2-normalised embeddings)
 * @param options `name` (default `content`), `weighting` (default `centered`)
 */
export function denseContentRecommender(vectors: Float32Array, dim: number, train: readonly Interaction[], numUsers: number, options: { name?: string; weighting?: ProfileWeighting } = {}): Recommender {
  const { name = "content", weighting = "centered" } = options;
  const numItems = vectors.length / dim;
  if (!Number.isInteger(numItems)) throw new Error(`denseContentRecommender: ${vectors.length} values are not rows of ${dim}`);
  const w = new Float32Array(numUsers * numItems);
  profileWeights(train, numUsers, weighting).forEach((pairs, u) => {
    for (const [i, weight] of pairs) w[u * numItems + i] = (w[u * numItems + i] as number) + weight;
  });
  const table = tidyData(() => {
    const V = tf.tensor2d(vectors, [numItems, dim]); // [I, D]
    const profiles = tf.matMul(tf.tensor2d(w, [numUsers, numItems]), V); // [U, D]
    return tf.matMul(profiles, V, false, true); // [U, I]
  }) as Float32Array;
  return { name, scores: (user) => table.subarray(user * numItems, (user + 1) * numItems) };
}

/**
 * Content recommender on sparse rows (TF-IDF of the item texts), scored on demand per user.
 * @param options `name` (default `TF-IDF`), `weighting` (default `centered`)
 */
export function sparseContentRecommender(rows: SparseMatrix, train: readonly Interaction[], numUsers: number, options: { name?: string; weighting?: ProfileWeighting } = {}): Recommender {
  const { name = "TF-IDF", weighting = "centered" } = options;
  const { indptr, indices, values, numRows, numColumns } = rows;
  const weights = profileWeights(train, numUsers, weighting);
  const profile = new Float64Array(numColumns);
  return {
    name,
    scores(user: number): Float32Array {
      profile.fill(0);
      for (const [i, w] of weights[user] ?? []) for (let k = indptr[i] as number; k < (indptr[i + 1] as number); k++) profile[indices[k] as number] = (profile[indices[k] as number] as number) + w * (values[k] as number);
      const out = new Float32Array(numRows);
      for (let j = 0; j < numRows; j++) {
        let s = 0;
        for (let k = indptr[j] as number; k < (indptr[j + 1] as number); k++) s += (values[k] as number) * (profile[indices[k] as number] as number);
        out[j] = s;
      }
      return out;
    },
  };
}
