// Applications (notebook 09): the intent bot with its out-of-scope fallback (templates, OOS split, scores, metrics,
// training, web page); the financial news sentiment monitor (headlines, scores, daily index, CUSUM alerts, topics);
// the text-aware MovieLens recommender.
export * from "./intent-templates";
export * from "./intent-bot";
export * from "./oos-split";
export * from "./oos-scores";
export * from "./oos-metrics";
export * from "./bot-train";
export * from "./bot-page";
export * from "./bot-server";
export * from "./headlines";
export * from "./sentiment-score";
export * from "./sentiment-index";
export * from "./change-detection";
export * from "./alert-benchmark";
export * from "./topics";
export * from "./monitor";
export * from "./recommender";
