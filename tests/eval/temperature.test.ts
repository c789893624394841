import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Rng } from "../../lib/core/rng";
import { applyTemperature, fitTemperature, temperatureNll } from "../../lib/eval";

const PYTHON = "/usr/bin/python3";
const PEER = join(__dirname, "..", "fixtures", "calibration", "gpleiss_peer.py");

/** `n` 3-class logits ~ N(0, 3²) and labels drawn from softmax(logits / trueT): the best temperature is near `trueT`. */
function synthetic(n: number, trueT: number, seed: number): { logits: number[][]; labels: number[] } {
  const rng = new Rng(seed);
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = [0, 0, 0].map(() => 3 * rng.normal());
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp((v - m) / trueT));
    const s = e.reduce((a, b) => a + b);
    let u = rng.uniform();
    let y = 0;
    for (; y < 2; y++) {
      u -= e[y]! / s;
      if (u < 0) break;
    }
    logits.push(z);
    labels.push(y);
  }
  return { logits, labels };
}

test("the fitted temperature is the global minimum of validation NLL (no grid point does better)", () => {
  for (const trueT of [0.5, 0.95, 2.5]) {
    const { logits, labels } = synthetic(300, trueT, 1);
    const fit = fitTemperature(logits, labels);
    for (let t = 0.05; t < 10; t *= 1.01) assert.ok(fit.nllAfter <= temperatureNll(logits, labels, t) + 1e-12, `trueT ${trueT}: T=${t} beats the fit ${fit.temperature}`);
    assert.ok(Math.abs(fit.temperature - trueT) < 0.35 * trueT, `fitted ${fit.temperature} for data drawn at T=${trueT}`);
    assert.ok(Math.abs(fit.nllBefore - temperatureNll(logits, labels, 1)) < 1e-12);
  }
});

test("validation NLL never gets worse, over 100 random validation sets (tiny, separable, constant ones included)", () => {
  const rng = new Rng(5);
  for (let k = 0; k < 100; k++) {
    const n = 1 + rng.int(20);
    const c = 2 + rng.int(4);
    const scale = [0.01, 1, 30][k % 3]!;
    const logits = Array.from({ length: n }, () => Array.from({ length: c }, () => scale * rng.normal()));
    const labels = k % 7 === 0 ? logits.map((z) => z.indexOf(Math.max(...z))) : Array.from({ length: n }, () => rng.int(c)); // every 7th: separable
    const fit = fitTemperature(logits, labels);
    assert.ok(fit.nllAfter <= fit.nllBefore, `set ${k}: ${fit.nllAfter} > ${fit.nllBefore}`);
    assert.ok(Math.abs(fit.nllAfter - temperatureNll(logits, labels, fit.temperature)) < 1e-9);
  }
  const ties = fitTemperature([[1, 1], [2, 2]], [0, 1]); // every logit ties: NLL = ln 2 whatever T
  assert.ok(ties.nllAfter <= ties.nllBefore && Math.abs(ties.nllAfter - Math.LN2) < 1e-12);
});

test("temperature scaling keeps every prediction's top class (accuracy unchanged)", () => {
  const { logits } = synthetic(50, 1, 2);
  for (const t of [0.3, 1, 4]) {
    applyTemperature(logits, t).forEach((p, i) => assert.equal(p.indexOf(Math.max(...p)), logits[i]!.indexOf(Math.max(...logits[i]!))));
  }
});

test("the widely copied L-BFGS fit (start T=1.5, lr 0.01, 50 iterations) can end above T=1's NLL; the exact search does not", (t) => {
  const data = synthetic(300, 0.95, 1);
  const ours = fitTemperature(data.logits, data.labels);
  assert.ok(ours.nllAfter <= ours.nllBefore);
  const r = spawnSync(PYTHON, [PEER], { input: JSON.stringify(data), encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0 || !/^\{/.test(r.stdout)) {
    t.skip(`PyTorch under ${PYTHON} is unavailable (apt-get install python3-torch): ${(r.stderr ?? String(r.error)).slice(-200)}`);
    return;
  }
  const peer = JSON.parse(r.stdout) as { temperature: number; nll_before: number; nll_after: number };
  assert.ok(Math.abs(peer.nll_before - ours.nllBefore) < 1e-9, "both compute the same unscaled NLL");
  // Measured (torch 2.x, float64): T 1.184, NLL 0.43804 > 0.43162 at T = 1; ours T 0.980, NLL 0.43154.
  assert.ok(peer.nll_after > peer.nll_before, `the reference fit did not get worse here: ${r.stdout}`);
  assert.ok(ours.nllAfter < peer.nll_after);
});

test("bad input names the example", () => {
  assert.throws(() => fitTemperature([[0, 1]], [2]), /label 2 of example 0/);
  assert.throws(() => fitTemperature([[0, -Infinity]], [0]), /non-finite logit/);
  assert.throws(() => fitTemperature([], []), /no validation examples/);
  assert.throws(() => temperatureNll([[0, 1]], [0], 0), /temperature must be > 0/);
});
