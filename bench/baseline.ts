/**
 * The classical baseline on the course's classification datasets: TF-IDF (word 1–2-grams, sublinear tf) + softmax
 * regression (L-BFGS), trained on each train split, scored on the test split (SST-2: GLUE dev, which `loadSst2`
 * calls `test`). Prints a markdown table: accuracy, macro-F1, vocabulary size, L-BFGS iterations, wall times.
 * The table is the reference for the fine-tuning notebooks.
 *
 * Peer, in the same run: scikit-learn's TfidfVectorizer + LogisticRegression (bench/peer/sklearn_baseline.py,
 * Debian's python3-sklearn under /usr/bin/python3) on the same words — our pre-tokeniser's output, sent as JSON —
 * with the same settings; a second table gives its accuracy / macro-F1 and the fit-time ratio ours ÷ sklearn.
 * Our fit includes tokenising; "ours fit − tok" subtracts a separate timing of the tokeniser, as sklearn gets
 * the words ready-made. Skipped, saying so, when /usr/bin/python3 lacks scikit-learn (or with --no-peer).
 * Run: npx tsx bench/baseline.ts [--C 10] [--no-peer] [dataset ...]
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
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

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "peer", "sklearn_baseline.py");
const probe = args.includes("--no-peer") ? { status: 1, stderr: "--no-peer" } : spawnSync(PYTHON, ["-c", "import sklearn"], { encoding: "utf8" });
const peerMissing = probe.status === 0 ? null : `${PYTHON} has no scikit-learn (apt-get install -y python3-sklearn): ${String(probe.stderr).trim().split("\n").pop()}`;

/** What bench/peer/sklearn_baseline.py prints. */
interface PeerResult {
  accuracy: number;
  macroF1: number;
  features: number;
  nIter: number;
  fitSeconds: number;
  predictSeconds: number;
}

/** One row of the peer table, filled in the main loop. */
interface PeerRow {
  name: string;
  ours: { accuracy: number; macroF1: number; fitSeconds: number; tokenizeSeconds: number; features: number; iterations: string };
  peer: PeerResult;
}

async function main(): Promise<void> {
  const peerRows: PeerRow[] = [];
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
    if (peerMissing !== null) continue;
    const t3 = performance.now();
    const trainWords = data.train.map((e) => baseline.vectorizer.words(e.text));
    const tokenizeSeconds = (performance.now() - t3) / 1000;
    const request = {
      train: trainWords,
      trainLabels: data.train.map((e) => e.label),
      test: data.test.map((e) => baseline.vectorizer.words(e.text)),
      testLabels: data.test.map((e) => e.label),
      numClasses: data.labels.length,
      C: C ?? 10, // trainTfidfBaseline's defaults
      maxIter: 200,
    };
    const run = spawnSync(PYTHON, [PEER], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 30 });
    if (run.status !== 0) throw new Error(`${PEER} failed on ${name}: ${run.stderr}`);
    peerRows.push({
      name,
      ours: {
        accuracy: report.accuracy,
        macroF1: report.macro.f1,
        fitSeconds: (t1 - t0) / 1000,
        tokenizeSeconds,
        features: baseline.vectorizer.vocabulary.size,
        iterations: `${info.iterations}${info.converged ? "" : " (max)"}`,
      },
      peer: JSON.parse(run.stdout) as PeerResult,
    });
  }
  if (peerMissing !== null) {
    console.log(`\nsklearn peer skipped: ${peerMissing}`);
    return;
  }
  console.log(`\nPeer: scikit-learn ${sklearnVersion()} on the same words and settings (fit = vectoriser + model; ratio = ours ÷ sklearn).\n`);
  console.log(`| dataset | acc ours | acc sklearn | macro-F1 ours | macro-F1 sklearn | features ours/sklearn | iters ours/sklearn | fit s ours | ours − tok | sklearn | ratio | ratio − tok |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const { name, ours, peer } of peerRows) {
    const pct = (x: number): string => (100 * x).toFixed(2);
    const net = ours.fitSeconds - ours.tokenizeSeconds;
    console.log(
      `| ${name} | ${pct(ours.accuracy)} | ${pct(peer.accuracy)} | ${pct(ours.macroF1)} | ${pct(peer.macroF1)} | ${ours.features}/${peer.features} | ${ours.iterations}/${peer.nIter} | ` +
        `${ours.fitSeconds.toFixed(2)} | ${net.toFixed(2)} | ${peer.fitSeconds.toFixed(2)} | ${(ours.fitSeconds / peer.fitSeconds).toFixed(1)}× | ${(net / peer.fitSeconds).toFixed(1)}× |`,
    );
  }
}

/** scikit-learn's version string, for the table's caption. */
function sklearnVersion(): string {
  const run = spawnSync(PYTHON, ["-c", "import sklearn; print(sklearn.__version__)"], { encoding: "utf8" });
  return run.stdout.trim();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
