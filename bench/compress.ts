/**
 * The acceleration scoreboard of notebook 06 from the command line: fine-tune a teacher on FPB (all agree), then
 * compare, on the same test set and in ONE interleaved timing loop per batch size:
 *   teacher fp32 (tfjs-wasm), fp32 ONNX, int8 ONNX (onnxruntime, 1 thread), 50 % unstructured magnitude pruning
 *   (+ masked recovery), structured pruning (½ heads, ½ FFN neurons per layer, + recovery), a half-depth student
 *   distilled from the teacher (tfjs and int8 ONNX), a uniform soup of the seeds' weights and their logit ensemble.
 * Prints the pruning sweep, the distillation control (same student on hard labels), the fusion table and the
 * scoreboard as markdown. Full settings by default: every training example, the task's epochs and lengths.
 *
 * Run: npx tsx bench/compress.ts [--from course|course:quick|course:full|DIR] [--train-limit N] [--epochs N]
 *        [--max-length N] [--lr X] [--batch-size N] [--seeds N] [--iterations N] [--seq N] [--out DIR]
 * Latencies on a shared machine are noisy; all rows are interleaved round-robin, so load falls on all alike.
 */
import { join } from "node:path";
import { statSync } from "node:fs";
import { courseOutDir, describeBackend, initBackend } from "../lib/core";
import { encodeTexts, resolveCheckpoint, runTask, saveTaskCheckpoint, taskSpec, trainingSubset, type ClassificationSplits, type TaskModel } from "../lib/tasks";
import { exportBertOnnx, onnxRunner, openOnnx, tfjsRunner } from "../lib/export";
import {
  averageWeights,
  classifierAccuracy,
  classifierLogits,
  classifierRunner,
  distill,
  LogitEnsemble,
  logitsAccuracy,
  measureScoreboard,
  onnxClassifierLogits,
  pruneMagnitude,
  pruneStructured,
  scoreboardMarkdown,
  shallowStudent,
  weightSparsity,
  type ScoreboardEntry,
} from "../lib/compress";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}
function numberOption(name: string): number | undefined {
  const raw = option(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`--${name} needs a positive number, got ${raw}`);
  return value;
}
const table = (rows: Record<string, unknown>[]): string => {
  const cols = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v));
  return [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`)].join("\n");
};

async function main(): Promise<void> {
  const defaults = taskSpec("fpb").defaults;
  const from = option("from") ?? "course";
  const trainLimit = numberOption("train-limit");
  const epochs = numberOption("epochs") ?? defaults.epochs;
  const maxLength = numberOption("max-length") ?? defaults.maxLength;
  const lrOption = numberOption("lr");
  const batchSize = numberOption("batch-size") ?? defaults.batchSize;
  const seeds = Array.from({ length: numberOption("seeds") ?? 4 }, (_, i) => i);
  const iterations = numberOption("iterations") ?? 30;
  const seq = numberOption("seq") ?? 64;
  const out = option("out") ?? courseOutDir("bench-compress");
  const backend = await initBackend({ backend: "wasm" });
  const began = performance.now();
  const checkpoint = await resolveCheckpoint(from);
  const common = { from: checkpoint, epochs, maxLength, batchSize, keepModel: true, ...(lrOption === undefined ? {} : { lr: lrOption }) };
  const teacherRun = await runTask("fpb", { ...common, trainLimit, seed: 0 });
  const lr = teacherRun.metrics.config.lr; // --lr, else the default for the teacher's width
  console.log(`teacher: ${checkpoint} fine-tuned on FPB (all agree); train ${trainLimit ?? "all"}, ${epochs} epochs, lr ${lr}, batch ${batchSize}, max length ${maxLength}; tfjs ${describeBackend(backend)}`);
  const teacher = teacherRun.model as TaskModel;
  if (teacherRun.data.kind !== "classification") throw new Error("fpb is a classification task");
  const splits = teacherRun.data as ClassificationSplits;
  const tokenizer = teacherRun.tokenizer;
  const padId = tokenizer.tokenToId(tokenizer.padToken) as number;
  const trainTexts = trainingSubset(splits.train, trainLimit, 0);
  const train = encodeTexts(tokenizer, trainTexts, maxLength);
  const test = encodeTexts(tokenizer, splits.test, maxLength);
  const teacherLogits = classifierLogits(teacher, train, padId);
  const teacherAccuracy = classifierAccuracy(teacher, test, padId);
  const c = teacher.bert.config;
  console.log(`L${c.numLayers}/H${c.hiddenSize}/A${c.numHeads}/I${c.intermediateSize}; train ${train.length}, test ${test.length}; teacher test accuracy ${teacherAccuracy.toFixed(4)}`);
  const recovery = { epochs: Math.max(1, Math.round(epochs / 2)), lr: lr / 2, batchSize, temperature: 2, alpha: 0.5 };

  // 1. Unstructured sweep (no retraining), then 50 % with masked recovery.
  const sweep: Record<string, unknown>[] = [];
  for (const s of [0, 0.3, 0.5, 0.7, 0.8, 0.9]) {
    const copy = averageWeights([teacher]);
    pruneMagnitude(copy, s).dispose();
    sweep.push({ sparsity: s, accuracy: classifierAccuracy(copy, test, padId) });
    copy.dispose();
  }
  console.log(`\n### Unstructured magnitude pruning (global, encoder Linear weights), no retraining\n${table(sweep)}`);
  const pruned50 = averageWeights([teacher]);
  const mask = pruneMagnitude(pruned50, 0.5);
  distill(pruned50, { train, teacherLogits, padId }, { ...recovery, onStep: () => mask.applyMasks() });
  const pruned50Accuracy = classifierAccuracy(pruned50, test, padId);
  console.log(`50 % + recovery (${recovery.epochs} epochs, masks kept): accuracy ${pruned50Accuracy.toFixed(4)}, sparsity ${weightSparsity(pruned50.params).toFixed(4)}`);

  // 2. Structured.
  const structured = pruneStructured(teacher, { heads: Math.max(1, c.numHeads / 2), intermediate: c.intermediateSize / 2 });
  const structuredBefore = classifierAccuracy(structured.model, test, padId);
  distill(structured.model, { train, teacherLogits, padId }, recovery);
  const structuredAccuracy = classifierAccuracy(structured.model, test, padId);
  console.log(`\n### Structured pruning (½ heads by W_O-row L1, ½ FFN neurons by ‖W₁ col‖₁·‖W₂ row‖₁, per layer)\nparameters ${structured.parametersBefore} → ${structured.parametersAfter}; accuracy ${structuredBefore.toFixed(4)} → ${structuredAccuracy.toFixed(4)} after recovery`);

  // 3. Distillation vs hard labels.
  const student = shallowStudent(teacher);
  const studentHard = shallowStudent(teacher);
  distill(student, { train, teacherLogits, padId }, { epochs, lr, batchSize, temperature: 2, alpha: 0.5 });
  distill(studentHard, { train, teacherLogits, padId }, { epochs, lr, batchSize, alpha: 0 });
  const studentAccuracy = classifierAccuracy(student, test, padId);
  console.log(`\n### Distillation (student: layers 0, 2, … of the teacher)\n${table([
    { model: "teacher", layers: c.numLayers, accuracy: teacherAccuracy },
    { model: "student, KD T=2 α=0.5", layers: student.bert.config.numLayers, accuracy: studentAccuracy },
    { model: "student, hard labels", layers: studentHard.bert.config.numLayers, accuracy: classifierAccuracy(studentHard, test, padId) },
  ])}`);

  // 4. Fusion.
  const members: TaskModel[] = [teacher];
  for (const seed of seeds.slice(1)) members.push((await runTask("fpb", { ...common, data: { ...splits, train: trainTexts }, seed })).model as TaskModel);
  const soup = averageWeights(members);
  const ensemble = new LogitEnsemble(members);
  const soupAccuracy = classifierAccuracy(soup, test, padId);
  const ensembleAccuracy = classifierAccuracy(ensemble, test, padId);
  console.log(`\n### Fusion (${members.length} seeds, same pretrained start and data)\n${table([
    ...members.map((m, k) => ({ model: `seed ${k}`, accuracy: classifierAccuracy(m, test, padId) })),
    { model: "uniform soup", accuracy: soupAccuracy },
    { model: "logit ensemble", accuracy: ensembleAccuracy },
  ])}`);

  // 5. Files and the scoreboard.
  const labels = teacherRun.metrics.labels;
  const teacherExport = exportBertOnnx(teacher, join(out, "fpb-teacher"), { labels, tokenizer, quantize: "int8" });
  const studentExport = exportBertOnnx(student, join(out, "fpb-student"), { labels, tokenizer, quantize: "int8" });
  saveTaskCheckpoint(join(out, "fpb-teacher-hf"), teacher, { labels });
  saveTaskCheckpoint(join(out, "fpb-student-hf"), student, { labels });
  const size = (path: string) => statSync(path).size;
  const onnxAccuracy = async (path: string) => {
    const session = await openOnnx(path);
    const accuracy = logitsAccuracy(await onnxClassifierLogits(session, test, padId), test);
    await session.release();
    return accuracy;
  };
  const teacherFp32 = join(teacherExport.dir, "onnx", "model.onnx");
  const teacherInt8 = join(teacherExport.dir, "onnx", "model_quantized.onnx");
  const studentInt8 = join(studentExport.dir, "onnx", "model_quantized.onnx");
  const teacherBytes = size(join(out, "fpb-teacher-hf", "model.safetensors"));
  const ort = { intraOpThreads: 1 };
  const entries: ScoreboardEntry[] = [
    { name: "teacher fp32", runtime: "tfjs-wasm", bytes: teacherBytes, accuracy: teacherAccuracy, runner: tfjsRunner(teacher) },
    { name: "teacher fp32", runtime: "onnxruntime 1 thread", bytes: size(teacherFp32), accuracy: await onnxAccuracy(teacherFp32), runner: await onnxRunner(teacherFp32, ort) },
    { name: "teacher int8", runtime: "onnxruntime 1 thread", bytes: size(teacherInt8), accuracy: await onnxAccuracy(teacherInt8), runner: await onnxRunner(teacherInt8, ort) },
    { name: "pruned 50 % unstructured", runtime: "tfjs-wasm", bytes: teacherBytes, accuracy: pruned50Accuracy, runner: tfjsRunner(pruned50) },
    { name: "pruned structured ½/½", runtime: "tfjs-wasm", bytes: 4 * structured.model.numParams(), accuracy: structuredAccuracy, runner: classifierRunner(structured.model, "structured") },
    { name: "distilled student", runtime: "tfjs-wasm", bytes: size(join(out, "fpb-student-hf", "model.safetensors")), accuracy: studentAccuracy, runner: tfjsRunner(student) },
    { name: "distilled student int8", runtime: "onnxruntime 1 thread", bytes: size(studentInt8), accuracy: await onnxAccuracy(studentInt8), runner: await onnxRunner(studentInt8, ort) },
    { name: `uniform soup of ${members.length}`, runtime: "tfjs-wasm", bytes: teacherBytes, accuracy: soupAccuracy, runner: tfjsRunner(soup) },
    { name: `logit ensemble of ${members.length}`, runtime: "tfjs-wasm", bytes: members.length * teacherBytes, accuracy: ensembleAccuracy, runner: classifierRunner(ensemble, "ensemble") },
  ];
  const rows = await measureScoreboard(entries, { vocabSize: c.vocabSize, seq, iterations, testSize: test.length });
  for (const e of entries) await e.runner.close();
  console.log(`\n### Scoreboard (FPB test n = ${test.length}; random ids, ${seq} tokens; ${iterations} timed calls per row and batch size, interleaved; structured size = 4 B × parameters)\n${scoreboardMarkdown(rows)}`);
  console.log(`\nwall ${((performance.now() - began) / 1000).toFixed(0)} s; files in ${out}`);
  for (const m of [pruned50, soup, student, studentHard, ...members]) m.dispose();
  structured.model.dispose();
  mask.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
