// The webgpu backend can train the course's encoder: AdamW steps of a small encoder block (embedding lookup,
// multi-head attention with a padding mask, LayerNorm, GELU, dropout, softmax cross-entropy) give the same losses
// on webgpu as on tfjs's reference `cpu` backend, and leave no tensor behind. In CI it runs on Mesa's software
// adapter (llvmpipe through Dawn's OpenGL backend: `.ci/run` installs libegl-dev, libegl-mesa0, libgl1-mesa-dri);
// on a machine with a GPU, on the GPU. The course trainer (warm-up, clipping: AddN over every parameter) on a tiny
// BERT with its MLM head, and LoRA fine-tuning of a BERT classifier, give cpu's losses too. Correctness only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { initBackend, probeWebGpu, Rng } from "../../lib/core";
import { BertModel, bertConfig } from "../../lib/model";
import { maskBatch, mlmLoss, mlmTensors, type MaskedBatch } from "../../lib/pretrain";
import { train as trainTask, type TrainingTask } from "../../lib/train";
import { Lora } from "../../lib/peft";
import { finetune } from "../../lib/tasks";
import { examples, randomPeft, trainingLoss } from "../peft/helpers";
import { train } from "./fixtures/encoder-training";

/** As the wasm test: float32 summed in another order (llvmpipe measured 2.4e-7 on losses of ≈3.7). */
const TOLERANCE = 1e-4;
const STEPS = 4;

/** Whether this machine has what the software adapter needs (Debian's paths), so that no adapter there is a failure, not a skip. */
const MESA = ["/usr/lib/x86_64-linux-gnu/libEGL.so", "/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0", "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so"].every((path) => existsSync(path));

/** `run()` on webgpu, then on cpu (back to webgpu after); undefined (and the test skipped) without an adapter. */
async function onWebgpuThenCpu<T>(t: { skip(message: string): void }, run: () => T): Promise<{ webgpu: T; cpu: T } | undefined> {
  const probe = await probeWebGpu({ software: true });
  if (!probe.adapter) {
    t.skip(`no WebGPU adapter: ${probe.why}`);
    return undefined;
  }
  await initBackend({ backend: "webgpu" });
  assert.equal(tf.getBackend(), "webgpu");
  const webgpu = run();
  await tf.setBackend("cpu");
  const cpu = run();
  await tf.setBackend("webgpu");
  return { webgpu, cpu };
}

/** Losses equal within TOLERANCE, step by step. */
function assertSameLosses(what: string, { webgpu, cpu }: { webgpu: number[]; cpu: number[] }): void {
  console.log(`${what} losses webgpu ${webgpu.map((l) => l.toFixed(6)).join(" ")}\n${what} losses cpu    ${cpu.map((l) => l.toFixed(6)).join(" ")}\nmax |difference| ${Math.max(...webgpu.map((l, i) => Math.abs(l - (cpu[i] as number)))).toExponential(2)}`);
  assert.equal(webgpu.length, cpu.length);
  for (let i = 0; i < cpu.length; i++) assert.ok(Math.abs((webgpu[i] as number) - (cpu[i] as number)) < TOLERANCE, `${what} step ${i}: webgpu ${webgpu[i]} vs cpu ${cpu[i]}`);
}

test("a WebGPU adapter is found where Mesa's software renderer is installed", { skip: MESA ? false : "no Mesa EGL here (install libegl-dev libegl-mesa0 libgl1-mesa-dri)" }, async () => {
  const probe = await probeWebGpu({ software: true });
  assert.ok(probe.adapter, probe.why);
  assert.equal(typeof probe.adapter.software, "boolean");
  assert.ok(probe.adapter.device.length > 0);
});

test(`webgpu training steps equal cpu training steps within ${TOLERANCE}; no tensor left behind`, async (t) => {
  const losses = await onWebgpuThenCpu(t, () => train(7, STEPS));
  if (!losses) return;
  assertSameLosses("encoder", losses);
  const before = tf.memory().numTensors; // after a run, so that cached constants do not count
  train(7, 1);
  assert.equal(tf.memory().numTensors, before, "a training step leaked tensors on webgpu");
});

/** Three steps of the course trainer (AdamW, warm-up, global-norm clipping) on a tiny BERT with the MLM head. */
function trainBert(): number[] {
  const config = bertConfig("tiny", { vocabSize: 64, maxPositions: 16, numLayers: 1 });
  const model = BertModel.init(config, new Rng(3));
  const masking = { vocabSize: config.vocabSize, maskTokenId: 4, specialIds: new Set([0, 1, 2, 3, 4]), rate: 0.3 };
  const ones = [new Array<number>(12).fill(1), new Array<number>(12).fill(1)];
  const task: TrainingTask<MaskedBatch> = {
    params: model.params,
    nextBatch: (rng) => maskBatch(ones.map((row) => row.map(() => 5 + rng.int(config.vocabSize - 5))), rng, masking),
    loss: (batch, rng) => mlmLoss(model, mlmTensors(batch, ones), rng),
  };
  try {
    return trainTask(task, { steps: 3, lr: 1e-3, warmupSteps: 1, clipNorm: 0.5, seed: 1 }).history.map((r) => r.loss);
  } finally {
    model.dispose();
  }
}

test(`the course trainer on a BERT with the MLM head: webgpu equals cpu within ${TOLERANCE}`, async (t) => {
  const losses = await onWebgpuThenCpu(t, trainBert);
  if (losses) assertSameLosses("BERT", losses);
});

/** LoRA fine-tuning of a tiny BERT classifier (the PEFT path: adapters, frozen base, the task head): loss after. */
function finetuneLora(): number {
  const model = randomPeft(5, (c) => new Lora(c, { r: 4, alpha: 8 }, new Rng(2)));
  const data = examples(16);
  try {
    finetune(model, { train: data, padId: 0 }, () => ({ accuracy: 0 }), { epochs: 1, batchSize: 8, lr: 1e-2, warmupFraction: 0, keepBest: false });
    return trainingLoss(model, data);
  } finally {
    model.dispose();
  }
}

test(`LoRA fine-tuning of a BERT classifier: webgpu equals cpu within ${TOLERANCE}`, async (t) => {
  const losses = await onWebgpuThenCpu(t, () => [finetuneLora()]);
  if (losses) assertSameLosses("LoRA (after fine-tuning)", losses);
});
