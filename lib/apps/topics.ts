/**
 * A topic for each headline by keyword rules: a short, readable list per topic, first match wins (order matters:
 * "coronavirus" before "markets", so "Stocks plunge as virus spreads" is a virus story). Rules rather than
 * clustering so a learner can read why a headline landed where it did; words match whole (lowercased, `\b`).
 */

/** One topic and the words (or phrases) that select it. */
export interface TopicRule {
  topic: string;
  keywords: readonly string[];
}

/** The course's topics for business news (written for the course; first match wins, else `other`). */
export const FINANCE_TOPICS: readonly TopicRule[] = Object.freeze([
  { topic: "coronavirus", keywords: ["coronavirus", "covid", "covid-19", "virus", "pandemic", "lockdown", "outbreak", "vaccine", "quarantine", "furlough"] },
  { topic: "brexit & politics", keywords: ["brexit", "trump", "johnson", "eu", "election", "tory", "tories", "labour", "government", "minister", "parliament", "biden", "congress"] },
  { topic: "trade & china", keywords: ["china", "chinese", "tariff", "tariffs", "trade war", "trade deal", "huawei", "beijing", "xi"] },
  { topic: "central banks & economy", keywords: ["fed", "federal reserve", "bank of england", "ecb", "interest rate", "interest rates", "rates", "inflation", "gdp", "recession", "economy", "unemployment", "jobs", "growth", "stimulus", "bond", "bonds", "yields"] },
  { topic: "energy & commodities", keywords: ["oil", "opec", "gas", "energy", "gold", "crude", "bp", "shell", "coal", "mining"] },
  { topic: "tech", keywords: ["apple", "amazon", "google", "facebook", "microsoft", "tesla", "netflix", "tech", "uber", "bitcoin", "crypto", "ai", "iphone", "5g"] },
  { topic: "markets", keywords: ["stocks", "stock", "shares", "market", "markets", "dow", "s&p", "nasdaq", "ftse", "investors", "sell-off", "rally", "cramer", "ipo"] },
  { topic: "companies & jobs", keywords: ["ceo", "profit", "profits", "earnings", "revenue", "sales", "boss", "staff", "workers", "pay", "merger", "takeover", "retailer", "bank", "banks"] },
]);

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A classifier of texts into the rules' topics.
 * @param rules topics in priority order (default {@link FINANCE_TOPICS})
 * @param fallback topic of a text no rule matches (default `other`)
 * @returns `(text) => topic`
 */
export function keywordTopics(rules: readonly TopicRule[] = FINANCE_TOPICS, fallback = "other"): (text: string) => string {
  // `\b` fails next to `&` or `-` ends, so words are bounded by "not a letter or digit" instead.
  const compiled = rules.map((r) => ({ topic: r.topic, pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${r.keywords.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "iu") }));
  return (text: string) => compiled.find((c) => c.pattern.test(text))?.topic ?? fallback;
}
