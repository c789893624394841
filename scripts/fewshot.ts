/**
 * The few-shot section of notebook 11 outside a kernel: zero-shot, prompt-based (PET / LM-BFF) and standard
 * fine-tuning with k examples per class on FPB and SST-2, several seeds each (`fewShotExperiment`). Progress on
 * stderr, the summary table, then one JSON line with every run.
 * Usage: npx tsx scripts/fewshot.ts [ks=8,16,32,64] [seeds=5] [testLimit=all] [steps=100] [lr=course default] [tasks=fpb,sst2]
 */
import { initBackend, describeBackend, courseCheckpoint, fewShotExperiment } from "../lib";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ks = (args[0] ?? "8,16,32,64").split(",").map(Number);
  const seeds = Array.from({ length: Number(args[1] ?? 5) }, (_, i) => i);
  const testLimit = args[2] === undefined || args[2] === "all" ? undefined : Number(args[2]);
  const steps = Number(args[3] ?? 100);
  const lr = args[4] === undefined || args[4] === "default" ? undefined : Number(args[4]);
  const tasks = (args[5] ?? "fpb,sst2").split(",");
  const backend = describeBackend(await initBackend());
  const checkpoint = await courseCheckpoint({ mode: "quick" });
  const began = performance.now();
  const { results, summary } = await fewShotExperiment(tasks, {
    from: checkpoint, ks, seeds, testLimit, steps, lr,
    onResult: (r) => process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1)} s  ${r.task} ${r.method} k=${r.k} seed=${r.seed}: accuracy ${r.accuracy.toFixed(3)} macro-F1 ${r.macroF1.toFixed(3)}\n`),
  });
  const seconds = (performance.now() - began) / 1000;
  console.table(summary.map((s) => ({ task: s.task, method: s.method, k: s.k, runs: s.runs, mean: Number(s.mean.toFixed(3)), std: Number(s.std.toFixed(3)) })));
  console.log(JSON.stringify({ date: new Date().toISOString(), backend, checkpoint, ks, seeds: seeds.length, testLimit: testLimit ?? "all", steps, lr: lr ?? "default", seconds, summary, results }));
}

void main();
