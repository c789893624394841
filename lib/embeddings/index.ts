export { poolHidden } from "./pooling";
export type { Pooling } from "./pooling";
export { sentenceEmbeddings, encodeSentences, cosineSimilarity } from "./sentence-embeddings";
export type { SentenceEmbeddingOptions } from "./sentence-embeddings";
export { infoNceLoss, trainSimcse } from "./simcse";
export type { SimcseOptions } from "./simcse";
export { stsCorrelation, nearestNeighbourAccuracy } from "./evaluate";
