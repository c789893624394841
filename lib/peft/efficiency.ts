/**
 * What fine-tuning costs, measured the same way for full fine-tuning and every PEFT method: trainable parameters
 * (with and without the head), the peak tfjs memory of one training step (forward + backward), AdamW's state
 * (two moments per trainable scalar), and the time per update. PEFT saves the optimiser state and the gradients of
 * the frozen weights — not the activations, which dominate at the course's sizes.
 */
import * as tf from "@tensorflow/tfjs";
import type { TaskModel } from "../tasks/heads";
import { batchTensors, type PaddedBatch } from "../tasks/batching";
import { weightedCrossEntropy } from "../tasks/loss";
import { AdamW } from "../train/adamw";
import { valueAndGrads } from "../train/grads";
import { PeftModel } from "./peft-model";

/** Trainable parameters of a task model: the method's alone (head excluded), with the head, and the whole model. */
export function trainableCounts(model: TaskModel): { method: string; trainable: number; trainableWithHead: number; total: number; percent: number } {
  if (model instanceof PeftModel) {
    const c = model.trainableCount();
    return { method: model.adapter().method.peftType, trainable: c.method, trainableWithHead: c.withModules, total: c.total, percent: (100 * c.method) / c.total };
  }
  const head = [...model.head.values()].reduce((n, v) => n + v.size, 0);
  const bert = model.bert.numParams();
  return { method: "FULL", trainable: bert, trainableWithHead: bert + head, total: bert + head, percent: (100 * bert) / (bert + head) };
}

/** One training step's measurements (see `measureTrainingStep`). */
export interface StepCost {
  /** Mean seconds per update (forward, backward, AdamW) over the timed steps. */
  secondsPerStep: number;
  /** tfjs's peak bytes during one forward + backward (`tf.profile`) above what was allocated before it: activations, gradients, temporaries. */
  peakStepBytes: number;
  /** AdamW's moments: 2 × 4 bytes per trainable scalar. */
  optimizerStateBytes: number;
  /** Bytes of the parameters that get gradients (4 per scalar). */
  trainableBytes: number;
}

/**
 * Times `steps` AdamW updates of `model` on `batch` (after one untimed warm-up step) and profiles one forward +
 * backward. Updates the model's trainable parameters (use a throwaway model). Leaves no tensors.
 */
export async function measureTrainingStep(model: TaskModel, batch: PaddedBatch, options: { steps?: number; lr?: number } = {}): Promise<StepCost> {
  const { steps = 3, lr = 1e-4 } = options;
  const c = model.numLabels;
  const loss = () =>
    tf.tidy(() => {
      const logits = model.logits(batchTensors(batch)); // [B, C] or [B, T, C]
      return weightedCrossEntropy(logits.reshape([-1, c]) as tf.Tensor2D, tf.tensor1d(batch.targets.flat(), "int32"));
    });
  const optimizer = new AdamW();
  const update = () => {
    const { value, grads } = valueAndGrads(model.params, loss);
    optimizer.apply(model.params, grads, lr);
    tf.dispose([value, ...Object.values(grads)]);
  };
  try {
    update(); // warm-up: kernels compiled, AdamW's moments allocated
    const began = performance.now();
    for (let i = 0; i < steps; i++) update();
    const secondsPerStep = (performance.now() - began) / 1000 / steps;
    const resident = tf.memory().numBytes;
    const profile = await tf.profile(() => {
      const { value, grads } = valueAndGrads(model.params, loss);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const state = optimizer.state();
    const moments = [...state.m.values(), ...state.v.values()].reduce((n, v) => n + v.size, 0);
    const trainable = [...model.params.values()].reduce((n, v) => n + v.size, 0);
    return { secondsPerStep, peakStepBytes: profile.peakBytes - resident, optimizerStateBytes: 4 * moments, trainableBytes: 4 * trainable };
  } finally {
    optimizer.dispose();
  }
}
