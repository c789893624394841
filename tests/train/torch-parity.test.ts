/**
 * Issue #11 part 4: `AdamW` is documented as Hugging Face's / `torch.optim.AdamW`'s update (decoupled weight decay,
 * bias-corrected moments, ε outside the square root). Checked against PyTorch itself (Debian's python3-torch under
 * /usr/bin/python3): the same seeded parameters and gradients, six steps with changing learning rates, weight
 * decay on the weight and none on the bias (BERT's rule, as two torch parameter groups).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { AdamW } from "../../lib/train";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
const torchMissing = probe.status === 0 ? false : `${PYTHON} has no torch (apt-get install -y python3-torch)`;

before(async () => {
  await initBackend({ backend: "cpu" });
});

test("AdamW equals torch.optim.AdamW step for step (weight decay on weights, not on biases)", { skip: torchMissing }, () => {
  const rng = new Rng(7);
  const draw = (n: number, scale: number): number[] => Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
  const weight0 = draw(6, 1);
  const bias0 = draw(3, 1);
  const steps = Array.from({ length: 6 }, (_, s) => ({ lr: 0.05 / (s + 1), weight: draw(6, 2), bias: draw(3, 0.001) }));
  const options = { beta1: 0.9, beta2: 0.999, epsilon: 1e-6, weightDecay: 0.01 };
  const script = [
    "import json, sys, torch",
    "c = json.load(sys.stdin)",
    "w = torch.nn.Parameter(torch.tensor(c['weight0'], dtype=torch.float64))",
    "b = torch.nn.Parameter(torch.tensor(c['bias0'], dtype=torch.float64))",
    "o = c['options']",
    "opt = torch.optim.AdamW([{'params': [w], 'weight_decay': o['weightDecay']}, {'params': [b], 'weight_decay': 0.0}], lr=1.0, betas=(o['beta1'], o['beta2']), eps=o['epsilon'])",
    "out = []",
    "for s in c['steps']:",
    "    for g in opt.param_groups: g['lr'] = s['lr']",
    "    w.grad = torch.tensor(s['weight'], dtype=torch.float64); b.grad = torch.tensor(s['bias'], dtype=torch.float64)",
    "    opt.step()",
    "    out.append([w.detach().tolist(), b.detach().tolist()])",
    "print(json.dumps(out))",
  ].join("\n");
  const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify({ weight0, bias0, steps, options }), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const torchSteps = JSON.parse(run.stdout) as [number[], number[]][];

  const params = new Map([["layer.weight", tf.variable(tf.tensor1d(weight0))], ["layer.bias", tf.variable(tf.tensor1d(bias0))]]);
  const optimizer = new AdamW(options);
  const tensorsBefore = tf.memory().numTensors;
  for (const [s, step] of steps.entries()) {
    const grads = { "layer.weight": tf.tensor1d(step.weight), "layer.bias": tf.tensor1d(step.bias) };
    optimizer.apply(params, grads, step.lr);
    tf.dispose(Object.values(grads));
    const [w, b] = torchSteps[s]!;
    // float32 here, float64 in torch: agreement to float32 rounding of values of order 1.
    params.get("layer.weight")!.dataSync().forEach((x, i) => assert.ok(Math.abs(x - w[i]!) < 2e-6, `step ${s + 1} weight[${i}]: ${x} vs torch ${w[i]}`));
    params.get("layer.bias")!.dataSync().forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 2e-6, `step ${s + 1} bias[${i}]: ${x} vs torch ${b[i]}`));
  }
  assert.ok(tf.memory().numTensors <= tensorsBefore + 4, "only the four moment slots were created");
  optimizer.dispose();
  for (const v of params.values()) v.dispose();
});
