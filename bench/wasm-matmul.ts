// Matrix products on tfjs's wasm backend: tfjs 4.22's own BatchMatMul kernel, the library's wasm wrapper
// (lib/core/wasm-matmul.ts) and the native BLAS kernel (@llm-course/native), same process, same shapes — the
// shapes of BERT-Mini training (H=256, I=1024, B·T=4096 tokens, 4 heads of 64, the MLM head against a
// 30522-token vocabulary) — against numpy (OpenBLAS, same threads and OPENBLAS_CORETYPE) in the same run.
// Run: npx tsx bench/wasm-matmul.ts [--threads 2]
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "../lib/core";

const at = process.argv.indexOf("--threads");
const THREADS = at < 0 ? 2 : Number(process.argv[at + 1]);

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
    // The wasm backend runs a kernel synchronously inside `matMul`, so this times the product alone, as numpy's
    // timing does; reading the result back (`dataSync`, a copy out of the wasm heap: 75 MB for the MLM head) would
    // add a cost numpy does not pay.
    tf.tidy(() => {
      tf.matMul(a, b, c.ta, c.tb);
    });
    if (r > 0) best = Math.min(best, performance.now() - t);
  }
  tf.dispose([a, b]);
  return best;
}

/** numpy's best time per case (ms), same threads and BLAS core type as the addon. */
function numpyMs(): number[] {
  const code = `import json, sys, time, numpy as np
out = []
for a, b, ta, tb in json.loads(sys.argv[1]):
    x = np.random.rand(*a).astype(np.float32); y = np.random.rand(*b).astype(np.float32)
    f = lambda: np.matmul(np.swapaxes(x, -1, -2) if ta else x, np.swapaxes(y, -1, -2) if tb else y)
    f(); best = float("inf")
    for _ in range(3):
        t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)
    out.append(best * 1e3)
print(json.dumps(out))`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS) };
  const run = spawnSync("/usr/bin/python3", ["-c", code, JSON.stringify(cases.map((c) => [c.a, c.b, c.ta, c.tb]))], { encoding: "utf8", env });
  if (run.status !== 0) throw new Error(`numpy failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[];
}

(async () => {
  await tf.setBackend("wasm");
  const before = cases.map(bestMs);
  registerWasmTrainingKernels({ native: false });
  const wrapper = cases.map(bestMs);
  const status = registerWasmTrainingKernels({ native: true, threads: THREADS });
  const native = status.active ? cases.map(bestMs) : cases.map(() => NaN);
  if (!status.active) console.log(`native kernels off: ${status.reason} (fix: ${status.fix})`);
  // numpy after the addon loaded: it set OPENBLAS_CORETYPE (native/index.js), which the child inherits.
  const numpy = numpyMs();
  console.log(`threads ${THREADS}, OPENBLAS_CORETYPE=${process.env["OPENBLAS_CORETYPE"] ?? "(OpenBLAS's own detection)"}, ${status.blas ?? ""}`);
  const cell = (g: number, ms: number) => `${ms.toFixed(1)} ms ${(g / (ms / 1e3)).toFixed(1)} GF/s`.padStart(20);
  console.log(`${"product".padEnd(58)} ${"tfjs wasm".padStart(20)} ${"ours wasm".padStart(20)} ${"ours native".padStart(20)} ${"numpy".padStart(20)}  native/numpy`);
  cases.forEach((c, i) => {
    const g = gflops(c);
    const [w, x, y, z] = [before[i], wrapper[i], native[i], numpy[i]] as number[];
    console.log(`${c.label.padEnd(58)} ${cell(g, w as number)} ${cell(g, x as number)} ${cell(g, y as number)} ${cell(g, z as number)}  ${((z as number) / (y as number)).toFixed(2)}`);
  });
})();
