// Resizing is checked against PyTorch's `F.interpolate(mode="bilinear", align_corners=False)` (what torchvision's
// Resize does without antialiasing), normalisation against torchvision's formula. Needs Debian's python3-torch
// (CI installs it); skipped, saying so, without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/core/rng";
import { channelStats, normalizeImages, preprocessImages, resizeImages } from "../../lib/vision/preprocess";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
const torchMissing = probe.status === 0 ? false : `${PYTHON} lacks PyTorch (apt-get install -y python3-torch)`;
if (torchMissing) console.log(`# SKIPPED PyTorch resize parity: ${torchMissing}`);

test("bilinear resize equals PyTorch's F.interpolate(align_corners=False) up and down, to 1e-5", { skip: torchMissing }, () => {
  const rng = new Rng(3);
  const [b, h, w, c] = [2, 7, 5, 3];
  const values = Array.from({ length: b * h * w * c }, () => rng.uniform());
  for (const size of [[12, 9], [4, 3]] as [number, number][]) {
    const ours = tf.tidy(() => resizeImages(tf.tensor4d(values, [b, h, w, c]), size).arraySync());
    const script = "import sys, json, torch\nd = json.load(sys.stdin)\nx = torch.tensor(d['x']).reshape(d['shape']).permute(0, 3, 1, 2)\n" + "y = torch.nn.functional.interpolate(x, size=d['size'], mode='bilinear', align_corners=False)\nprint(json.dumps(y.permute(0, 2, 3, 1).tolist()))";
    const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify({ x: values, shape: [b, h, w, c], size }), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const theirs = JSON.parse(run.stdout) as number[][][][];
    const a = ours.flat(3);
    const t = theirs.flat(3);
    assert.equal(a.length, b * size[0] * size[1] * c);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] as number) - (t[i] as number)) < 1e-5, `element ${i}: ${a[i]} vs ${t[i]} at size ${size}`);
  }
});

test("channel statistics of bytes, and normalisation gives mean 0, std 1 per channel", () => {
  const pixels = new Uint8Array([0, 255, 255, 255, 0, 0, 255, 0]); // 4 pixels × 2 channels
  const { mean, std } = channelStats(pixels, 2);
  assert.deepEqual(mean, [0.5, 0.5]);
  assert.ok(Math.abs((std[0] as number) - 0.5) < 1e-12 && Math.abs((std[1] as number) - 0.5) < 1e-12);
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => Array.from(preprocessImages(pixels, { rows: 2, cols: 2, channels: 2 }, [0], { size: [2, 2], mean, std }).dataSync()));
  assert.deepEqual(out, [-1, 1, 1, 1, -1, -1, 1, -1]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => tf.tidy(() => normalizeImages(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, [0, 0], [1, 1])), /images have 1 channel\(s\) but mean has 2/);
  assert.throws(() => tf.tidy(() => normalizeImages(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, [0], [0])), /every std must be > 0/);
  assert.throws(() => preprocessImages(pixels, { rows: 2, cols: 2, channels: 2 }, [1], { size: [2, 2], mean, std }), /image 1 is outside the 1 images/);
});
