// Matrix products on tfjs's wasm backend: tfjs 4.22's own BatchMatMul kernel vs the library's wrapper
// (lib/core/wasm-matmul.ts), same process, same shapes — the shapes of BERT-Mini training (H=256, I=1024,
// B·T=4096 tokens, 4 heads of 64, the MLM head against a 30522-token vocabulary).
// Run: npx tsx bench/wasm-matmul.ts
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "../lib/core";

interface Case { label: string; a: number[]; b: number[]; ta: boolean; tb: boolean }
const cases: Case[] = [
  { label: "x·W (forward dense)        [4096,256]·[256,1024]", a: [4096, 256], b: [256, 1024], ta: false, tb: false },
  { label: "dy·Wᵀ (backward to input)  [4096,1024]·[256,1024]ᵀ", a: [4096, 1024], b: [256, 1024], ta: false, tb: true },
  { label: "xᵀ·dy (backward to weight) [4096,256]ᵀ·[4096,1024]", a: [4096, 256], b: [4096, 1024], ta: true, tb: false },
  { label: "Q·Kᵀ (attention scores)    [128,128,64]·[128,128,64]ᵀ", a: [128, 128, 64], b: [128, 128, 64], ta: false, tb: true },
  { label: "MLM head h·Eᵀ              [614,256]·[30522,256]ᵀ", a: [614, 256], b: [30522, 256], ta: false, tb: true },
];

function gflops(c: Case): number {
  const batch = c.a.length === 3 ? (c.a[0] as number) : 1;
  const [m, k] = c.ta ? [c.a.at(-1)!, c.a.at(-2)!] : [c.a.at(-2)!, c.a.at(-1)!];
  const n = c.tb ? c.b.at(-2)! : c.b.at(-1)!;
  return (2 * batch * m * k * n) / 1e9;
}

function bestMs(c: Case): number {
  const a = tf.randomNormal(c.a);
  const b = tf.randomNormal(c.b);
  let best = Infinity;
  for (let r = 0; r < 4; r++) {
    const t = performance.now();
    tf.tidy(() => {
      tf.matMul(a, b, c.ta, c.tb).dataSync(); // not returned: tidy would walk the whole result (see lib/core/tidy-data.ts)
    });
    if (r > 0) best = Math.min(best, performance.now() - t);
  }
  tf.dispose([a, b]);
  return best;
}

(async () => {
  await tf.setBackend("wasm");
  const before = cases.map(bestMs);
  registerWasmTrainingKernels();
  const after = cases.map(bestMs);
  console.log(`${"product".padEnd(58)} ${"tfjs wasm".padStart(18)} ${"ours".padStart(18)}  ratio`);
  cases.forEach((c, i) => {
    const g = gflops(c);
    const [x, y] = [before[i] as number, after[i] as number];
    console.log(`${c.label.padEnd(58)} ${`${x.toFixed(1)} ms ${(g / (x / 1e3)).toFixed(1)} GF/s`.padStart(18)} ${`${y.toFixed(1)} ms ${(g / (y / 1e3)).toFixed(1)} GF/s`.padStart(18)}  ${(x / y).toFixed(1)}×`);
  });
})();
