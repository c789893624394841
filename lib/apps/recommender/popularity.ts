/** The popularity baseline: every user gets the items rated most often in training (the bar any recommender must clear). */
import type { Interaction } from "./interactions";
import type { Recommender } from "./recommender";

/**
 * @param numItems catalogue size
 * @returns scores = training rating counts (the same for every user)
 */
export function popularityRecommender(train: readonly Interaction[], numItems: number): Recommender {
  const counts = new Float32Array(numItems);
  for (const r of train) counts[r.item] = (counts[r.item] as number) + 1;
  return { name: "popularity", scores: () => counts };
}
