/**
 * The active-learning section of notebook 11 outside a kernel: on Financial PhraseBank (AllAgree), TF-IDF + logistic
 * regression learning curves (test accuracy vs labels used) for random sampling and the three uncertainty-sampling
 * acquisitions, over several seeds. Prints one JSON line (mean, std, min, max per point).
 * Usage: npx tsx scripts/active-learning.ts [seeds=10] [rounds=20] [batchSize=20] [initialSize=20]
 */
import { loadFinancialPhraseBank, trainTfidfBaseline, runActiveLearning, summarizeLearningCurves, ACQUISITION_STRATEGIES } from "../lib";
import type { Learner } from "../lib";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [seeds, rounds, batchSize, initialSize] = [Number(args[0] ?? 10), Number(args[1] ?? 20), Number(args[2] ?? 20), Number(args[3] ?? 20)];
  const fpb = await loadFinancialPhraseBank();
  const pool = { texts: fpb.train.map((e) => e.text), label: (i: number) => fpb.train[i]!.label };
  const learner: Learner = (train) => trainTfidfBaseline(train, { numClasses: fpb.labels.length });
  const began = performance.now();
  const curves = ACQUISITION_STRATEGIES.map((strategy) => {
    const summary = summarizeLearningCurves(Array.from({ length: seeds }, (_, seed) => runActiveLearning(pool, learner, { strategy, test: fpb.test, initialSize, batchSize, rounds, seed })));
    process.stderr.write(`${strategy}: ${summary.mean.map((v) => v.toFixed(3)).join(" ")}\n`);
    return summary;
  });
  const round = (xs: number[]) => xs.map((v) => Number(v.toFixed(4)));
  console.log(JSON.stringify({ date: new Date().toISOString(), pool: pool.texts.length, test: fpb.test.length, seeds, rounds, batchSize, initialSize, seconds: (performance.now() - began) / 1000, curves: curves.map((c) => ({ strategy: c.strategy, labelsUsed: c.labelsUsed, mean: round(c.mean), std: round(c.std), min: round(c.min), max: round(c.max) })) }));
}

void main();
