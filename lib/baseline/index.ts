// The classical baseline: TF-IDF features and softmax regression on sparse rows (plain TypeScript, no tensors).
export * from "./sparse";
export * from "./tfidf";
export * from "./lbfgs";
export * from "./logistic-regression";
export * from "./tfidf-baseline";
