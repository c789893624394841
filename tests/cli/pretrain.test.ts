// `course tokenizer train` → `course pretrain` → `course fill-mask`, the causal variant → `course generate`,
// and `course bench train`, end to end on a tiny corpus written here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors } from "../../lib/checkpoint";
import { COURSE_MODELS } from "../../lib/pretrain";

const course = join(__dirname, "..", "..", "bin", "course.js");

function run(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [course, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`course ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "course-cli-"));
const corpus = join(dir, "corpus.txt");
const sentences = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog are friends", "the mat is on the floor", "the log is in the fire"];
writeFileSync(corpus, Array.from({ length: 60 }, (_, i) => sentences[i % sentences.length]).join("\n") + "\n");

test("pretrain writes a Hugging Face checkpoint that fill-mask reads", () => {
  run(["tokenizer", "train", "--corpus", corpus, "--vocab-size", "60", "--min-frequency", "1", "--out", join(dir, "tok")]);
  const out = join(dir, "mlm");
  const result = run(["pretrain", "--config", "tiny", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", out, "--steps", "3", "--batch", "4", "--seq", "16", "--checkpoint-every", "2", "--eval-every", "2"]);
  const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as { steps: number; final: { perplexity: number } };
  assert.equal(summary.steps, 3);
  assert.ok(summary.final.perplexity > 1);
  for (const file of ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "metrics.jsonl", "run.json"]) assert.ok(existsSync(join(out, file)), file);
  assert.equal(readdirSync(join(out, "tb")).filter((f) => f.startsWith("events.out.tfevents.")).length, 1, "one TensorBoard event file");
  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as { model_type: string; num_hidden_layers: number };
  assert.equal(config.model_type, "bert");
  assert.equal(config.num_hidden_layers, 2);
  const weights = readSafetensors(join(out, "model.safetensors")).tensors;
  assert.deepEqual(weights.get("bert.encoder.layer.0.intermediate.dense.weight")?.shape, [512, 128], "PyTorch's [out, in]");
  const filled = run(["fill-mask", "--model", out, "--top-k", "3", "the cat sat on the [MASK]"]).stdout.trim().split("\n");
  assert.equal(filled.length, 3);
  for (const line of filled) assert.match(line, /^0\.\d{4} /);
});

test("pretrain --minutes stops when the budget is spent, its schedule decays to ~0 at the end; BabyBERTa settings are recorded", () => {
  if (!existsSync(join(dir, "tok", "vocab.txt"))) run(["tokenizer", "train", "--corpus", corpus, "--vocab-size", "60", "--min-frequency", "1", "--out", join(dir, "tok")]);
  const out = join(dir, "budget");
  const result = run(["pretrain", "--config", "tiny", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", out, "--minutes", "0.03", "--steps", "100000", "--batch", "4", "--seq", "16", "--lr", "0.001", "--always-mask", "--no-dropout"]);
  const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as { steps: number; trainSeconds: number };
  assert.ok(summary.steps > 3 && summary.steps < 100000, `${summary.steps} steps`);
  assert.ok(summary.trainSeconds >= 1.8 && summary.trainSeconds < 30, `${summary.trainSeconds} s for a 1.8 s budget`);
  const lrs = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { lr?: number }).flatMap((r) => (r.lr === undefined ? [] : [r.lr]));
  assert.ok(Math.max(...lrs) > 0.0005, "reaches near the peak");
  assert.ok((lrs.at(-1) as number) < 0.0002, `the last step runs near the budget's end: lr ${lrs.at(-1)}`);
  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as { course: Record<string, unknown> };
  assert.deepEqual([config.course["budgetMinutes"], config.course["replacement"], config.course["dropout"], config.course["steps"]], [0.03, "mask", false, summary.steps]);
  assert.throws(() => run(["course-model", "--recipe", "huge"]), /--recipe huge: use bert, mlm, babyberta, electra/);
  assert.throws(() => run(["course-model", "--minutes", "0"]), /--minutes 0: give a positive number of minutes/);
});

test("pretrain --objective electra --budget-clock cpu: a CPU-time budget, recorded; the discriminator is saved as a BERT", () => {
  if (!existsSync(join(dir, "tok", "vocab.txt"))) run(["tokenizer", "train", "--corpus", corpus, "--vocab-size", "60", "--min-frequency", "1", "--out", join(dir, "tok")]);
  const out = join(dir, "electra");
  const result = run(["pretrain", "--config", "tiny", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", out, "--objective", "electra", "--minutes", "0.02", "--budget-clock", "cpu", "--steps", "100000", "--batch", "4", "--seq", "16"]);
  const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as { steps: number; trainSeconds: number; final: Record<string, number> };
  assert.ok(summary.steps > 1 && summary.steps < 100000, `${summary.steps} steps`);
  assert.ok(summary.trainSeconds >= 1.2 && summary.trainSeconds < 20, `${summary.trainSeconds} CPU seconds for a 1.2 s budget`);
  assert.ok(summary.final["discAccuracy"] !== undefined, "ELECTRA's held-out metrics");
  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as { model_type: string; course: Record<string, unknown> };
  assert.equal(config.model_type, "bert");
  assert.deepEqual([config.course["objective"], config.course["budgetMinutes"], config.course["budgetClock"]], ["electra", 0.02, "cpu"]);
  assert.ok(!readSafetensors(join(out, "model.safetensors")).tensors.has("generator.encoder.layer.0.attention.self.query.weight"), "the generator is not saved");
  assert.throws(() => run(["pretrain", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", join(dir, "x"), "--objective", "gpt"]), /--objective gpt: use mlm or electra/);
  assert.throws(() => run(["pretrain", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", join(dir, "x"), "--minutes", "1", "--budget-clock", "sundial"]), /budgetClock must be "wall" or "cpu"/);
  assert.throws(() => run(["pretrain", "--clean", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", join(dir, "x")]), /--clean reads datasets only; .*corpus\.txt is not a dataset/);
  assert.throws(() => run(["pretrain", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", join(dir, "x"), "--script", "pinyin"]), /--script pinyin: use simplified or original/);
  assert.throws(() => run(["pretrain", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", join(dir, "x"), "--script", "original"]), /--script applies to the cleaned dataset corpus: add --clean/);
});

test("a causal model pretrains and generates; bench train ends with tokens/s", () => {
  const out = join(dir, "clm");
  run(["pretrain", "--causal", "--config", "tiny", "--corpus", corpus, "--tokenizer", join(dir, "tok"), "--out", out, "--steps", "2", "--batch", "4", "--seq", "16"]);
  assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).is_decoder, true);
  const text = run(["generate", "--model", out, "--max-new-tokens", "5", "--temperature", "0", "the cat"]).stdout.trim();
  assert.match(text, /^the cat/);
  const bench = run(["bench", "train", "--config", "tiny", "--seq", "16", "--batch", "2", "--micro-batch", "1", "--steps", "1", "--warmup", "1", "--vocab", "500"]).stdout.trim().split("\n");
  assert.match(bench.at(-1) as string, /^tokens\/s: \d+(\.\d+)?$/);
  const parallel = run(["bench", "train", "--config", "tiny", "--seq", "16", "--batch", "4", "--workers", "2", "--steps", "1", "--warmup", "1", "--vocab", "500"]).stdout.trim().split("\n");
  assert.equal(JSON.parse(parallel.at(-2) as string).workers, 2);
  assert.match(parallel.at(-1) as string, /^tokens\/s: \d+(\.\d+)?$/);
});

test("course-model builds or finds the course checkpoint and prints its folder and spec", () => {
  const printed = JSON.parse(run(["course-model", "--mode", "quick"]).stdout.trim().split("\n").at(-1) as string) as { dir: string; mode: string; spec: unknown; final: { accuracy: number } };
  assert.equal(printed.mode, "quick");
  assert.deepEqual(printed.spec, COURSE_MODELS.quick);
  assert.ok(printed.final.accuracy >= 0 && printed.final.accuracy <= 1);
  for (const file of ["config.json", "model.safetensors", "vocab.txt", "course-model.json"]) assert.ok(existsSync(join(printed.dir, file)), file);
  assert.throws(() => run(["course-model", "--mode", "huge"]), /--mode huge: use quick or full/);
});
