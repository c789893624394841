// Metrics: classification (accuracy, P/R/F1, confusion matrix) and entity-level NER scores (conlleval, seqeval).
export * from "./classification";
export * from "./entities";
export * from "./conlleval";
export * from "./format";
export * from "./roc";
