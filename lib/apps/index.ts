// Applications: the intent bot with its out-of-scope fallback (templates, OOS split, scores, metrics, training, web page).
export * from "./intent-templates";
export * from "./intent-bot";
export * from "./oos-split";
export * from "./oos-scores";
export * from "./oos-metrics";
export * from "./bot-train";
export * from "./bot-page";
export * from "./bot-server";
