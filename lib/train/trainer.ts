/**
 * The training loop every chapter uses: AdamW with linear warm-up and decay, global-norm clipping, gradient
 * accumulation, periodic evaluation, a JSONL metrics log, TensorBoard event files (`lib/track`), and resumable
 * checkpoints. With `budgetSeconds` it trains for a wall-clock budget instead of a step count (Cramming): the
 * schedule follows the fraction of the budget spent, and the time spent is checkpointed, so a resumed run
 * continues the same schedule.
 *
 * All randomness of a run — batch order, masking, dropout — flows from one `Rng` whose state is checkpointed
 * with the parameters and AdamW's moments; so a run killed at any point and resumed replays the losses of the
 * uninterrupted run exactly (same seed, same backend).
 */
import * as tf from "@tensorflow/tfjs";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../core/rng";
import type { Params } from "../nn/params";
import { AdamW, type AdamWOptions } from "./adamw";
import { clipByGlobalNorm } from "./clip";
import { valueAndGrads } from "./grads";
import { budgetWarmupDecay, linearWarmupDecay } from "./schedule";
import { findTrainState, loadTrainState, saveTrainState } from "./train-state";
import { writeFileAtomic } from "../core/atomic";
import { TrainingEvents, type TensorBoardOptions } from "../track/training-events";

/** What a trainer needs to know about a task. `B` is a batch of plain data (arrays), not tensors. */
export interface TrainingTask<B> {
  params: Params;
  /** Draws the next training batch from `rng` (data order, masking). */
  nextBatch(rng: Rng): B;
  /** The batch's loss; `rng` drives dropout. Build tensors inside: they are freed after the step. */
  loss(batch: B, rng: Rng): tf.Scalar;
  /** Tokens (or examples) a batch counts for throughput. */
  batchSize?(batch: B): number;
  /** Held-out metrics (no dropout); called every `evalEvery` steps and at the end. */
  evaluate?(): Record<string, number>;
  /** After each optimiser update (1-based `step`), with the clipped gradients it applied (freed afterwards). */
  afterUpdate?(step: number, grads: Readonly<Record<string, tf.Tensor>>): void;
}

export interface TrainOptions {
  /** Updates to make; with `budgetSeconds`, an upper bound (may be `Infinity`). */
  steps: number;
  /** Wall-clock budget of the training loop (steps, evaluations, checkpoints) in seconds: training stops once it
   * is spent and the learning rate follows `budgetWarmupDecay` of the fraction spent (no step count needed). */
  budgetSeconds?: number;
  /** With `budgetSeconds`: the warm-up's share of the budget (default 0.1). */
  warmupFraction?: number;
  /** Seconds on a monotonic clock (default `performance.now() / 1000`); tests pass a fake one. */
  clock?(): number;
  /** Peak learning rate. */
  lr: number;
  /** Warm-up steps (default 10% of `steps`, as BERT's fine-tuning recipes do). */
  warmupSteps?: number;
  seed?: number;
  /** Clip the global gradient norm to this (default 1.0, BERT's); 0 turns clipping off. */
  clipNorm?: number;
  /** Micro-batches per update (gradients averaged): a bigger effective batch at the same memory. */
  accumulation?: number;
  evalEvery?: number;
  /** Write a resumable checkpoint every N steps (needs `outDir`). */
  checkpointEvery?: number;
  /** Run folder: `metrics.jsonl`, `run.json`, `tb/` (TensorBoard events) and `checkpoint/`. */
  outDir?: string;
  /** TensorBoard event files in `outDir/tb` (default on when there is an `outDir`); false turns them off. */
  tensorboard?: boolean | TensorBoardOptions;
  /** Continue from `outDir/checkpoint` when one exists. */
  resume?: boolean;
  optimizer?: AdamWOptions;
  /** Called after every update (progress bars, live curves). */
  onStep?(record: StepRecord): void;
  /** Called after every evaluation. */
  onEval?(step: number, metrics: Record<string, number>): void;
  /** Facts stored with checkpoints and compared on resume (e.g. the model config). */
  run?: Record<string, unknown>;
}

export interface StepRecord {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Items (`batchSize`) per second over this step. */
  throughput: number;
  seconds: number;
}

export interface TrainResult {
  history: StepRecord[];
  evaluations: { step: number; metrics: Record<string, number> }[];
  /** Step the run started from (> 0 when resumed). */
  resumedFrom: number;
  /** Seconds the training loop ran, over all sessions of a resumed run (what `budgetSeconds` is compared with). */
  elapsedSeconds: number;
}

/** Appends one JSON line; the log is the run's record, read back by notebooks and `course` commands. */
function logLine(file: string | undefined, record: object): void {
  if (file !== undefined) appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/**
 * Trains `task.params` in place.
 * @throws when the loss becomes NaN or infinite (naming the step and learning rate), or on a checkpoint that
 * belongs to another run.
 */
export function train<B>(task: TrainingTask<B>, options: TrainOptions): TrainResult {
  const { steps, budgetSeconds, warmupFraction = 0.1, clock = () => performance.now() / 1000, lr, warmupSteps = Number.isFinite(steps) ? Math.floor(steps / 10) : 0, seed = 0, clipNorm = 1, accumulation = 1, evalEvery = 0, checkpointEvery = 0, outDir, resume = false, tensorboard = true, onStep, onEval, run = {} } = options;
  if (!(steps > 0) || !(Number.isInteger(steps) || (steps === Infinity && budgetSeconds !== undefined))) throw new Error(`train: steps must be a positive integer (Infinity only with budgetSeconds), got ${steps}`);
  if (budgetSeconds !== undefined && !(budgetSeconds > 0)) throw new Error(`train: budgetSeconds must be positive, got ${budgetSeconds}`);
  if (checkpointEvery > 0 && outDir === undefined) throw new Error("train: checkpointEvery needs an outDir to write checkpoints to");
  const optimizer = new AdamW(options.optimizer);
  let rng = new Rng(seed);
  let start = 0;
  let elapsedBefore = 0; // seconds spent by earlier sessions of this run (from the checkpoint)
  const history: StepRecord[] = [];
  const evaluations: TrainResult["evaluations"] = [];
  const checkpointDir = outDir === undefined ? undefined : join(outDir, "checkpoint");
  const metricsFile = outDir === undefined ? undefined : join(outDir, "metrics.jsonl");
  if (outDir !== undefined) mkdirSync(outDir, { recursive: true });

  if (resume && checkpointDir !== undefined && findTrainState(checkpointDir) !== undefined) {
    const state = loadTrainState(checkpointDir, task.params, optimizer);
    for (const [key, value] of Object.entries(run)) {
      if (JSON.stringify(state.run[key]) !== JSON.stringify(value)) {
        optimizer.dispose();
        throw new Error(`${checkpointDir}: checkpoint was made with ${key}=${JSON.stringify(state.run[key])}, this run has ${JSON.stringify(value)}; use another --out or drop --resume`);
      }
    }
    start = state.step;
    elapsedBefore = state.elapsedSeconds ?? 0;
    rng = Rng.fromState(state.rng);
    history.push(...(state.history as unknown as StepRecord[]));
    // The log may hold lines past the checkpoint (the killed run went on): keep what the checkpoint covers.
    if (metricsFile !== undefined && existsSync(metricsFile)) {
      const kept = readFileSync(metricsFile, "utf8").split("\n").filter((line) => line && (JSON.parse(line) as { step: number }).step <= start);
      writeFileAtomic(metricsFile, kept.map((l) => `${l}\n`).join(""));
    }
  } else if (metricsFile !== undefined) {
    writeFileSync(metricsFile, "");
  }

  const tb = tensorboard === false ? undefined : tensorboard === true ? {} : tensorboard;
  const histogramEvery = tb?.histogramEvery ?? (evalEvery > 0 ? evalEvery : Number.isFinite(steps) ? Math.max(1, Math.ceil(steps / 10)) : 100);
  const trainer = { steps, lr, warmupSteps, seed, clipNorm, accumulation, evalEvery, checkpointEvery, optimizer: options.optimizer ?? {}, ...(budgetSeconds === undefined ? {} : { budgetSeconds, warmupFraction }) };
  const began = clock();
  const elapsed = () => elapsedBefore + (clock() - began);
  let done = start;
  const events = outDir === undefined || tb === undefined ? undefined : new TrainingEvents(outDir, { resumedFrom: start, trainer, run }, { bins: tb.bins });
  const weights = (step: number) => {
    if (events !== undefined && histogramEvery > 0) events.weights(step, task.params);
  };

  const evaluate = (step: number) => {
    if (task.evaluate === undefined) return;
    const metrics = task.evaluate();
    evaluations.push({ step, metrics });
    logLine(metricsFile, { step, eval: metrics });
    events?.evaluation(step, metrics);
    onEval?.(step, metrics);
  };

  try {
    if (start === 0) weights(0);
    for (let step = start; step < steps; step++) {
      if (budgetSeconds !== undefined && elapsed() >= budgetSeconds) break; // spent (a resumed run may start spent)
      const stepBegan = performance.now();
      const rate = budgetSeconds === undefined ? linearWarmupDecay(step, lr, warmupSteps, steps) : budgetWarmupDecay(elapsed() / budgetSeconds, lr, warmupFraction);
      let lossSum = 0;
      let items = 0;
      let summed: Record<string, tf.Tensor> = {};
      for (let micro = 0; micro < accumulation; micro++) {
        const batch = task.nextBatch(rng);
        items += task.batchSize?.(batch) ?? 1;
        const { value, grads } = valueAndGrads(task.params, () => task.loss(batch, rng));
        lossSum += value.dataSync()[0] as number;
        value.dispose();
        const next = tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, summed[k] ? tf.add(summed[k] as tf.Tensor, g) : g.clone()])));
        tf.dispose([...Object.values(summed), ...Object.values(grads)]);
        summed = next;
      }
      const loss = lossSum / accumulation;
      if (!Number.isFinite(loss)) {
        tf.dispose(Object.values(summed));
        throw new Error(`loss is ${loss} at step ${step + 1} (learning rate ${rate.toExponential(2)}): lower --lr, or check the batch for empty or invalid labels${checkpointDir ? `; the last good checkpoint is in ${checkpointDir}` : ""}`);
      }
      const mean = tf.tidy(() => Object.fromEntries(Object.entries(summed).map(([k, g]) => [k, tf.div(g, accumulation)])));
      tf.dispose(Object.values(summed));
      const { grads, norm } = clipByGlobalNorm(mean, clipNorm > 0 ? clipNorm : Infinity);
      tf.dispose(Object.values(mean));
      optimizer.apply(task.params, grads, rate);
      task.afterUpdate?.(step + 1, grads);
      tf.dispose(Object.values(grads));

      const seconds = (performance.now() - stepBegan) / 1000;
      const record: StepRecord = { step: step + 1, loss, lr: rate, gradNorm: norm, throughput: items / seconds, seconds };
      history.push(record);
      logLine(metricsFile, record);
      events?.step(record as StepRecord & Record<string, number>);
      done = step + 1;
      const last = done === steps || (budgetSeconds !== undefined && elapsed() >= budgetSeconds);
      if (histogramEvery > 0 && (done % histogramEvery === 0 || last)) weights(done);
      onStep?.(record);
      if (evalEvery > 0 && done % evalEvery === 0 && !last) evaluate(done);
      if (checkpointEvery > 0 && checkpointDir !== undefined && (done % checkpointEvery === 0 || last)) {
        saveTrainState(checkpointDir, task.params, optimizer, { step: done, rng: rng.state(), history: history as unknown as Record<string, number>[], run, elapsedSeconds: elapsed() });
      }
      if (last) break;
    }
    evaluate(done);
  } finally {
    optimizer.dispose();
    events?.close();
  }
  return { history, evaluations, resumedFrom: start, elapsedSeconds: elapsed() };
}
