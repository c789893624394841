export * from "./headlines";
export * from "./sentiment-score";
export * from "./sentiment-index";
export * from "./change-detection";
export * from "./alert-benchmark";
export * from "./topics";
export * from "./monitor";
export * from "./recommender";
