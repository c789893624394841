/**
 * A daily sentiment index: per calendar day, the mean headline score with a 95% normal-approximation interval
 * `mean ± z·s/√n` (s the sample standard deviation; the central limit theorem — headlines of a day treated as
 * independent draws), and the day's negative share (hard: predicted `negative`; soft: mean `P(negative)`).
 * Headline *counts* per day are not a signal here: the Guardian file holds exactly 20 (or 40) a day, its scraper's
 * page size (SOURCE.md), so only means and shares are reported.
 */
import { normalQuantile } from "../stats/student-t";
import type { SentimentScore } from "./sentiment-score";

/** One day of the index. */
export interface DailySentiment {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Headlines that day. */
  n: number;
  /** Mean score `P(pos) − P(neg)`. */
  mean: number;
  /** Interval ends (equal to `mean` when n = 1: no spread to estimate). */
  low: number;
  high: number;
  /** Share of headlines predicted `negative`. */
  negativeShare: number;
  /** Mean `P(negative)`. */
  softNegativeShare: number;
}

/**
 * Aggregates scored headlines by day, days ascending (days without headlines are absent, not zero).
 * @param dates one `YYYY-MM-DD` per score
 * @param options `confidence` of the interval (default 0.95)
 * @throws when `dates` and `scores` differ in length
 */
export function dailySentimentIndex(dates: readonly string[], scores: readonly SentimentScore[], options: { confidence?: number } = {}): DailySentiment[] {
  const { confidence = 0.95 } = options;
  if (dates.length !== scores.length) throw new Error(`dailySentimentIndex: ${dates.length} dates for ${scores.length} scores`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`dailySentimentIndex: confidence must be in (0, 1), got ${confidence}`);
  const z = normalQuantile((1 + confidence) / 2);
  const byDay = new Map<string, SentimentScore[]>();
  dates.forEach((d, i) => {
    const list = byDay.get(d) ?? [];
    list.push(scores[i] as SentimentScore);
    byDay.set(d, list);
  });
  return [...byDay.keys()].sort().map((date) => {
    const day = byDay.get(date) as SentimentScore[];
    const n = day.length;
    const mean = day.reduce((s, x) => s + x.score, 0) / n;
    const variance = n > 1 ? day.reduce((s, x) => s + (x.score - mean) ** 2, 0) / (n - 1) : 0;
    const half = z * Math.sqrt(variance / n);
    return {
      date,
      n,
      mean,
      low: mean - half,
      high: mean + half,
      negativeShare: day.filter((x) => x.label.toLowerCase() === "negative").length / n,
      softNegativeShare: day.reduce((s, x) => s + x.negative, 0) / n,
    };
  });
}
