import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { monitorSentiment, type Headline, type SentimentScore } from "../../lib/apps";

/** 100 days of 20 headlines; P(negative) ~ 0.2 ± noise, except days 80–89 at ~0.6. */
function stream(): { headlines: Headline[]; scores: SentimentScore[] } {
  const rng = new Rng(2);
  const headlines: Headline[] = [];
  const scores: SentimentScore[] = [];
  for (let d = 0; d < 100; d++) {
    const date = new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10);
    for (let i = 0; i < 20; i++) {
      const negative = Math.min(1, Math.max(0, (d >= 80 && d < 90 ? 0.6 : 0.2) + 0.3 * (rng.uniform() - 0.5)));
      headlines.push({ date, text: `headline ${d}-${i}`, source: "test", line: 2 + d * 20 + i });
      scores.push({ negative, score: -negative, label: negative > 0.5 ? "negative" : "neutral" });
    }
  }
  return { headlines, scores };
}

test("the monitor fires inside the surge and not before it; alerts carry the day's most negative headlines", () => {
  const { headlines, scores } = stream();
  const r = monitorSentiment(headlines, scores, { baselineDays: 40, params: { k: 0.5, h: 4 } });
  assert.equal(r.days.length, 100);
  assert.equal(r.statistic.length, 100);
  assert.ok(r.alerts.length >= 1);
  assert.equal(r.alerts[0]!.date, "2020-03-21", "day 80 (surge start): the shift is many sds, caught the same day");
  assert.ok(r.alerts.every((a) => a.date >= "2020-03-21" && a.date <= "2020-04-05"), r.alerts.map((a) => a.date).join());
  const first = r.alerts[0]!;
  assert.equal(first.headlines.length, 3);
  assert.ok(first.headlines[0]!.score <= first.headlines[1]!.score, "most negative first");
  assert.ok(Math.abs(first.baselineShare - 0.2) < 0.02);
  // No baseline day has a headline predicted negative: the hard share is constant there, and the monitor says so.
  assert.throws(() => monitorSentiment(headlines, scores, { baselineDays: 40, series: "hard" }), /reference window \[0, 40\) is constant \(0\); use a longer window/);
});

test("too short a stream, or mismatched scores, fail with the way out", () => {
  const { headlines, scores } = stream();
  assert.throws(() => monitorSentiment(headlines.slice(0, 200), scores.slice(0, 200)), /has 10 days with headlines; it needs more than the 60-day baseline window/);
  assert.throws(() => monitorSentiment(headlines, scores.slice(1)), /2000 headlines for 1999 scores/);
});
