/**
 * Tasks in sequence on one shared encoder, one classification head per task (the "multi-head" or task-incremental
 * setting: the task is known at test time), and the score matrix that shows forgetting. Three ways to train:
 *
 *   naive    fine-tune on each task in turn; earlier heads stay frozen, the encoder drifts (catastrophic
 *            forgetting, McCloskey & Cohen 1989)
 *   replay   each update also takes a small batch from a reservoir buffer of earlier tasks' examples, scored
 *            through their own heads (experience replay, Chaudhry et al. 2019)
 *   ewc      each update adds the EWC penalty of every earlier task on the encoder (Kirkpatrick et al. 2017)
 *
 * Training reuses `lib/tasks`' `finetune` (AdamW, warm-up, clipping): replay and EWC enter through its
 * `training.regularizer` hook, a term added to the loss whose gradient reaches the encoder.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import { accuracy } from "../metrics/classification";
import type { BertModel } from "../model/bert";
import { disposeParams } from "../nn/params";
import { batchTensors, padBatch, type EncodedExample } from "../tasks/batching";
import { finetune } from "../tasks/finetune";
import { BertForSequenceClassification, type TaskModel } from "../tasks/heads";
import { weightedCrossEntropy } from "../tasks/loss";
import { bestClass, predictSequence } from "../tasks/predict";
import { diagonalFisher, disposeEwcAnchor, ewcAnchor, ewcPenalty, type EwcAnchor } from "./ewc";
import { ReplayBuffer } from "./replay";

/** One task of the sequence: encoded examples with class targets in `[0, numLabels)`. */
export interface ContinualTask {
  name: string;
  numLabels: number;
  train: readonly EncodedExample[];
  test: readonly EncodedExample[];
}

/** How later stages protect earlier tasks: not at all, by replaying old examples, or by EWC's penalty. */
export type ContinualMethod = "naive" | "replay" | "ewc";

/** Options of {@link runContinual}. */
export interface ContinualOptions {
  method: ContinualMethod;
  /** The tokenizer's `[PAD]` id. */
  padId: number;
  /** Epochs per stage (default 1). */
  epochs?: number;
  /** Examples per update (default 16). */
  batchSize?: number;
  /** Peak learning rate of each stage's `finetune` (default 1e-4; the course's hidden-128 BERT wants ~1e-3). */
  lr?: number;
  /** Seeds heads, batch order, dropout, the buffer and its draws (default 0). */
  seed?: number;
  /** Replay: buffer capacity over all earlier tasks (default 100) and examples replayed per update (default 8). */
  replay?: { capacity?: number; batchSize?: number };
  /** EWC: λ (default 1000) and examples per Fisher estimate (default 64). */
  ewc?: { lambda?: number; fisherExamples?: number };
  /** After each stage, with that stage's row of scores. */
  onStage?(stage: number, row: (number | null)[]): void;
}

/** What a sequence did: `scores[i][j]` = test accuracy on task `j` after stage `i` (null before task `j`). */
export interface ContinualResult {
  method: ContinualMethod;
  tasks: string[];
  scores: (number | null)[][];
  seconds: number;
}

/** A view of `model` that `finetune` trains: encoder + this head, plus an extra loss term. */
function withRegularizer(model: TaskModel, regularizer: (() => tf.Scalar) | undefined): TaskModel {
  return { kind: model.kind, bert: model.bert, head: model.head, params: model.params, numLabels: model.numLabels, logits: (inputs, options) => model.logits(inputs, options), dispose: () => model.dispose(), training: regularizer ? { regularizer } : undefined };
}

/**
 * Trains `bert` on `tasks` in order with `method` and scores every task met so far after each stage.
 * Takes over `bert` and disposes it (and every head, buffer and anchor) before returning.
 * @throws Error on no tasks, or what `finetune` throws
 */
export function runContinual(bert: BertModel, tasks: readonly ContinualTask[], options: ContinualOptions): ContinualResult {
  const { method, padId, epochs = 1, batchSize = 16, lr = 1e-4, seed = 0, replay = {}, ewc = {}, onStage } = options;
  const { capacity = 100, batchSize: replayBatch = 8 } = replay;
  const { lambda = 1000, fisherExamples = 64 } = ewc;
  if (tasks.length === 0) {
    bert.dispose();
    throw new Error("runContinual: no tasks.");
  }
  const began = performance.now();
  const rng = new Rng(seed);
  const heads: TaskModel[] = [];
  const buffer = new ReplayBuffer<{ task: number; example: EncodedExample }>(capacity);
  const anchors: EwcAnchor[] = [];
  const scores: (number | null)[][] = [];
  const score = (task: number): number => {
    const t = tasks[task]!;
    const predictions = predictSequence(heads[task]!, t.test, padId).map(bestClass);
    return accuracy(predictions, t.test.map((e) => e.target as number));
  };
  // Replay's loss term: a buffer sample, each example through its own task's head (no dropout), averaged.
  const replayLoss = (): tf.Scalar => {
    const drawn = buffer.sample(replayBatch, rng);
    let total: tf.Scalar = tf.scalar(0);
    for (let task = 0; task < heads.length; task++) {
      const mine = drawn.filter((d) => d.task === task).map((d) => d.example);
      if (mine.length === 0) continue;
      const batch = padBatch(mine, mine.map((_, i) => i), padId);
      const ce = weightedCrossEntropy(heads[task]!.logits(batchTensors(batch)) as tf.Tensor2D, tf.tensor1d(batch.targets as number[], "int32"));
      total = tf.add(total, tf.mul(ce, mine.length / drawn.length)) as tf.Scalar;
    }
    return total;
  };
  try {
    for (let stage = 0; stage < tasks.length; stage++) {
      const task = tasks[stage]!;
      const head = new BertForSequenceClassification(bert, task.numLabels, rng);
      heads.push(head);
      const regularizer = stage === 0 ? undefined : method === "replay" ? replayLoss : method === "ewc" ? () => ewcPenalty(bert.params, anchors, lambda) : undefined;
      // keepBest off: the test score finetune sees after each epoch only reports, it never selects.
      finetune(withRegularizer(head, regularizer), { train: task.train, padId }, () => ({ accuracy: score(stage) }), { epochs, batchSize, lr, seed: seed + stage, keepBest: false });
      const row = tasks.map((_, j) => (j <= stage ? score(j) : null));
      scores.push(row);
      onStage?.(stage, row);
      if (stage === tasks.length - 1) break;
      if (method === "replay") for (const example of task.train) buffer.add({ task: stage, example }, rng);
      if (method === "ewc") {
        const sample = rng.shuffle([...task.train]).slice(0, fisherExamples);
        anchors.push(ewcAnchor(bert.params, diagonalFisher(head, sample, padId, { params: bert.params })));
      }
    }
    return { method, tasks: tasks.map((t) => t.name), scores, seconds: (performance.now() - began) / 1000 };
  } finally {
    for (const head of heads) disposeParams(head.head);
    anchors.forEach(disposeEwcAnchor);
    bert.dispose();
  }
}
