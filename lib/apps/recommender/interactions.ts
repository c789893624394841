/**
 * Ratings as a recommender sees them: users and items mapped to dense indices, and the two evaluation protocols.
 *   - `timeOrderedSplit`: per user, ratings sorted by time; the last `testFraction` go to test (what a deployed
 *     recommender faces: predict what comes next from what came before). Warm items: test items may be rated
 *     by others in training.
 *   - `coldStartSplit`: a seeded `itemFraction` of the rated items is *cold*: every rating of theirs goes to test,
 *     none to training, so only an item's text can say anything about it; candidates at test time are the cold items.
 * Every held-out rating counts as relevant (implicit feedback: the user chose to watch it).
 */
import { Rng } from "../../core/rng";
import type { MovieRating } from "../../data/movielens";

/** A rating with dense indices. */
export interface Interaction {
  user: number;
  item: number;
  rating: number;
  timestamp: number;
}

/** A split ready for training and ranking evaluation. */
export interface RecommenderSplit {
  /** MovieLens `userId` by user index. */
  userIds: number[];
  /** MovieLens `movieId` by item index (every movie of the catalogue, rated or not). */
  itemIds: number[];
  train: Interaction[];
  test: Interaction[];
  /** Items a ranking may return (all items, or the cold items); undefined = all. */
  candidates?: Set<number>;
}

/** Index maps for users (those with ratings) and items (the whole catalogue, `movieIds` order). */
function indexed(ratings: readonly MovieRating[], movieIds: readonly number[]): { userIds: number[]; itemIds: number[]; rows: Interaction[] } {
  const itemIds = [...movieIds];
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const userIds = [...new Set(ratings.map((r) => r.userId))].sort((a, b) => a - b);
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const rows = ratings.map((r) => {
    const item = itemIndex.get(r.movieId);
    if (item === undefined) throw new Error(`rating of user ${r.userId}: movieId ${r.movieId} is not in the catalogue (movies.csv)`);
    return { user: userIndex.get(r.userId) as number, item, rating: r.rating, timestamp: r.timestamp };
  });
  return { userIds, itemIds, rows };
}

/**
 * Per-user time-ordered split (see the file comment). Ties in time keep the file order.
 * @param movieIds the catalogue (movies.csv order)
 * @param options `testFraction` (default 0.2; each user keeps at least one training and one test rating)
 * @throws when a user has fewer than 2 ratings
 */
export function timeOrderedSplit(ratings: readonly MovieRating[], movieIds: readonly number[], options: { testFraction?: number } = {}): RecommenderSplit {
  const { testFraction = 0.2 } = options;
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`timeOrderedSplit: testFraction must be in (0, 1), got ${testFraction}`);
  const { userIds, itemIds, rows } = indexed(ratings, movieIds);
  return { userIds, itemIds, ...splitByTime(rows, userIds, testFraction) };
}

function splitByTime(rows: readonly Interaction[], userIds: readonly number[], testFraction: number): { train: Interaction[]; test: Interaction[] } {
  const byUser = itemsByUser(rows, userIds.length);
  const train: Interaction[] = [];
  const test: Interaction[] = [];
  byUser.forEach((list, u) => {
    if (list.length < 2) throw new Error(`timeOrderedSplit: user ${userIds[u]} has ${list.length} rating(s); a time split needs at least 2`);
    const sorted = list.map((r, i) => ({ r, i })).sort((a, b) => a.r.timestamp - b.r.timestamp || a.i - b.i).map((x) => x.r);
    const nTest = Math.min(sorted.length - 1, Math.max(1, Math.round(testFraction * sorted.length)));
    train.push(...sorted.slice(0, sorted.length - nTest));
    test.push(...sorted.slice(sorted.length - nTest));
  });
  return { train, test };
}

/**
 * A validation split inside a split's training part: each user's last `testFraction` (default 0.2) of training
 * ratings, by time, become validation (for choosing hyper-parameters such as a hybrid's weight without touching test).
 */
export function validationSplit(split: RecommenderSplit, options: { testFraction?: number } = {}): RecommenderSplit {
  const { testFraction = 0.2 } = options;
  return { userIds: split.userIds, itemIds: split.itemIds, ...splitByTime(split.train, split.userIds, testFraction) };
}

/**
 * Cold-start split (see the file comment): a seeded `itemFraction` (default 0.1) of the rated items is held out whole.
 * @returns the split, with `candidates` the cold items
 */
export function coldStartSplit(ratings: readonly MovieRating[], movieIds: readonly number[], options: { itemFraction?: number; seed?: number } = {}): RecommenderSplit {
  const { itemFraction = 0.1, seed = 0 } = options;
  if (!(itemFraction > 0 && itemFraction < 1)) throw new Error(`coldStartSplit: itemFraction must be in (0, 1), got ${itemFraction}`);
  const { userIds, itemIds, rows } = indexed(ratings, movieIds);
  const rated = [...new Set(rows.map((r) => r.item))].sort((a, b) => a - b);
  const cold = new Set(new Rng(seed).shuffle(rated).slice(0, Math.max(1, Math.round(itemFraction * rated.length))));
  return { userIds, itemIds, train: rows.filter((r) => !cold.has(r.item)), test: rows.filter((r) => cold.has(r.item)), candidates: cold };
}

/** Each user's items in `rows` (index = user). */
export function itemsByUser(rows: readonly Interaction[], numUsers: number): Interaction[][] {
  const out = Array.from({ length: numUsers }, () => [] as Interaction[]);
  for (const r of rows) (out[r.user] as Interaction[]).push(r);
  return out;
}
