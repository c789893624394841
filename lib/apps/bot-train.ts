/**
 * The intent bot end to end — what `course bot-train` and notebook 09 run:
 *   1. data: the clean BANKING77-OOS split rebuilt from Banking77, and the published one (oos-split.ts);
 *   2. models, both trained on the **clean** in-scope training split: the course BERT fine-tuned with `runTask`, and
 *      TF-IDF + logistic regression (lib/baseline) beside it;
 *   3. OOS scores on validation and test of both splits: max softmax, temperature-scaled max softmax (T fitted on clean
 *      in-scope validation), and (BERT) the Mahalanobis distance on pooled [CLS] features fitted on the training set;
 *   4. reports (oos-metrics.ts), thresholds chosen on each split's own validation set;
 *   5. (given `outDir`) the bot folder: the fine-tuned checkpoint, `bot.json` (labels, temperature, threshold of the
 *      temperature-scaled score at 95% in-scope precision on clean validation), `oos-report.json`, and `web/` — the
 *      transformers.js export with `onnx/model_quantized.onnx` (int8) that `course serve` runs in the browser.
 * The published split changes the evaluation data only (same models), so its numbers show what the misalignment does
 * to the measurement.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { trainTfidfBaseline } from "../baseline/tfidf-baseline";
import { loadBanking77 } from "../data/banking77";
import { loadBanking77OosFiles } from "../data/banking77-oos";
import type { TextExample } from "../data/examples";
import { fitTemperature } from "../eval/temperature";
import { exportBertOnnx } from "../export/export";
import { saveTaskCheckpoint } from "../tasks/checkpoint";
import type { TaskModel } from "../tasks/heads";
import { bestClass } from "../tasks/predict";
import { encodeTexts, runTask, trainingSubset } from "../tasks/run";
import type { BertTokenizer } from "../text/tokenizer";
import type { IntentBotConfig } from "./intent-bot";
import { oosReport, thresholdAtPrecision, type OosReport, type OosScores } from "./oos-metrics";
import { fitMahalanobis, intentForward, maxSoftmax } from "./oos-scores";
import { cleanOosSplit, compareOosSplits, publishedOosSplit, type OosFileDisagreement, type OosSplit } from "./oos-split";

export interface TrainIntentBotOptions {
  /** Checkpoint to fine-tune: a folder or `course` / `course:quick` / `course:full`. */
  from: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  maxLength?: number;
  seed?: number;
  /** BERT trains on a seeded subset of this many in-scope examples (quick runs); TF-IDF always on all. */
  trainLimit?: number;
  /** In-scope precision the threshold aims at on validation (default 0.95). */
  target?: number;
  /** Write the bot folder here (see the file comment). */
  outDir?: string;
  /** Dataset folders instead of the registry (fixtures). */
  banking77Dir?: string;
  oosDir?: string;
  onEval?(epoch: number, step: number, metrics: Record<string, number>): void;
}

/** Reports of one split: per detector name (`bert-msp`, `bert-temperature`, `bert-mahalanobis`, `tfidf-msp`, `tfidf-temperature`). */
export type SplitReports = Record<string, OosReport>;

/** What {@link trainIntentBot} returns (also `oos-report.json`). */
export interface IntentBotRun {
  from: string;
  config: { epochs: number; batchSize: number; lr: number; maxLength: number; trainLimit: number | null; seed: number; target: number };
  sizes: Record<"clean" | "published", Record<string, number>>;
  disagreements: OosFileDisagreement[];
  temperature: { bert: number; tfidf: number };
  reports: { clean: SplitReports; published: SplitReports };
  bot: IntentBotConfig;
  wallSeconds: { finetune: number; total: number };
  finishedAt: string;
}

/** Confidence scores of one scorer on a split's validation and test parts. */
type Scorer = (texts: readonly string[]) => { scores: number[]; predicted: number[] };

function splitScores(split: OosSplit, scorer: Scorer): OosScores {
  const run = (texts: readonly string[]) => scorer(texts);
  const valIn = run(split.validation.map((e) => e.text));
  const valOos = run([...split.idOos.validation, ...split.oodOos.validation]);
  const testIn = run(split.test.map((e) => e.text));
  return {
    validation: { inScope: valIn.scores, oos: valOos.scores },
    test: { inScope: testIn.scores, idOos: run(split.idOos.test).scores, oodOos: run(split.oodOos.test).scores },
    testCorrect: testIn.predicted.map((p, i) => p === (split.test[i] as TextExample).label),
  };
}

const sizesOf = (s: OosSplit) => ({ train: s.train.length, validation: s.validation.length, test: s.test.length, idOosValidation: s.idOos.validation.length, idOosTest: s.idOos.test.length, oodOosValidation: s.oodOos.validation.length, oodOosTest: s.oodOos.test.length });

/** Runs the pipeline of the file comment. */
export async function trainIntentBot(options: TrainIntentBotOptions): Promise<IntentBotRun & { model: TaskModel; tokenizer: BertTokenizer }> {
  const { from, seed = 0, trainLimit, target = 0.95, outDir } = options;
  const began = performance.now();
  const banking77 = await loadBanking77(options.banking77Dir === undefined ? {} : { dir: options.banking77Dir });
  const files = await loadBanking77OosFiles(options.oosDir === undefined ? {} : { dir: options.oosDir });
  const clean = cleanOosSplit(banking77, files);
  const published = publishedOosSplit(files);
  const splits = { clean, published };

  const run = await runTask("banking77", {
    from,
    data: { kind: "classification", train: clean.train, validation: clean.validation, test: clean.test, labels: clean.labels },
    keepModel: true,
    seed,
    trainLimit,
    ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.lr === undefined ? {} : { lr: options.lr }),
    ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
    ...(options.onEval === undefined ? {} : { onEval: options.onEval }),
  });
  const model = run.model as TaskModel;
  const { tokenizer } = run;
  const m = run.metrics;
  try {
    const padId = tokenizer.tokenToId(tokenizer.padToken) as number;
    const forward = (texts: readonly string[]) => intentForward(model, encodeTexts(tokenizer, texts.map((text) => ({ text, label: 0 })), m.config.maxLength), padId);
    const trainSeen = trainingSubset(clean.train, trainLimit, seed);
    const trainForward = forward(trainSeen.map((e) => e.text));
    const mahalanobis = fitMahalanobis(trainForward.features, trainSeen.map((e) => e.label), clean.labels.length);
    const bertValidation = forward(clean.validation.map((e) => e.text));
    const bertT = fitTemperature(bertValidation.logits, clean.validation.map((e) => e.label)).temperature;

    const tfidf = trainTfidfBaseline(clean.train, { numClasses: clean.labels.length });
    const tfidfLogits = (texts: readonly string[]) => tfidf.model.decisionFunction(tfidf.vectorizer.transform(texts));
    const tfidfT = fitTemperature(tfidfLogits(clean.validation.map((e) => e.text)), clean.validation.map((e) => e.label)).temperature;

    const cache = new Map<string, { logits: number[][]; features: number[][] }>(); // one BERT pass per text list
    const bert = (texts: readonly string[]) => {
      const key = texts.join("\n");
      let f = cache.get(key);
      if (f === undefined) cache.set(key, (f = forward(texts)));
      return f;
    };
    const scorers: Record<string, Scorer> = {
      "bert-msp": (t) => ({ scores: maxSoftmax(bert(t).logits), predicted: bert(t).logits.map(bestClass) }),
      "bert-temperature": (t) => ({ scores: maxSoftmax(bert(t).logits, bertT), predicted: bert(t).logits.map(bestClass) }),
      "bert-mahalanobis": (t) => ({ scores: mahalanobis.score(bert(t).features), predicted: bert(t).logits.map(bestClass) }),
      "tfidf-msp": (t) => {
        const z = tfidfLogits(t);
        return { scores: maxSoftmax(z), predicted: z.map(bestClass) };
      },
      "tfidf-temperature": (t) => {
        const z = tfidfLogits(t);
        return { scores: maxSoftmax(z, tfidfT), predicted: z.map(bestClass) };
      },
    };
    const reports = { clean: {} as SplitReports, published: {} as SplitReports };
    let botThreshold = NaN;
    for (const [name, split] of Object.entries(splits) as ["clean" | "published", OosSplit][]) {
      for (const [scorer, f] of Object.entries(scorers)) {
        const scores = splitScores(split, f);
        reports[name][scorer] = oosReport(scores, { target });
        if (name === "clean" && scorer === "bert-temperature") botThreshold = thresholdAtPrecision(scores.validation.inScope, scores.validation.oos, target).threshold;
      }
      cache.clear();
    }
    // No threshold reaching the target on validation (a model that has not learnt): answer only at certainty.
    const bot: IntentBotConfig = { labels: [...clean.labels], temperature: bertT, threshold: Number.isFinite(botThreshold) ? botThreshold : 1, topK: 3 };
    const result: IntentBotRun = {
      from: m.from,
      config: { epochs: m.config.epochs, batchSize: m.config.batchSize, lr: m.config.lr, maxLength: m.config.maxLength, trainLimit: trainLimit ?? null, seed, target },
      sizes: { clean: sizesOf(clean), published: sizesOf(published) },
      disagreements: compareOosSplits(banking77, files),
      temperature: { bert: bertT, tfidf: tfidfT },
      reports,
      bot,
      wallSeconds: { finetune: m.wallSeconds.train, total: (performance.now() - began) / 1000 },
      finishedAt: new Date().toISOString(),
    };
    if (outDir !== undefined) {
      saveTaskCheckpoint(outDir, model, { labels: clean.labels, tokenizerDir: m.from === "scratch" ? undefined : m.from });
      exportBertOnnx(model, join(outDir, "web"), { labels: clean.labels, tokenizerDir: outDir, quantize: "int8" });
      writeFileSync(join(outDir, "bot.json"), JSON.stringify(bot, null, 2) + "\n");
      writeFileSync(join(outDir, "oos-report.json"), JSON.stringify(result, null, 2) + "\n");
    }
    return { ...result, model, tokenizer };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
