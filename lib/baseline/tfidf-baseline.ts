/**
 * The classical baseline in one call: TF-IDF features (word 1–2-grams, sublinear tf) + softmax regression. Every
 * fine-tuned model in the course is compared against this number.
 */
import { LogisticRegression } from "./logistic-regression";
import type { LogisticRegressionOptions } from "./logistic-regression";
import { TfidfVectorizer } from "./tfidf";
import type { TfidfOptions } from "./tfidf";

/** Options of {@link trainTfidfBaseline}. */
export interface TfidfBaselineOptions {
  /** Vectoriser options; defaults here: 1–2-grams, sublinear tf, minDf 1, BERT pre-tokeniser. */
  tfidf?: TfidfOptions;
  /** Model options; default C = 10 (TF-IDF rows have norm 1, so weights need room), at most 200 L-BFGS iterations. */
  model?: LogisticRegressionOptions;
  /** Number of classes (e.g. `data.labels.length`); default the largest training label + 1. */
  numClasses?: number;
}

/** A trained baseline: `predict` texts straight away, or reach the parts. */
export interface TfidfBaseline {
  predict(texts: readonly string[]): number[];
  predictProba(texts: readonly string[]): number[][];
  vectorizer: TfidfVectorizer;
  model: LogisticRegression;
}

/**
 * Fits a TF-IDF vectoriser and a logistic regression on labelled texts.
 * @param train examples `{ text, label }` with `label` a class index
 * @param options vectoriser and model options (see {@link TfidfBaselineOptions})
 */
export function trainTfidfBaseline(train: readonly { text: string; label: number }[], options: TfidfBaselineOptions = {}): TfidfBaseline {
  const { tfidf = {}, model: modelOptions = {}, numClasses } = options;
  const vectorizer = new TfidfVectorizer({ ngramRange: [1, 2], sublinearTf: true, ...tfidf });
  const X = vectorizer.fitTransform(train.map((e) => e.text));
  const model = new LogisticRegression({ C: 10, maxIter: 200, numClasses, ...modelOptions }).fit(
    X,
    train.map((e) => e.label),
  );
  return {
    predict: (texts) => model.predict(vectorizer.transform(texts)),
    predictProba: (texts) => model.predictProba(vectorizer.transform(texts)),
    vectorizer,
    model,
  };
}
