/**
 * Training and evaluating an image classifier with the course's one training loop (`lib/train`'s `train()`:
 * AdamW, linear warm-up and decay, clipping): `epochs` shuffled passes over the images, each batch preprocessed
 * on the fly from bytes (so the float copy of 60,000 images never sits in memory).
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageSplit } from "../data/fashion-mnist";
import { crossEntropy } from "../nn/loss";
import { EpochSampler } from "../tasks/batching";
import { train, type StepRecord } from "../train/trainer";
import { tidyData } from "../core/tidy-data";
import { preprocessImages, type ImagePreprocessing } from "./preprocess";
import type { VisionTransformer } from "./vit";

export interface ImageTrainOptions {
  /** Passes over the training images (default 1). */
  epochs?: number;
  /** Images per step (default 128). */
  batchSize?: number;
  /** Peak learning rate (default 1e-3, a common ViT-from-scratch value at this size). */
  lr?: number;
  /** Warm-up as a fraction of all steps (default 0.05). */
  warmupFraction?: number;
  /** AdamW weight decay (default 0.05; none on biases and LayerNorm). */
  weightDecay?: number;
  /** Seed of batch order and dropout (default 0). */
  seed?: number;
  /** After every update. */
  onStep?(record: StepRecord): void;
}

/**
 * Trains `model` in place on `split`.
 * @returns the per-step history and the seconds spent
 */
export function trainImageClassifier(model: VisionTransformer, split: ImageSplit, preprocessing: ImagePreprocessing, options: ImageTrainOptions = {}): { history: StepRecord[]; steps: number; seconds: number } {
  const { epochs = 1, batchSize = 128, lr = 1e-3, warmupFraction = 0.05, weightDecay = 0.05, seed = 0, onStep } = options;
  const sampler = new EpochSampler(split.count, batchSize);
  const steps = epochs * sampler.batchesPerEpoch;
  const shape = { rows: split.rows, cols: split.cols, channels: model.config.numChannels };
  const began = performance.now();
  const { history } = train<number[]>(
    {
      params: model.params,
      nextBatch: (rng) => sampler.next(rng),
      loss: (indices, rng) => {
        const images = preprocessImages(split.pixels, shape, indices, preprocessing); // [B, h, w, C]
        const labels = tf.tensor1d(Array.from(indices, (i) => split.labels[i] as number), "int32"); // [B]
        return crossEntropy(model.logits(images, { rng }), labels);
      },
      batchSize: (indices) => indices.length,
    },
    { steps, lr, warmupSteps: Math.round(warmupFraction * steps), seed, optimizer: { weightDecay }, onStep },
  );
  return { history, steps, seconds: (performance.now() - began) / 1000 };
}

/**
 * Predicted classes of every image of `split` (no dropout), `batchSize` at a time; leaves no tensor behind.
 * @returns `predictions[i]` for image i, and the accuracy against `split.labels`
 */
export function evaluateImageClassifier(model: VisionTransformer, split: ImageSplit, preprocessing: ImagePreprocessing, options: { batchSize?: number } = {}): { predictions: number[]; accuracy: number } {
  const { batchSize = 500 } = options;
  const shape = { rows: split.rows, cols: split.cols, channels: model.config.numChannels };
  const predictions: number[] = [];
  for (let start = 0; start < split.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.count - start) }, (_, k) => start + k);
    predictions.push(...tidyData(() => tf.argMax(model.logits(preprocessImages(split.pixels, shape, indices, preprocessing)), -1)));
  }
  const correct = predictions.filter((p, i) => p === split.labels[i]).length;
  return { predictions, accuracy: split.count > 0 ? correct / split.count : NaN };
}
