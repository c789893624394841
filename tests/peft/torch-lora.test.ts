// Our peft-format LoRA adapters against an independent PyTorch LoRA (`bench/peer/torch_lora.py`, over the peer BERT
// of `torch_bert.py`): it reads the adapter folder and the base safetensors, applies B·A·α/r itself, and its logits
// must equal ours within 1e-4 — unmerged, merged in PyTorch, and from our merged Hugging Face checkpoint.
// AdaLoRA too: peft's resized tensors and rank_pattern, read by the peer as peft's source loads them.
// Needs Debian's python3-torch under /usr/bin/python3 (`.ci/run` installs it); skipped, saying so, without it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadBertCheckpoint } from "../../lib/checkpoint";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { AdaLora, Lora, createPeftModel, saveAdapter, saveMergedCheckpoint, type PeftModel } from "../../lib/peft";
import { withHead, type TaskKind } from "../../lib/tasks";
import { perturb, saveRandomBase } from "./helpers";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "..", "bench", "peer", "torch_lora.py");
const TOLERANCE = 1e-4;

const probe = spawnSync(PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
const torchMissing = probe.status === 0 ? false : `${PYTHON} has no torch (apt-get install -y python3-torch; .ci/run does)`;
if (torchMissing) console.log(`# SKIPPED torch LoRA parity: ${torchMissing}`);

let work: string;
before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "peft-torch-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

const IDS = [[2, 15, 23, 29, 4, 3], [2, 7, 8, 9, 3, 10, 11, 12, 3], [2, 20, 3]];

function ours(model: PeftModel): number[][] | number[][][] {
  const t = Math.max(...IDS.map((r) => r.length));
  const padded = IDS.map((r) => [...r, ...new Array<number>(t - r.length).fill(0)]);
  const mask = IDS.map((r) => [...r.map(() => 1), ...new Array<number>(t - r.length).fill(0)]);
  const logits = tf.tidy(() => model.logits({ inputIds: tf.tensor2d(padded, undefined, "int32"), attentionMask: tf.tensor2d(mask, undefined, "int32") }).arraySync()) as number[][] | number[][][];
  return model.kind === "sequence" ? logits : (logits as number[][][]).map((rows, b) => rows.slice(0, (IDS[b] as number[]).length));
}

function peer(args: string[]): unknown[] {
  const out = join(work, `peer-${Math.random().toString(36).slice(2)}.json`);
  const run = spawnSync(PYTHON, [PEER, ...args, "--ids", join(work, "ids.jsonl"), "--out", out], { encoding: "utf8" });
  assert.equal(run.status, 0, `peer failed: ${run.stderr}`);
  return (JSON.parse(readFileSync(out, "utf8")) as { logits: unknown }[]).map((r) => r.logits);
}

function maxAbs(a: unknown, b: unknown): number {
  const x = [a].flat(3) as number[];
  const y = [b].flat(3) as number[];
  assert.equal(x.length, y.length, "logit count");
  return Math.max(...x.map((v, i) => Math.abs(v - (y[i] as number))));
}

for (const kind of ["sequence", "token"] as TaskKind[]) {
  test(`${kind} LoRA adapter: the PyTorch peer's logits equal ours within 1e-4 (unmerged, merged in torch, our merged checkpoint)`, { skip: torchMissing }, () => {
    writeFileSync(join(work, "ids.jsonl"), IDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const baseDir = join(work, `base-${kind}`);
    saveRandomBase(baseDir, 3);
    // The pooler counts as drawn fresh here, so it travels in modules_to_save (and the peer must read it).
    const initialized = kind === "sequence" ? ["bert.pooler.dense.weight", "bert.pooler.dense.bias"] : [];
    const model = createPeftModel(withHead(kind, loadBertCheckpoint(baseDir, { onReport: () => {} }), 4, new Rng(1)), (c) => new Lora(c, { r: 3, alpha: 6, targetModules: ["query", "value", "intermediate.dense"] }, new Rng(2)), { initialized });
    try {
      perturb(model.params, 9, 0.3);
      const adapterDir = join(work, `adapter-${kind}`);
      saveAdapter(adapterDir, model, { baseModelNameOrPath: baseDir });
      if (kind === "sequence") assert.deepEqual(JSON.parse(readFileSync(join(adapterDir, "adapter_config.json"), "utf8")).modules_to_save, ["classifier", "pooler"]);
      const mine = ours(model);
      const unmerged = maxAbs(mine, peer(["--base", baseDir, "--adapter", adapterDir]));
      const merged = maxAbs(mine, peer(["--base", baseDir, "--adapter", adapterDir, "--merge"]));
      const mergedDir = join(work, `merged-${kind}`);
      saveMergedCheckpoint(mergedDir, model);
      const checkpoint = maxAbs(mine, peer(["--base", mergedDir]));
      console.log(`# ${kind}: max |Δlogit| peer ${unmerged.toExponential(2)}, peer merged ${merged.toExponential(2)}, our merged checkpoint ${checkpoint.toExponential(2)}`);
      assert.ok(unmerged < TOLERANCE && merged < TOLERANCE && checkpoint < TOLERANCE);
      // The check can fail: the base alone (no adapter) is far off.
      perturb(model.adapter().method.params, 10, 0.3);
      assert.ok(maxAbs(ours(model), peer(["--base", baseDir, "--adapter", adapterDir])) > 1e-2);
    } finally {
      model.dispose();
    }
  });
}

test("AdaLoRA adapter with pruned triplets (peft's resized tensors and rank_pattern): the PyTorch peer's logits equal ours within 1e-4", { skip: torchMissing }, () => {
  writeFileSync(join(work, "ids.jsonl"), IDS.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const baseDir = join(work, "base-adalora");
  saveRandomBase(baseDir, 4);
  const model = createPeftModel(withHead("sequence", loadBertCheckpoint(baseDir, { onReport: () => {} }), 4, new Rng(1)), (c) => new AdaLora(c, { initR: 4, targetR: 2, alpha: 6, targetModules: ["query", "value", "intermediate.dense"] }, new Rng(2)));
  try {
    const method = model.adapter().method as AdaLora;
    perturb(method.params, 9, 1);
    // Ranks 3, 0, 1, 4, 2, 4 over the six modules (a pruned pattern, one module emptied).
    const masks = [[1, 1, 0, 1], [0, 0, 0, 0], [0, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 1], [1, 1, 1, 1]];
    const layers = (method as unknown as { layers: Map<string, { mask: tf.Variable }> }).layers;
    [...layers.values()].forEach((l, i) => tf.tidy(() => l.mask.assign(tf.tensor1d(masks[i] as number[]))));
    const adapterDir = join(work, "adapter-adalora");
    saveAdapter(adapterDir, model, { baseModelNameOrPath: baseDir });
    const mine = ours(model);
    const unmerged = maxAbs(mine, peer(["--base", baseDir, "--adapter", adapterDir]));
    const merged = maxAbs(mine, peer(["--base", baseDir, "--adapter", adapterDir, "--merge"]));
    console.log(`# AdaLoRA: max |Δlogit| peer ${unmerged.toExponential(2)}, peer merged ${merged.toExponential(2)}`);
    assert.ok(unmerged < TOLERANCE && merged < TOLERANCE);
    // The check can fail: with every triplet kept, the logits move.
    [...layers.values()].forEach((l) => tf.tidy(() => l.mask.assign(tf.onesLike(l.mask))));
    const moved = maxAbs(ours(model), peer(["--base", baseDir, "--adapter", adapterDir]));
    console.log(`# AdaLoRA: all triplets kept moves the logits by ${moved.toExponential(2)}`);
    assert.ok(moved > 1e-3, `${moved}`);
  } finally {
    model.dispose();
  }
});
