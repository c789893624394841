import { test } from "node:test";
import assert from "node:assert/strict";
import { TfidfVectorizer, denseRow } from "../../lib/baseline";

const near = (actual: readonly number[], expected: readonly number[], tol: number): void => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < tol, `[${i}] ${a} vs ${expected[i]}`));
};

// scikit-learn user guide, "Tf–idf term weighting": counts [[3,0,1],[2,0,0],[3,0,0],[4,0,0],[3,2,0],[3,0,2]]
// over terms (a, b, c). With smooth_idf: idf(a) = ln(7/7)+1 = 1, idf(b) = ln(7/2)+1 = 2.2528, idf(c) = ln(7/3)+1 = 1.8473.
// Row 0: [3·1, 0, 1·1.8473] / ‖·‖ = [0.85151335, 0, 0.52433293] — the guide prints the matrix below.
const DOCS = ["a a a c", "a a", "a a a", "a a a a", "a a a b b", "a a a c c"];

test("IDF and rows match scikit-learn's smooth_idf worked example", () => {
  const v = new TfidfVectorizer({ ngramRange: [1, 1], tokenizer: "words" });
  const X = v.fitTransform(DOCS);
  assert.deepEqual(v.featureNames(), ["a", "b", "c"]);
  near(Array.from(v.idf), [1, Math.log(7 / 2) + 1, Math.log(7 / 3) + 1], 1e-12);
  const expected = [
    [0.85151335, 0, 0.52433293],
    [1, 0, 0],
    [1, 0, 0],
    [1, 0, 0],
    [0.55422893, 0.83236428, 0],
    [0.63035731, 0, 0.77630514],
  ];
  expected.forEach((row, i) => near(denseRow(X, i), row, 1e-8));
});

test("without smoothing idf = ln(n/df) + 1 (the guide's first row becomes [0.819, 0, 0.573])", () => {
  const v = new TfidfVectorizer({ ngramRange: [1, 1], tokenizer: "words", smoothIdf: false });
  const X = v.fitTransform(DOCS);
  near(Array.from(v.idf), [1, Math.log(6) + 1, Math.log(3) + 1], 1e-12);
  near(denseRow(X, 0), [0.819, 0, 0.573], 1e-3);
});

test("sublinear tf uses 1 + ln(count); l1 and no norm", () => {
  const v = new TfidfVectorizer({ ngramRange: [1, 1], tokenizer: "words", sublinearTf: true, norm: null });
  const X = v.fitTransform(["x x x y", "y"]);
  // n = 2; idf(x) = ln(3/2)+1, idf(y) = ln(3/3)+1 = 1; tf(x) = 1 + ln 3
  near(denseRow(X, 0), [(1 + Math.log(3)) * (Math.log(1.5) + 1), 1], 1e-12);
  const l1 = new TfidfVectorizer({ ngramRange: [1, 1], tokenizer: "words", norm: "l1" }).fitTransform(["x x y", "y"]);
  const row = denseRow(l1, 0);
  near([row.reduce((s, v) => s + v, 0)], [1], 1e-12);
});

test("word 1-2-grams by default, minDf drops rare terms, stopwords go before n-grams", () => {
  const texts = ["the film was not good", "not good at all", "a good film"];
  const v = new TfidfVectorizer({ minDf: 2 });
  v.fit(texts);
  assert.deepEqual(v.featureNames(), ["film", "good", "not", "not good"]);
  const withStop = new TfidfVectorizer({ stopwords: "english" });
  assert.deepEqual(withStop.words("The film was NOT good."), ["film", "not", "good", "."]); // negations are kept; BERT splits "."
  assert.ok(withStop.terms("the film was good").includes("film good")); // "was" removed first, so the bigram joins
  const fraction = new TfidfVectorizer({ minDf: 0.6, ngramRange: [1, 1] }).fit(texts); // df ≥ 0.6·3 = 1.8
  assert.deepEqual(fraction.featureNames(), ["film", "good", "not"]);
  assert.throws(() => new TfidfVectorizer({ minDf: 5 }).fit(texts), /no term is in at least minDf=5/);
});

test("Chinese text becomes character unigrams and bigrams", () => {
  const v = new TfidfVectorizer();
  assert.deepEqual(v.terms("质量很好"), ["质", "量", "很", "好", "质 量", "量 很", "很 好"]);
});

test("transform ignores unknown terms; an all-unknown text is a zero row; maxFeatures keeps the most frequent", () => {
  const v = new TfidfVectorizer({ ngramRange: [1, 1] });
  v.fit(["red red blue", "red green"]);
  const X = v.transform(["purple", "blue purple"]);
  assert.deepEqual(denseRow(X, 0), [0, 0, 0]);
  assert.deepEqual(denseRow(X, 1), [1, 0, 0]); // blue alone, normalised
  const top = new TfidfVectorizer({ ngramRange: [1, 1], maxFeatures: 1 }).fit(["red red blue", "red green"]);
  assert.deepEqual(top.featureNames(), ["red"]);
  assert.throws(() => new TfidfVectorizer().transform(["x"]), /call fit\(texts\) first/);
});
