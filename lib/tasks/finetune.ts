/**
 * Fine-tuning on top of `lib/train`'s `train()` (AdamW, linear warm-up and decay, clipping): `epochs` passes over
 * the training set in shuffled, dynamically padded batches; after each epoch the caller's `evaluate` scores the
 * validation set, and the parameters of the best epoch (by `metric`, higher is better) are kept and restored at
 * the end — so the caller evaluates test ONCE, on the model validation chose (Devlin et al. 2019, §4: "selected
 * the best fine-tuning learning rate on the Dev set"; HF Trainer's `load_best_model_at_end`).
 */
import * as tf from "@tensorflow/tfjs";
import type { AdamWOptions } from "../train/adamw";
import { train, type StepRecord } from "../train/trainer";
import { batchTensors, EpochSampler, padBatch, type EncodedExample, type PaddedBatch, type Padding } from "./batching";
import type { TaskModel } from "./heads";
import { weightedCrossEntropy } from "./loss";

export interface FinetuneOptions {
  /** Passes over the training set (default 3; BERT's recipe is 2–4). */
  epochs?: number;
  /** Examples per step (default 32). */
  batchSize?: number;
  /** Peak learning rate (default 1e-4; `runTask` picks one by model width: `defaultFinetuneLr`). */
  lr?: number;
  /** Warm-up as a fraction of all steps (default 0.1, BERT's). */
  warmupFraction?: number;
  /** AdamW options (default weight decay 0.01, none on biases and LayerNorm). */
  optimizer?: AdamWOptions;
  /** Global-norm clipping (default 1.0). */
  clipNorm?: number;
  /** Seed of batch order and dropout (default 0). */
  seed?: number;
  /** Per-class loss weights (e.g. `balancedClassWeights`); default unweighted. */
  classWeights?: number[];
  /** Dynamic (`"longest"`, default) or fixed padding — fixed is there to measure what dynamic saves. */
  padding?: Padding;
  /** Key of `evaluate`'s result that picks the best epoch, higher is better (default "accuracy"). */
  metric?: string;
  /** Keep the best epoch's parameters (default true); false keeps the last. */
  keepBest?: boolean;
  /** Run folder for the trainer's `metrics.jsonl`, `run.json` and TensorBoard events (`tb/`). */
  outDir?: string;
  /** Facts for `run.json` and the TensorBoard config text (task, model, …). */
  run?: Record<string, unknown>;
  /** After every update (progress bars, live curves). */
  onStep?(record: StepRecord): void;
  /** After every epoch's validation. */
  onEval?(epoch: number, step: number, metrics: Record<string, number>): void;
}

/** What a fine-tuning run did. */
export interface FinetuneResult {
  /** The epoch whose parameters the model now holds, and its validation metrics. */
  best: { epoch: number; step: number; metrics: Record<string, number> };
  /** Validation metrics after each epoch. */
  evaluations: { epoch: number; step: number; metrics: Record<string, number> }[];
  history: StepRecord[];
  steps: number;
  stepsPerEpoch: number;
  /** Seconds spent in `train()` (updates and validation). */
  trainSeconds: number;
  /** Real tokens / padded tokens over the training batches (1 = no padding). */
  paddingEfficiency: number;
}

/**
 * Fine-tunes `model` in place on `data.train`; afterwards the model holds the best epoch's parameters.
 * @param data train examples and the tokenizer's `[PAD]` id
 * @param evaluate validation metrics of the current parameters (no dropout); called after each epoch
 * @throws when `metric` is not among `evaluate`'s keys, or the loss diverges (see `train`)
 */
export function finetune(model: TaskModel, data: { train: readonly EncodedExample[]; padId: number }, evaluate: () => Record<string, number>, options: FinetuneOptions = {}): FinetuneResult {
  const { epochs = 3, batchSize = 32, lr = 1e-4, warmupFraction = 0.1, optimizer, clipNorm = 1, seed = 0, classWeights, padding = "longest", metric = "accuracy", keepBest = true, outDir, run, onStep, onEval } = options;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new Error(`finetune: epochs must be a positive integer, got ${epochs}`);
  const { train: examples, padId } = data;
  const sampler = new EpochSampler(examples.length, batchSize);
  const stepsPerEpoch = sampler.batchesPerEpoch;
  const steps = epochs * stepsPerEpoch;
  const c = model.numLabels;
  let real = 0;
  let padded = 0;

  const evaluations: FinetuneResult["evaluations"] = [];
  let best: FinetuneResult["best"] | undefined;
  let snapshot: Map<string, tf.Tensor> | undefined;
  const began = performance.now();
  try {
    const result = train<PaddedBatch>(
      {
        params: model.params,
        nextBatch: (rng) => {
          const indices = sampler.next(rng);
          const batch = padBatch(indices.map((i) => examples[i] as EncodedExample), indices, padId, padding);
          real += batch.realTokens;
          padded += batch.inputIds.length * (batch.inputIds[0]?.length ?? 0);
          return batch;
        },
        loss: (batch, rng) => {
          const logits = model.logits(batchTensors(batch), { rng }); // [B, C] or [B, T, C]
          const labels = tf.tensor1d(batch.targets.flat(), "int32"); // [B] or [B·T]
          const loss = weightedCrossEntropy(logits.reshape([-1, c]) as tf.Tensor2D, labels, classWeights);
          const regularizer = model.training?.regularizer;
          return regularizer ? (tf.add(loss, regularizer()) as tf.Scalar) : loss;
        },
        afterUpdate: model.training?.afterStep ? (step, grads) => model.training?.afterStep?.(step, steps, grads) : undefined,
        batchSize: (batch) => batch.realTokens,
        evaluate,
      },
      {
        steps,
        lr,
        warmupSteps: Math.round(warmupFraction * steps),
        seed,
        clipNorm,
        evalEvery: stepsPerEpoch,
        optimizer,
        outDir,
        run,
        onStep,
        onEval: (step, metrics) => {
          const epoch = Math.round(step / stepsPerEpoch);
          const score = metrics[metric];
          if (score === undefined) throw new Error(`finetune: metric "${metric}" is not among the evaluation's (${Object.keys(metrics).join(", ")}); pass one of those as options.metric`);
          evaluations.push({ epoch, step, metrics });
          if (best === undefined || score > (best.metrics[metric] as number)) {
            best = { epoch, step, metrics };
            if (keepBest) {
              if (snapshot) tf.dispose([...snapshot.values()]);
              snapshot = new Map([...model.params].map(([name, v]) => [name, tf.clone(v)]));
            }
          }
          onEval?.(epoch, step, metrics);
        },
      },
    );
    if (keepBest && snapshot !== undefined) {
      for (const [name, variable] of model.params) variable.assign(snapshot.get(name) as tf.Tensor);
    } else if (!keepBest) {
      const last = evaluations.at(-1);
      if (last) best = last;
    }
    return {
      best: best as FinetuneResult["best"],
      evaluations,
      history: result.history,
      steps,
      stepsPerEpoch,
      trainSeconds: (performance.now() - began) / 1000,
      paddingEfficiency: padded > 0 ? real / padded : 1,
    };
  } finally {
    if (snapshot) tf.dispose([...snapshot.values()]);
  }
}
