/**
 * The sentiment monitor end to end, on already scored headlines: the daily index, the series the alarm watches
 * (`soft`: mean P(negative) per day, default; `hard`: share predicted `negative`), a fixed baseline from the first
 * `baselineDays` days of the stream, CUSUM over the rest, and each alarm with the day's most negative headlines.
 * `course monitor` and notebook 09 both run this.
 */
import { baselineOf, cusum, type Baseline, type CusumParams } from "./change-detection";
import type { Headline } from "./headlines";
import { dailySentimentIndex, type DailySentiment } from "./sentiment-index";
import type { SentimentScore } from "./sentiment-score";

/** Which daily negative share the alarm watches. */
export type NegativeSeries = "soft" | "hard";

/** One alarm. */
export interface SentimentAlert {
  date: string;
  /** The watched share that day, and the baseline it is compared with. */
  share: number;
  baselineShare: number;
  /** The day's index (mean score) and its headline count. */
  mean: number;
  n: number;
  /** Up to three of the day's most negative headlines (lowest score first). */
  headlines: { text: string; score: number }[];
}

/** Options of {@link monitorSentiment}. */
export interface MonitorOptions {
  /** CUSUM slack and threshold in baseline sds (default k 0.5, h 4: see the README's benchmark for the values chosen). */
  params?: CusumParams;
  /** Days (with headlines) at the start that set the baseline (default 60). */
  baselineDays?: number;
  series?: NegativeSeries;
}

/** The monitor's output. */
export interface MonitorResult {
  days: DailySentiment[];
  series: number[];
  baseline: Baseline;
  /** CUSUM statistic per day (0 during the baseline window). */
  statistic: number[];
  alerts: SentimentAlert[];
}

/** The watched value of a day. */
export function negativeShareOf(day: DailySentiment, series: NegativeSeries): number {
  return series === "soft" ? day.softNegativeShare : day.negativeShare;
}

/**
 * Runs the monitor (see the file comment).
 * @param headlines the stream; @param scores one per headline
 * @throws when the stream has fewer than `baselineDays + 1` days, or the baseline window is constant
 */
export function monitorSentiment(headlines: readonly Headline[], scores: readonly SentimentScore[], options: MonitorOptions = {}): MonitorResult {
  const { params = { k: 0.5, h: 4 }, baselineDays = 60, series = "soft" } = options;
  if (headlines.length !== scores.length) throw new Error(`monitorSentiment: ${headlines.length} headlines for ${scores.length} scores`);
  const days = dailySentimentIndex(headlines.map((h) => h.date), scores);
  if (days.length <= baselineDays) throw new Error(`monitorSentiment: the stream has ${days.length} days with headlines; it needs more than the ${baselineDays}-day baseline window (pass a longer file or a smaller baselineDays)`);
  const values = days.map((d) => negativeShareOf(d, series));
  const baseline = baselineOf(values, 0, baselineDays);
  const watched = cusum(values.slice(baselineDays), baseline, params);
  const statistic = [...new Array<number>(baselineDays).fill(0), ...watched.statistic];
  const byDay = new Map<string, { text: string; score: number }[]>();
  headlines.forEach((h, i) => {
    const list = byDay.get(h.date) ?? [];
    list.push({ text: h.text, score: (scores[i] as SentimentScore).score });
    byDay.set(h.date, list);
  });
  const alerts = watched.alarms.map((t) => {
    const day = days[t + baselineDays] as DailySentiment;
    return {
      date: day.date,
      share: values[t + baselineDays] as number,
      baselineShare: baseline.mean,
      mean: day.mean,
      n: day.n,
      headlines: [...(byDay.get(day.date) ?? [])].sort((a, b) => a.score - b.score).slice(0, 3),
    };
  });
  return { days, series: values, baseline, statistic, alerts };
}
