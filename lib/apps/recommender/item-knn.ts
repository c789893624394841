/**
 * Item-based collaborative filtering (Sarwar et al. 2001; Deshpande & Karypis 2004) on implicit feedback: items
 * are columns of the binary user × item matrix `X` `[U, I]`; their similarity is the cosine `S = NᵀN` with
 * `N = X` scaled to unit columns; a user's score for item j is the summed similarity of j to everything the user
 * rated, `score_u = X_u S`. Here every item is a neighbour (k = all): computed as `(X Nᵀ) N`, two matrix products
 * through `[U, U]`, so the `[I, I]` similarity matrix (9 742² floats for MovieLens) is never formed.
 */
import * as tf from "@tensorflow/tfjs";
import { tidyData } from "../../core/tidy-data";
import type { Interaction } from "./interactions";
import type { Recommender } from "./recommender";

/**
 * Fits item-kNN on `train` (no tensors left behind; the `[U, I]` score table is kept as a Float32Array).
 * @param numUsers rows of X; @param numItems columns of X
 */
export function itemKnnRecommender(train: readonly Interaction[], numUsers: number, numItems: number): Recommender {
  const x = new Float32Array(numUsers * numItems);
  for (const r of train) x[r.user * numItems + r.item] = 1;
  const table = tidyData(() => {
    const X = tf.tensor2d(x, [numUsers, numItems]); // [U, I]
    const norms = tf.sqrt(tf.sum(X, 0)); // [I]: √(users who rated the item)
    const N = tf.div(X, tf.maximum(norms, 1e-12)); // [U, I] unit columns (empty columns stay 0)
    const overlap = tf.matMul(X, N, false, true); // [U, U] = X Nᵀ
    return tf.matMul(overlap, N); // [U, I] = X NᵀN
  }) as Float32Array;
  return { name: "item-kNN", scores: (user) => table.subarray(user * numItems, (user + 1) * numItems) };
}
