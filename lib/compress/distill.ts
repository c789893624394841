/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural Network"): a small
 * student learns from a teacher's temperature-softened class distribution as well as from the labels:
 *   loss = α · T² · KL(softmax(z_t / T) ‖ softmax(z_s / T))  +  (1 − α) · CE(z_s, y)
 * T² keeps the soft term's gradients on the scale of the hard term's as T changes (§2). KL is averaged over
 * the batch (PyTorch's `reduction="batchmean"`). With α = 0 this is plain fine-tuning on the labels — the
 * control run, through the same code.
 * The student starts as DistilBERT does (Sanh et al. 2019, §3): the teacher's embeddings, pooler, head and one
 * layer out of two. Teacher logits are computed once, before training (no dropout), not at every step.
 * Shape legend: `B` batch, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import { BertModel } from "../model/bert";
import { batchTensors, EpochSampler, padBatch, type EncodedExample, type PaddedBatch } from "../tasks/batching";
import { withHead, type TaskModel } from "../tasks/heads";
import { train, type StepRecord } from "../train/trainer";

/** Options of `distillationLoss`. */
export interface DistillationLossOptions {
  /** Softmax temperature T (default 2; Hinton et al. try 1–20, DistilBERT uses 2). */
  temperature?: number;
  /** Weight α of the soft (teacher) term; 1 − α goes to the labels (default 0.5). */
  alpha?: number;
}

/**
 * The distillation loss above (a scalar; inside the caller's tidy).
 * @param studentLogits `[B, C]`
 * @param teacherLogits `[B, C]` (constants: no gradient flows into the teacher)
 * @param labels `[B]` int32 class ids
 */
export function distillationLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, labels: tf.Tensor1D, options: DistillationLossOptions = {}): tf.Scalar {
  const { temperature: T = 2, alpha = 0.5 } = options;
  if (!(T > 0)) throw new Error(`distillationLoss: temperature must be > 0, got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`distillationLoss: alpha must be in [0, 1], got ${alpha}`);
  const [b, c] = studentLogits.shape;
  const studentLog = tf.logSoftmax(tf.div(studentLogits, T), -1); // [B, C]
  const teacherLog = tf.logSoftmax(tf.div(teacherLogits, T), -1); // [B, C]
  const kl = tf.div(tf.sum(tf.mul(tf.exp(teacherLog), tf.sub(teacherLog, studentLog))), b); // batchmean
  const hard = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels.toInt(), c).toFloat(), tf.logSoftmax(studentLogits, -1)), -1)));
  return tf.add(tf.mul(kl, alpha * T * T), tf.mul(hard, 1 - alpha)) as tf.Scalar;
}

/**
 * A shallower copy of `teacher`: embeddings, pooler, MLM head and classifier copied, and the encoder layers
 * `layers` (default every other one from 0: 0, 2, 4, …, as DistilBERT) renumbered 0, 1, ….
 * The teacher is untouched. @returns a new `TaskModel` (caller disposes)
 */
export function shallowStudent(teacher: TaskModel, options: { layers?: readonly number[] } = {}): TaskModel {
  const c = teacher.bert.config;
  const { layers = Array.from({ length: Math.ceil(c.numLayers / 2) }, (_, i) => 2 * i) } = options;
  if (layers.length === 0 || layers.some((l) => !Number.isInteger(l) || l < 0 || l >= c.numLayers)) throw new Error(`shallowStudent: layers must be indices in 0…${c.numLayers - 1}, got [${layers}]`);
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, variable] of teacher.bert.params) {
    const m = /^bert\.encoder\.layer\.(\d+)\.(.*)$/.exec(name);
    if (m === null) tensors.set(name, variable);
    else layers.forEach((l, i) => l === Number(m[1]) && tensors.set(`bert.encoder.layer.${i}.${m[2]}`, variable));
  }
  const bert = BertModel.fromParams({ ...c, numLayers: layers.length }, tensors); // copies into new variables
  const student = withHead(teacher.kind, bert, teacher.numLabels, new Rng(0));
  for (const [name, v] of student.head) tf.tidy(() => v.assign(teacher.head.get(name) as tf.Tensor));
  return student;
}

/** Options of `distill`. */
export interface DistillOptions extends DistillationLossOptions {
  /** Passes over the training set (default 3). */
  epochs?: number;
  /** Examples per step (default 32). */
  batchSize?: number;
  /** Peak learning rate (default 1e-4). */
  lr?: number;
  /** Warm-up share of all steps (default 0.1). */
  warmupFraction?: number;
  /** Seed of batch order and dropout (default 0). */
  seed?: number;
  /** Global-norm clipping (default 1). */
  clipNorm?: number;
  /** After every update (progress, curves; `PruneReport.applyMasks` to keep pruned weights at zero). */
  onStep?(record: StepRecord): void;
}

/** What `distill` did. */
export interface DistillResult {
  history: StepRecord[];
  steps: number;
  /** Seconds in `train()`. */
  trainSeconds: number;
}

/**
 * Trains `student` in place (`lib/train`'s `train()`: AdamW, warm-up + linear decay, clipping) on
 * `distillationLoss` against `teacherLogits` (one row per training example, e.g. from `classifierLogits`).
 * Also serves as plain fine-tuning with α = 0, and as recovery fine-tuning of any model with `params`.
 * @param student anything with `params` and `logits` (a `TaskModel`, a `CompactBertClassifier`)
 */
export function distill(
  student: { params: TaskModel["params"]; logits: TaskModel["logits"] },
  data: { train: readonly EncodedExample[]; teacherLogits: readonly (readonly number[])[]; padId: number },
  options: DistillOptions = {},
): DistillResult {
  const { epochs = 3, batchSize = 32, lr = 1e-4, warmupFraction = 0.1, seed = 0, clipNorm = 1, temperature, alpha, onStep } = options;
  const { train: examples, teacherLogits, padId } = data;
  if (teacherLogits.length !== examples.length) throw new Error(`distill: ${teacherLogits.length} teacher rows for ${examples.length} training examples`);
  const sampler = new EpochSampler(examples.length, batchSize);
  const steps = epochs * sampler.batchesPerEpoch;
  const began = performance.now();
  const result = train<PaddedBatch>(
    {
      params: student.params,
      nextBatch: (rng) => {
        const indices = sampler.next(rng);
        return padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId);
      },
      loss: (batch, rng) => {
        const logits = student.logits(batchTensors(batch), { rng }) as tf.Tensor2D; // [B, C]
        const teacher = tf.tensor2d(batch.indices.map((i) => [...(teacherLogits[i] as number[])])); // [B, C]
        return distillationLoss(logits, teacher, tf.tensor1d(batch.targets as number[], "int32"), { temperature, alpha });
      },
      batchSize: (batch) => batch.inputIds.length,
    },
    { steps, lr, warmupSteps: Math.round(warmupFraction * steps), seed, clipNorm, onStep },
  );
  return { history: result.history, steps, trainSeconds: (performance.now() - began) / 1000 };
}
