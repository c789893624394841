/**
 * The model-randomisation sanity check (Adebayo et al. 2018, §3.1): an explanation that stays the same when the
 * model's weights are replaced by random ones cannot be explaining what the model learned. We re-draw **every**
 * weight (encoder and head; the paper's full randomisation, not its layer-by-layer cascade) and compare the
 * attributions of the trained and the random model per example by Spearman's rank correlation of `|IG|` (the paper
 * shows results with and without the absolute value; magnitudes are what a heat map shows), over the positions
 * whose token differs from the baseline's (the others, `[CLS]` and `[SEP]`, are 0 in both maps by construction and
 * would inflate the correlation). High correlation = the explanation fails the check.
 */
import { Rng } from "../core/rng";
import { BertModel } from "../model/bert";
import { withHead, type TaskModel } from "../tasks/heads";
import { defaultBaseline, integratedGradients, type IntegratedGradientsOptions } from "./integrated-gradients";
import { spearman } from "./rank-correlation";

/**
 * A model of the same shape with freshly initialised weights (BERT's initialiser), drawn from `rng`.
 * @returns a new `TaskModel` (caller disposes)
 */
export function randomizedCopy(model: TaskModel, rng: Rng): TaskModel {
  return withHead(model.kind, BertModel.init(model.bert.config, rng), model.numLabels, rng);
}

/** The result of {@link randomizationCheck}: one correlation per example, and their mean. */
export interface RandomizationCheck {
  /** Spearman ρ of |IG| of the trained and the randomised model, per example (NaN when a map is constant). */
  correlations: number[];
  mean: number;
}

/**
 * Integrated Gradients of the trained and a randomised model on the same examples, explaining the trained model's
 * predicted class in both.
 * @param examples encoded texts (`[CLS] … [SEP]` ids)
 * @param options IG options, plus `seed` of the random weights (default 0)
 */
export function randomizationCheck(model: TaskModel, examples: readonly (readonly number[])[], options: IntegratedGradientsOptions & { seed?: number } = {}): RandomizationCheck {
  const { seed = 0, ...ig } = options;
  const random = randomizedCopy(model, new Rng(seed));
  try {
    const correlations = examples.map((ids) => {
      const trained = integratedGradients(model, ids, ig);
      const other = integratedGradients(random, ids, { ...ig, target: trained.target });
      const baseline = ig.baselineIds ?? defaultBaseline(ids, ig);
      const free = ids.map((_, i) => i).filter((i) => ids[i] !== baseline[i]);
      if (free.length < 2) return NaN;
      return spearman(free.map((i) => Math.abs(trained.attributions[i]!)), free.map((i) => Math.abs(other.attributions[i]!)));
    });
    const finite = correlations.filter(Number.isFinite);
    return { correlations, mean: finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length };
  } finally {
    random.dispose();
  }
}
