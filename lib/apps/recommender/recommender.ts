/** What every recommender here is: scores of every catalogue item for a user (higher = more likely next). */
export interface Recommender {
  /** Short name for tables, e.g. `popularity`, `item-kNN`. */
  readonly name: string;
  /** One score per item index (length = number of items); the evaluator masks the user's training items. */
  scores(user: number): Float32Array;
}
