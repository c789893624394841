import { test } from "node:test";
import assert from "node:assert/strict";
import { FINANCE_TOPICS, keywordTopics } from "../../lib/apps";

test("keyword topics: first rule wins, whole words only, case-insensitive, fallback other", () => {
  const topic = keywordTopics();
  assert.equal(topic("Stocks plunge as coronavirus spreads"), "coronavirus");
  assert.equal(topic("FTSE 100 closes higher"), "markets");
  assert.equal(topic("Fed cuts interest rates"), "central banks & economy");
  assert.equal(topic("Oil prices slump after OPEC talks fail"), "energy & commodities");
  assert.equal(topic("Goldman Sachs hires"), "other", "'gold' must not match inside 'Goldman'");
  assert.equal(topic("A quiet day"), "other");
  assert.equal(keywordTopics([{ topic: "x", keywords: ["s&p"] }], "none")("S&P 500 record"), "x", "keywords with punctuation");
  assert.ok(FINANCE_TOPICS.length >= 6 && Object.isFrozen(FINANCE_TOPICS));
});
