/**
 * The classical baseline on the course's classification datasets: TF-IDF (word 1–2-grams, sublinear tf) + softmax
 * regression (L-BFGS), trained on each train split, scored on the test split (SST-2: GLUE dev, which `loadSst2`
 * calls `test`). Prints a markdown table: accuracy, macro-F1, vocabulary size, L-BFGS iterations, wall times.
 * No peer runs here (scikit-learn is not installed on the course machines); the table is the reference for
 * the fine-tuning notebooks. Run: npx tsx bench/baseline.ts [--C 10] [dataset ...]
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { loadBanking77, loadEprstmt, loadFinancialPhraseBank, loadSst2, loadTnews } from "../lib/data";
import type { ClassificationData, TextExample } from "../lib/data";
import { classificationReport } from "../lib/metrics";
import { trainTfidfBaseline } from "../lib/baseline";

const DATASETS: Record<string, () => Promise<ClassificationData<TextExample>>> = {
  "fpb-all": () => loadFinancialPhraseBank({ agreement: "all" }),
  "fpb-50": () => loadFinancialPhraseBank({ agreement: "50" }),
  banking77: () => loadBanking77(),
  sst2: () => loadSst2(),
  tnews: () => loadTnews(),
  eprstmt: () => loadEprstmt(),
};

const args = process.argv.slice(2);
const cAt = args.indexOf("--C");
const C = cAt >= 0 ? Number(args[cAt + 1]) : undefined;
const names = args.filter((a, i) => !a.startsWith("--") && (cAt < 0 || i !== cAt + 1));
const chosen = names.length > 0 ? names : Object.keys(DATASETS);

async function main(): Promise<void> {
  console.log(`| dataset | train | test | classes | accuracy | macro-F1 | features | L-BFGS iters | fit s | predict s |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const name of chosen) {
    const load = DATASETS[name];
    if (load === undefined) throw new Error(`unknown dataset ${name}; choose from ${Object.keys(DATASETS).join(", ")}`);
    const data = await load();
    const t0 = performance.now();
    const baseline = trainTfidfBaseline(data.train, { numClasses: data.labels.length, model: C === undefined ? {} : { C } });
    const t1 = performance.now();
    const predictions = baseline.predict(data.test.map((e) => e.text));
    const t2 = performance.now();
    const report = classificationReport(predictions, data.test.map((e) => e.label), { labelNames: data.labels });
    const info = baseline.model.trainInfo!;
    console.log(
      `| ${name} | ${data.train.length} | ${data.test.length} | ${data.labels.length} | ${(100 * report.accuracy).toFixed(2)} | ${(100 * report.macro.f1).toFixed(2)} | ` +
        `${baseline.vectorizer.vocabulary.size} | ${info.iterations}${info.converged ? "" : " (max)"} | ${((t1 - t0) / 1000).toFixed(1)} | ${((t2 - t1) / 1000).toFixed(2)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
