/**
 * Two ways to score sentence embeddings without training anything on top:
 * - **STS**: Spearman's ρ between the cosine of each pair's embeddings and the gold similarity (Reimers et al.
 *   2016 argue for Spearman; SimCSE reports it on STS-B test);
 * - **nearest-neighbour retrieval**: each query takes the label of its most similar indexed text (1-NN accuracy),
 *   e.g. Banking77 test questions against the training questions and their intents.
 */
import { pearson, spearman } from "../eval/rank-correlation";
import { cosineSimilarity } from "./sentence-embeddings";

/**
 * Correlations of `cosine(embed(s1), embed(s2))` with the gold scores.
 * @param embeddings1 `[n][H]`, @param embeddings2 `[n][H]`, @param gold `[n]`
 */
export function stsCorrelation(embeddings1: readonly ArrayLike<number>[], embeddings2: readonly ArrayLike<number>[], gold: readonly number[]): { spearman: number; pearson: number; cosines: number[] } {
  if (embeddings1.length !== gold.length || embeddings2.length !== gold.length) throw new Error(`stsCorrelation: ${embeddings1.length} and ${embeddings2.length} embeddings for ${gold.length} scores`);
  const cosines = embeddings1.map((a, i) => cosineSimilarity(a, embeddings2[i] as ArrayLike<number>));
  return { spearman: spearman(cosines, gold), pearson: pearson(cosines, gold), cosines };
}

/**
 * 1-nearest-neighbour accuracy by cosine similarity.
 * @returns the accuracy and each query's predicted label
 */
export function nearestNeighbourAccuracy(queries: readonly ArrayLike<number>[], queryLabels: readonly number[], index: readonly ArrayLike<number>[], indexLabels: readonly number[]): { accuracy: number; predictions: number[] } {
  if (queries.length !== queryLabels.length || index.length !== indexLabels.length) throw new Error("nearestNeighbourAccuracy: every vector needs a label");
  if (index.length === 0) throw new Error("nearestNeighbourAccuracy: empty index");
  const norms = index.map((v) => Math.sqrt(dot(v, v)) || 1); // a zero vector scores 0 against every query
  const predictions = queries.map((q) => {
    let best = -Infinity;
    let label = -1;
    for (let j = 0; j < index.length; j++) {
      const v = index[j] as ArrayLike<number>;
      const score = dot(q, v) / (norms[j] as number);
      if (score > best) {
        best = score;
        label = indexLabels[j] as number;
      }
    }
    return label;
  });
  const correct = predictions.filter((p, i) => p === queryLabels[i]).length;
  return { accuracy: queries.length > 0 ? correct / queries.length : NaN, predictions };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k] as number) * (b[k] as number);
  return sum;
}
