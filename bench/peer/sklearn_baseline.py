#!/usr/bin/python3
"""scikit-learn's TF-IDF + logistic regression baseline, the peer of `trainTfidfBaseline` in bench/baseline.ts.

Reads one JSON request on stdin and prints one JSON answer. The texts come as our words (our BERT pre-tokeniser's
output), so both sides count the same tokens; sklearn forms the n-grams itself (identity tokenizer/preprocessor).
Settings mirror `trainTfidfBaseline`'s defaults: 1–2-grams, sublinear tf, smooth idf, l2, min_df 1, then
LogisticRegression(C, solver="lbfgs", multi_class="multinomial", max_iter, tol=1e-4). Runs on Debian's
python3-sklearn (1.2):

  /usr/bin/python3 bench/peer/sklearn_baseline.py < request.json
  request: {"train": [[word, ...]], "trainLabels": [...], "test": [[word, ...]], "testLabels": [...],
            "numClasses": K, "C": 10, "maxIter": 200}
  answer:  {"predictions", "accuracy", "macroF1", "features", "nIter", "fitSeconds", "predictSeconds"}
Times cover vectoriser + model (fit) and transform + predict, not Python start-up or JSON.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score


def identity(words):
    return words


def main():
    req = json.load(sys.stdin)
    vectorizer = TfidfVectorizer(
        tokenizer=identity, preprocessor=identity, lowercase=False, token_pattern=None,
        ngram_range=(1, 2), sublinear_tf=True, smooth_idf=True, norm="l2", min_df=1, dtype=np.float64,
    )
    model = LogisticRegression(C=req["C"], solver="lbfgs", multi_class="multinomial", max_iter=req["maxIter"], tol=1e-4)
    t0 = time.perf_counter()
    X = vectorizer.fit_transform(req["train"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # reported below as nIter == maxIter
        model.fit(X, np.array(req["trainLabels"]))
    t1 = time.perf_counter()
    predictions = model.predict(vectorizer.transform(req["test"]))
    t2 = time.perf_counter()
    labels = list(range(req["numClasses"]))
    y = req["testLabels"]
    json.dump({
        "predictions": predictions.tolist(),
        "accuracy": accuracy_score(y, predictions),
        "macroF1": f1_score(y, predictions, labels=labels, average="macro", zero_division=0),
        "features": len(vectorizer.vocabulary_),
        "nIter": int(model.n_iter_[0]),
        "fitSeconds": t1 - t0,
        "predictSeconds": t2 - t1,
    }, sys.stdout)


if __name__ == "__main__":
    main()
