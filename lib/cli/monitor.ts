/**
 * `course monitor --model DIR --in FILE.csv [...]`: score every headline of a dated CSV (the mirror's CNBC or
 * Guardian file, or any `date,headline` CSV) with a Financial PhraseBank classifier, build the daily sentiment
 * index, run the CUSUM alarm on the daily negative share, and print the alerts (lib/apps' `monitorSentiment`).
 */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { readFileSync } from "node:fs";
import { initBackend, Rng, writeFileAtomic } from "../core";
import { classifierPredictor, type PredictFn } from "../eval";
import { loadTaskCheckpoint, taskSpec } from "../tasks";
import { loadTokenizer } from "../text";
import { monitorSentiment, parseHeadlinesCsv, sentimentScores, syntheticStreams, tuneCusum, TUNING_GRID, type Headline, type MonthOnlyPolicy, type NegativeSeries, type SentimentScore } from "../apps";
import { finiteNumber, positiveInt } from "./args";

interface MonitorCliOptions {
  model: string;
  in: string[];
  from?: string;
  to?: string;
  sample?: number;
  seed: number;
  k: number;
  h: number;
  baselineDays: number;
  series: NegativeSeries;
  monthOnly: MonthOnlyPolicy;
  maxLength: number;
  json?: string;
  tune?: boolean;
}

const oneOf = <T extends string>(name: string, values: readonly T[]) => (value: string): T => {
  if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${values.join(", ")}, got "${value}"`);
  return value as T;
};
const isoDate = (name: string) => (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError(`${name} must be a date YYYY-MM-DD, got "${value}"`);
  return value;
};

/** Scores FPB's test sentences, builds the synthetic benchmark, prints the best rules and returns the chosen one. */
async function tuneOnBenchmark(predict: PredictFn, labels: readonly string[], series: NegativeSeries): Promise<{ k: number; h: number }> {
  const fpb = await taskSpec("fpb").load();
  if (fpb.kind !== "classification") throw new Error("course monitor --tune: fpb is not a classification task");
  const negativeId = fpb.labels.indexOf("negative");
  const scores = sentimentScores(predict, labels, fpb.test.map((e) => e.text));
  const observe = (s: SentimentScore) => (series === "soft" ? s.negative : s.label === "negative" ? 1 : 0);
  const pool = { negative: scores.filter((_, i) => fpb.test[i]?.label === negativeId).map(observe), other: scores.filter((_, i) => fpb.test[i]?.label !== negativeId).map(observe) };
  const { trials, best } = tuneCusum(syntheticStreams(pool), TUNING_GRID);
  console.log(`benchmark: 20 streams × 720 days × 20 FPB test sentences a day, 15% negative, three 14-day surges at 40% per stream (pool: ${pool.negative.length} negative, ${pool.other.length} other sentences)`);
  for (const t of [...trials].filter((t) => t.falseAlarmsPer90 <= 1).sort((a, b) => a.meanDelayMissesAsLength - b.meanDelayMissesAsLength).slice(0, 5)) {
    console.log(`  k = ${t.k}, h = ${t.h}: mean delay ${t.meanDelay.toFixed(2)} days (${t.missed} of ${t.detected + t.missed} surges missed), ${t.falseAlarmsPer90.toFixed(2)} false alarms / 90 days`);
  }
  if (best === undefined) throw new Error("course monitor --tune: no rule of the grid stays within 1 false alarm per 90 days; pass --k and --h yourself");
  console.log(`chosen: k = ${best.k}, h = ${best.h}`);
  return { k: best.k, h: best.h };
}

/** Registers `course monitor`. */
export function registerMonitor(program: Command): void {
  program
    .command("monitor")
    .description("financial news sentiment monitor: daily index from a headline CSV and CUSUM alerts on the negative share")
    .requiredOption("--model <dir>", "a Financial PhraseBank classifier (course finetune --task fpb --out DIR)")
    .requiredOption("--in <files...>", "headline CSV(s): the mirror's cnbc_headlines.csv / guardian_headlines.csv, or columns date,headline")
    .option("--from <date>", "first day kept (YYYY-MM-DD)", isoDate("--from"))
    .option("--to <date>", "last day kept (YYYY-MM-DD)", isoDate("--to"))
    .option("--sample <n>", "score a seeded random sample of n headlines (BERT on a CPU is slow; days stay whole only on average)", positiveInt("--sample"))
    .option("--seed <n>", "seed of --sample", finiteNumber("--seed"), 0)
    .option("--k <sd>", "CUSUM slack per day, in baseline standard deviations", finiteNumber("--k"), 0.5)
    .option("--h <sd>", "CUSUM threshold, in baseline standard deviations", finiteNumber("--h"), 4)
    .option("--baseline-days <n>", "days at the start that set the baseline", positiveInt("--baseline-days"), 60)
    .option("--series <s>", "soft: mean P(negative) per day; hard: share predicted negative", oneOf("--series", ["soft", "hard"] as const), "soft")
    .option("--month-only <policy>", "rows with only a month (Jul-18): first-of-month, drop or error", oneOf("--month-only", ["first-of-month", "drop", "error"] as const), "first-of-month")
    .option("--max-length <n>", "tokens per headline", positiveInt("--max-length"), 64)
    .option("--json <file>", "also write the daily index and alerts as JSON")
    .option("--tune", "choose --k and --h first on the synthetic change-point benchmark built from FPB test sentences (needs the financial_phrasebank dataset)")
    .action(async (o: MonitorCliOptions) => {
      let headlines: Headline[] = [];
      for (const file of o.in) {
        const parsed = parseHeadlinesCsv(readFileSync(file, "utf8"), { file, monthOnly: o.monthOnly });
        const r = parsed.repairs;
        console.log(`${file}: ${parsed.headlines.length} headlines (dropped ${r.emptyDropped} empty rows, ${r.monthOnlyDropped} month-only rows; repaired ${r.monthOnlyRepaired} month-only dates to the 1st, ${r.septRepaired} "Sept"; cut ${r.kickersStripped} kickers)`);
        headlines.push(...parsed.headlines);
      }
      headlines = headlines.filter((h) => (o.from === undefined || h.date >= o.from) && (o.to === undefined || h.date <= o.to));
      if (o.sample !== undefined && o.sample < headlines.length) {
        headlines = new Rng(o.seed).shuffle(headlines).slice(0, o.sample);
        console.log(`scoring a seeded sample of ${headlines.length} headlines (--sample ${o.sample} --seed ${o.seed})`);
      }
      headlines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      await initBackend();
      const { model, labels } = loadTaskCheckpoint(o.model);
      try {
        if (model.kind !== "sequence") throw new Error(`course monitor: ${o.model} is a token classifier; pass a sequence classifier fine-tuned on fpb`);
        const predictor = classifierPredictor(model, loadTokenizer(o.model), { maxLength: o.maxLength });
        if (o.tune === true) {
          const params = await tuneOnBenchmark(predictor.predict, labels, o.series);
          o.k = params.k;
          o.h = params.h;
        }
        const scores = sentimentScores(predictor.predict, labels, headlines.map((h) => h.text));
        const result = monitorSentiment(headlines, scores, { params: { k: o.k, h: o.h }, baselineDays: o.baselineDays, series: o.series });
        const first = result.days[0]?.date;
        const last = result.days.at(-1)?.date;
        console.log(`${headlines.length} headlines on ${result.days.length} days, ${first} – ${last}; baseline (${o.series} negative share, first ${o.baselineDays} days) ${result.baseline.mean.toFixed(3)} ± ${result.baseline.sd.toFixed(3)}; CUSUM k = ${o.k}, h = ${o.h}`);
        console.log(`${result.alerts.length} alert(s)`);
        for (const a of result.alerts) {
          const worst = a.headlines[0];
          console.log(`${a.date}  negative share ${a.share.toFixed(3)} (baseline ${a.baselineShare.toFixed(3)})  index ${a.mean.toFixed(3)} (n = ${a.n})${worst === undefined ? "" : `  e.g. "${worst.text}"`}`);
        }
        if (o.json !== undefined) writeFileAtomic(o.json, JSON.stringify({ model: o.model, inputs: o.in, series: o.series, params: { k: o.k, h: o.h }, baselineDays: o.baselineDays, baseline: result.baseline, days: result.days, alerts: result.alerts }, null, 2) + "\n");
      } finally {
        model.dispose();
      }
    });
}
