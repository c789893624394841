// The text-aware recommender: splits, ranking metrics, baselines (popularity, item-kNN, TF-IDF), encoder content, hybrid.
export * from "./recommender";
export * from "./interactions";
export * from "./ranking-metrics";
export * from "./evaluate";
export * from "./popularity";
export * from "./item-knn";
export * from "./item-text";
export * from "./content";
export * from "./text-embeddings";
export * from "./hybrid";
export * from "./benchmark";
