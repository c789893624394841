/**
 * Task heads on a BERT encoder, as Hugging Face's `BertForSequenceClassification` and
 * `BertForTokenClassification` (Devlin et al. 2019, §4 and Fig. 4):
 *   sequence:  logits = Dropout(pooler(h[CLS])) · W + b     `[B, H]` → `[B, C]`
 *   token:     logits = Dropout(h) · W + b                   `[B, T, H]` → `[B, T, C]`
 * The head is one Linear named `classifier.weight` / `classifier.bias` (stored `[H, C]` here, `[C, H]` in
 * PyTorch), drawn N(0, 0.02²) with a zero bias, as `_init_weights` does. Dropout is the encoder's
 * `hiddenDropout` (HF's `classifier_dropout` falls back to `hidden_dropout_prob`).
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertInputs, BertModel } from "../model/bert";
import { dropout, linear } from "../nn/layers";
import { constantVariable, disposeParams, normalVariable, param, type Params } from "../nn/params";

/** Which head: one label per text, or one per token. */
export type TaskKind = "sequence" | "token";

/** A BERT encoder with a classification head. */
export interface TaskModel {
  readonly kind: TaskKind;
  readonly bert: BertModel;
  /** `classifier.weight` `[H, C]` and `classifier.bias` `[C]`. */
  readonly head: Params;
  /** Encoder and head parameters in one map (what the trainer updates). Shares the variables. */
  readonly params: Params;
  readonly numLabels: number;
  /**
   * Logits `[B, C]` (sequence) or `[B, T, C]` (token). Call inside `tf.tidy`; `rng` turns on dropout
   * (training), omit it to evaluate.
   */
  logits(inputs: BertInputs, options?: { rng?: Rng }): tf.Tensor;
  /** Frees the encoder and the head. */
  dispose(): void;
  /**
   * Optional extras `finetune` runs (a `lib/peft` method's, e.g. AdaLoRA's): a term added to the loss, and a
   * call after each update with its gradients by parameter name (1-based `step` of `steps`).
   */
  readonly training?: {
    regularizer?(): tf.Scalar;
    afterStep?(step: number, steps: number, grads: Readonly<Record<string, tf.Tensor>>): void;
  };
}

/** A fresh `classifier` Linear `[H, C]` + `[C]` (caller disposes, usually through the model). */
export function initClassifier(hiddenSize: number, numLabels: number, rng: Rng, std = 0.02): Params {
  if (!Number.isInteger(numLabels) || numLabels < 2) throw new Error(`a classifier needs at least 2 labels, got ${numLabels}`);
  return new Map([
    ["classifier.weight", normalVariable("classifier.weight", [hiddenSize, numLabels], rng, std)],
    ["classifier.bias", constantVariable("classifier.bias", [numLabels], 0)],
  ]);
}

abstract class HeadModel implements TaskModel {
  abstract readonly kind: TaskKind;
  readonly head: Params;
  readonly params: Params;

  constructor(
    readonly bert: BertModel,
    readonly numLabels: number,
    rng: Rng,
  ) {
    this.head = initClassifier(bert.config.hiddenSize, numLabels, rng, bert.config.initializerRange);
    this.params = new Map([...bert.params, ...this.head]);
  }

  protected classify(x: tf.Tensor, rng?: Rng): tf.Tensor {
    const dropped = dropout(x, this.bert.config.hiddenDropout, rng);
    return linear(dropped, param(this.head, "classifier.weight") as tf.Tensor2D, param(this.head, "classifier.bias") as tf.Tensor1D);
  }

  abstract logits(inputs: BertInputs, options?: { rng?: Rng }): tf.Tensor;

  dispose(): void {
    disposeParams(this.head);
    this.bert.dispose();
    this.params.clear();
  }
}

/** `BertForSequenceClassification`: the pooled `[CLS]` vector → dropout → Linear. Takes over `bert` (disposes it). */
export class BertForSequenceClassification extends HeadModel {
  readonly kind = "sequence" as const;

  /** `[B, T]` inputs → logits `[B, C]`. */
  logits(inputs: BertInputs, options: { rng?: Rng } = {}): tf.Tensor2D {
    const { rng } = options;
    const { hidden } = this.bert.encode(inputs, { rng }); // [B, T, H]
    return this.classify(this.bert.pool(hidden), rng) as tf.Tensor2D; // [B, C]
  }
}

/** `BertForTokenClassification`: every token's vector → dropout → Linear. Takes over `bert` (disposes it). */
export class BertForTokenClassification extends HeadModel {
  readonly kind = "token" as const;

  /** `[B, T]` inputs → logits `[B, T, C]`. */
  logits(inputs: BertInputs, options: { rng?: Rng } = {}): tf.Tensor3D {
    const { rng } = options;
    const { hidden } = this.bert.encode(inputs, { rng }); // [B, T, H]
    return this.classify(hidden, rng) as tf.Tensor3D; // [B, T, C]
  }
}

/**
 * The model for `kind` on top of `bert` (which it takes over), its head drawn from `rng`.
 * @returns a `TaskModel` (caller disposes)
 */
export function withHead(kind: TaskKind, bert: BertModel, numLabels: number, rng: Rng): TaskModel {
  return kind === "sequence" ? new BertForSequenceClassification(bert, numLabels, rng) : new BertForTokenClassification(bert, numLabels, rng);
}
