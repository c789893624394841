/**
 * The recommender comparison of the README and `course recommend --evaluate`, in one call:
 *   warm (per-user time-ordered 80/20 split): popularity, item-kNN, TF-IDF content, encoder content (when an
 *   encoder is given), and the hybrid item-kNN + text with α chosen on a validation split carved from training;
 *   cold start (a seeded 10% of rated items held out whole): TF-IDF and encoder content against the exact random
 *   expectation.
 * Item texts drop the tags of every (user, item) pair held out in any of the splits (`itemTexts`' `exclude`), so
 * one text per item serves all splits and the encoder runs once.
 */
import { TfidfVectorizer } from "../../baseline/tfidf";
import type { SparseMatrix } from "../../baseline/sparse";
import type { MovieLens } from "../../data/movielens";
import type { BertModel } from "../../model/bert";
import type { BertTokenizer } from "../../text/tokenizer";
import { denseContentRecommender, sparseContentRecommender, type ProfileWeighting } from "./content";
import { evaluateRanking, randomRankingExpectation, type RankingEvaluation } from "./evaluate";
import { blendRecommenders, tuneBlend } from "./hybrid";
import { coldStartSplit, timeOrderedSplit, validationSplit, type RecommenderSplit } from "./interactions";
import { itemKnnRecommender } from "./item-knn";
import { itemTexts } from "./item-text";
import { popularityRecommender } from "./popularity";
import type { Recommender } from "./recommender";
import { meanPooledEmbeddings } from "./text-embeddings";

/** Options of {@link compareRecommenders}. */
export interface CompareOptions {
  /** The course encoder for item embeddings (mean pooling); omitted: TF-IDF is the only text model. */
  encoder?: { bert: BertModel; tokenizer: BertTokenizer; maxLength?: number };
  k?: number;
  /** Bootstrap resamples of users (default 1000). */
  samples?: number;
  seed?: number;
  coldFraction?: number;
  /** Profile weighting of the text models (default `uniform`: everything watched counts; measured here: far better for the encoder on both splits, TF-IDF about even). */
  weighting?: ProfileWeighting;
  /** Called with a short message before each stage (progress). */
  onStage?(stage: string): void;
}

/** The comparison's tables. */
export interface RecommenderComparison {
  warm: RankingEvaluation[];
  cold: RankingEvaluation[];
  /** The hybrid's α (weight of item-kNN) and its validation trials. */
  blend: { alpha: number; textModel: string; trials: { alpha: number; ndcg: number; recall: number }[] };
  sizes: { users: number; items: number; warmTrain: number; warmTest: number; coldItems: number; coldTest: number };
}

/** Tags of held-out pairs, as `itemTexts` wants them. */
function heldOutPairs(split: RecommenderSplit): Set<string> {
  return new Set(split.test.map((r) => `${split.userIds[r.user]}:${split.itemIds[r.item]}`));
}

/** TF-IDF rows of item texts: unigrams, English stop words out, sublinear tf (repeated tags do not dominate). */
export function itemTfidf(texts: readonly string[]): SparseMatrix {
  return new TfidfVectorizer({ ngramRange: [1, 1], stopwords: "english", sublinearTf: true }).fitTransform(texts);
}

/**
 * Runs the comparison (see the file comment).
 * @returns warm and cold tables (Recall@k and NDCG@k with bootstrap intervals over users) and the chosen blend
 */
export function compareRecommenders(ml: MovieLens, options: CompareOptions = {}): RecommenderComparison {
  const { encoder, k = 10, samples = 1000, seed = 0, coldFraction = 0.1, weighting = "uniform", onStage = () => {} } = options;
  const movieIds = ml.movies.map((m) => m.movieId);
  const numItems = movieIds.length;
  const evalOpts = { k, samples, seed };
  const warm = timeOrderedSplit(ml.ratings, movieIds);
  const validation = validationSplit(warm);
  const cold = coldStartSplit(ml.ratings, movieIds, { itemFraction: coldFraction, seed });
  const numUsers = warm.userIds.length;

  onStage("item texts");
  const { tfidf, vectors } = itemRepresentations(ml, [warm, validation, cold], encoder);
  const textModels = (split: RecommenderSplit): Recommender[] => {
    const models: Recommender[] = [sparseContentRecommender(tfidf, split.train, numUsers, { name: "TF-IDF text", weighting })];
    if (encoder !== undefined && vectors !== undefined) models.push(denseContentRecommender(vectors, encoder.bert.config.hiddenSize, split.train, numUsers, { name: "encoder text", weighting }));
    return models;
  };

  onStage("choosing the hybrid's weight on validation");
  const warmText = textModels(warm);
  const text = warmText[warmText.length - 1] as Recommender; // the encoder when there is one
  const validationText = textModels(validation)[warmText.length - 1] as Recommender;
  const blend = tuneBlend(itemKnnRecommender(validation.train, numUsers, numItems), validationText, validation, { k });
  onStage("scoring warm users");
  const knn = itemKnnRecommender(warm.train, numUsers, numItems);
  const warmModels = [popularityRecommender(warm.train, numItems), knn, ...warmText, blendRecommenders(knn, text, blend.alpha, { name: `hybrid (item-kNN + ${text.name}, α = ${blend.alpha.toFixed(1)})` })];
  const warmTable = [randomRankingExpectation(warm, evalOpts), ...warmModels.map((m) => evaluateRanking(m, warm, evalOpts))];
  onStage("scoring cold-start items");
  const coldTable = [randomRankingExpectation(cold, evalOpts), ...textModels(cold).map((m) => evaluateRanking(m, cold, evalOpts))];
  return {
    warm: warmTable,
    cold: coldTable,
    blend: { alpha: blend.alpha, textModel: text.name, trials: blend.trials },
    sizes: { users: numUsers, items: numItems, warmTrain: warm.train.length, warmTest: warm.test.length, coldItems: cold.candidates?.size ?? 0, coldTest: cold.test.length },
  };
}

/**
 * Item texts with the tags of every held-out (user, item) pair of `splits` removed, and their TF-IDF rows and (with
 * an encoder) mean-pooled embeddings — one text per item shared by all the splits, so the encoder runs once.
 */
export function itemRepresentations(ml: MovieLens, splits: readonly RecommenderSplit[], encoder?: CompareOptions["encoder"]): { texts: string[]; tfidf: SparseMatrix; vectors?: Float32Array } {
  const exclude = new Set(splits.flatMap((split) => [...heldOutPairs(split)]));
  const texts = itemTexts(ml.movies, ml.tags, { exclude });
  const tfidf = itemTfidf(texts);
  if (encoder === undefined) return { texts, tfidf };
  return { texts, tfidf, vectors: meanPooledEmbeddings(encoder.bert, encoder.tokenizer, texts, { maxLength: encoder.maxLength }) };
}
