/**
 * Model fusion, two ways to combine several fine-tuned models:
 *   weight averaging ("model soup", Wortsman et al. 2022; checkpoint averaging): θ = Σₖ wₖ·θₖ, ONE model, so
 *     inference costs 1×. It only works when the models sit in one basin of the loss — fine-tuned from the
 *     same pretrained start (Neyshabur et al. 2020); models trained apart average into noise.
 *   logit ensembling: z = (1/K)·Σₖ zₖ(x) over K models, K× the inference cost, no such condition.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import type { BertInputs } from "../model/bert";
import { BertModel } from "../model/bert";
import { withHead, type TaskModel } from "../tasks/heads";
import type { SequenceClassifier } from "./classifier";

/**
 * The weighted average of the parameters of `models` (same configuration, head and label count), as a new
 * `TaskModel`. Default weights: uniform (the "uniform soup"). Inputs untouched.
 * @returns a new model (caller disposes)
 * @throws when the models disagree in kind, labels, parameter names or shapes
 */
export function averageWeights(models: readonly TaskModel[], options: { weights?: readonly number[] } = {}): TaskModel {
  const first = models[0];
  if (first === undefined) throw new Error("averageWeights: no models");
  const { weights = models.map(() => 1 / models.length) } = options;
  if (weights.length !== models.length) throw new Error(`averageWeights: ${weights.length} weights for ${models.length} models`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(Math.abs(sum - 1) < 1e-6)) throw new Error(`averageWeights: weights must sum to 1, got ${sum}`);
  models.forEach((m, k) => {
    if (m.kind !== first.kind || m.numLabels !== first.numLabels) throw new Error(`averageWeights: model ${k} is a ${m.kind} model with ${m.numLabels} labels, model 0 a ${first.kind} model with ${first.numLabels}`);
    if (JSON.stringify(m.bert.config) !== JSON.stringify(first.bert.config)) throw new Error(`averageWeights: model ${k} has another BertConfig than model 0`);
  });
  const average = (name: string): tf.Tensor =>
    tf.tidy(() => {
      const terms = models.map((m, k) => {
        const v = m.params.get(name);
        if (v === undefined) throw new Error(`averageWeights: model ${k} lacks ${name}`);
        return tf.mul(v, weights[k] as number);
      });
      return terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms);
    });
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const name of first.bert.params.keys()) tensors.set(name, average(name));
    const soup = withHead(first.kind, BertModel.fromParams(first.bert.config, tensors), first.numLabels, new Rng(0));
    for (const [name, v] of soup.head) {
      const mean = average(name);
      v.assign(mean);
      mean.dispose();
    }
    return soup;
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** Logit ensembling: the mean of the members' logits (K forward passes per call). Owns nothing. */
export class LogitEnsemble implements SequenceClassifier {
  readonly numLabels: number;

  /** @param members classifiers over the same labels (not disposed by the ensemble) */
  constructor(readonly members: readonly SequenceClassifier[]) {
    const first = members[0];
    if (first === undefined) throw new Error("LogitEnsemble: no members");
    if (members.some((m) => m.numLabels !== first.numLabels)) throw new Error(`LogitEnsemble: members disagree on the label count (${members.map((m) => m.numLabels).join(", ")})`);
    this.numLabels = first.numLabels;
  }

  /** `[B, T]` inputs → mean logits `[B, C]`; call inside `tf.tidy`. */
  logits(inputs: BertInputs, options: { rng?: Rng } = {}): tf.Tensor2D {
    const all = this.members.map((m) => m.logits(inputs, options));
    return tf.div(tf.addN(all), all.length) as tf.Tensor2D;
  }
}
