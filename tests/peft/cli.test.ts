// `course finetune --peft lora …` (adapter folder + metrics.json's efficiency block) and `course forward` on an
// adapter folder (over its base; `--base` when base_model_name_or_path does not resolve) and on a classifier folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensors, saveBertCheckpoint } from "../../lib/checkpoint";
import { initBackend } from "../../lib/core";
import { loadPeftModel, saveMergedCheckpoint } from "../../lib/peft";
import { saveTokenizer } from "../../lib/text";
import { taskLogits } from "../../lib/cli/forward";
import { randomBert } from "../checkpoint/random-model";
import { tinyConfig, tinyTokenizer } from "../tasks/helpers";

const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures", "data");
let work: string;
let checkpoint: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-peft-cli-"));
  const tokenizerDir = join(work, "tokenizer");
  saveTokenizer(tinyTokenizer(), tokenizerDir);
  checkpoint = join(work, "checkpoint");
  const model = randomBert(tinyConfig(), 0);
  saveBertCheckpoint(checkpoint, model, { tokenizerDir });
  model.dispose();
});
after(() => rmSync(work, { recursive: true, force: true }));

function course(args: string[]): { code: number | null; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), ...args], { env: { ...process.env, COURSE_BACKEND: "wasm", COURSE_DATA_OFFLINE: "1" }, encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.slice(-3000), stdout: r.stdout };
}

test("course finetune --peft lora writes OUT/adapter in peft's format and metrics.json's efficiency; course forward reads it", async () => {
  const out = join(work, "sst2-lora");
  const r = course(["finetune", "--quiet", "--epochs", "2", "--batch", "2", "--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", out, "--peft", "lora", "--lora-r", "2", "--lora-alpha", "4", "--target", "query,value"]);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(readdirSync(out).sort(), ["adapter", "metrics.json", "metrics.jsonl", "predictions.jsonl", "run.json", "tb"]);
  assert.deepEqual(JSON.parse(readFileSync(join(out, "run.json"), "utf8")).run.peft, { method: "lora", loraR: 2, loraAlpha: 4, target: "query,value" });
  assert.equal(readdirSync(join(out, "tb")).filter((f) => f.startsWith("events.out.tfevents.")).length, 1);
  const config = JSON.parse(readFileSync(join(out, "adapter", "adapter_config.json"), "utf8"));
  assert.equal(config.peft_type, "LORA");
  assert.equal(config.r, 2);
  assert.equal(config.lora_alpha, 4);
  assert.equal(config.base_model_name_or_path, checkpoint);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  const e = metrics.efficiency;
  // 2 layers × (query, value) × (A [16, 2] + B [2, 16]) = 256 trainable, head excluded.
  assert.equal(e.method, "LORA");
  assert.equal(e.trainableParameters, 256);
  assert.equal(e.trainableWithHead, 256 + 16 * 2 + 2);
  assert.ok(Math.abs(e.trainablePercent - (100 * 256) / e.totalParameters) < 1e-9);
  assert.equal(e.adapterBytes, readFileSync(join(out, "adapter", "adapter_model.safetensors")).length);
  assert.ok(e.peakRssBytes > 1e7 && e.wallSeconds > 0 && e.secondsPerEpoch > 0);
  assert.ok("accuracy" in metrics.test);

  // course forward on the adapter folder = the library's logits for that adapter.
  writeFileSync(join(work, "ids.jsonl"), "[2, 17, 19, 3]\n[2, 18, 3]\n");
  const f = course(["forward", "--model", join(out, "adapter"), "--ids", join(work, "ids.jsonl"), "--out", join(work, "lora.json")]);
  assert.equal(f.code, 0, f.out);
  const logits = (JSON.parse(readFileSync(join(work, "lora.json"), "utf8")) as { logits: number[] }[]).map((x) => x.logits);
  assert.deepEqual(logits.map((l) => l.length), [2, 2]);
  const { model } = await loadPeftModel(join(out, "adapter"));
  try {
    const want = taskLogits(model, [{ inputIds: [2, 17, 19, 3] }, { inputIds: [2, 18, 3] }]) as number[][];
    assert.ok(Math.max(...want.flat().map((v, i) => Math.abs(v - (logits.flat()[i] as number)))) < 1e-6);
    // A merged classifier folder: `course forward` gives the same logits through the plain-checkpoint path.
    saveMergedCheckpoint(join(work, "merged"), model);
  } finally {
    model.dispose();
  }
  const m = course(["forward", "--model", join(work, "merged"), "--ids", join(work, "ids.jsonl"), "--out", join(work, "merged.json")]);
  assert.equal(m.code, 0, m.out);
  const merged = (JSON.parse(readFileSync(join(work, "merged.json"), "utf8")) as { logits: number[] }[]).map((x) => x.logits);
  assert.ok(Math.max(...merged.flat().map((v, i) => Math.abs(v - (logits.flat()[i] as number)))) < 1e-5);

  // The base moved: a clear error, and --base fixes it.
  renameSync(checkpoint, `${checkpoint}-moved`);
  try {
    const lost = course(["forward", "--model", join(out, "adapter"), "--ids", join(work, "ids.jsonl"), "--out", join(work, "x.json")]);
    assert.notEqual(lost.code, 0);
    assert.match(lost.out, /is not a checkpoint folder here; pass the base \(--base DIR\)/);
    const found = course(["forward", "--model", join(out, "adapter"), "--base", `${checkpoint}-moved`, "--ids", join(work, "ids.jsonl"), "--out", join(work, "y.json")]);
    assert.equal(found.code, 0, found.out);
    assert.deepEqual(JSON.parse(readFileSync(join(work, "y.json"), "utf8")), JSON.parse(readFileSync(join(work, "lora.json"), "utf8")));
  } finally {
    renameSync(`${checkpoint}-moved`, checkpoint);
  }
});

test("a course checkpoint's pooler (saved untrained: no course objective reads it) is trained and saved with the adapter", () => {
  // Found by a fresh-user check: course checkpoints carry the pooler at its random init, so under PEFT it stayed
  // frozen at random. It now counts as not pretrained, like a pooler the checkpoint lacks.
  const courseCheckpoint = join(work, "course-checkpoint");
  const model = randomBert(tinyConfig(), 0);
  saveBertCheckpoint(courseCheckpoint, model, { tokenizerDir: join(work, "tokenizer"), extraConfig: { course: { objective: "masked-lm" } } });
  model.dispose();
  const out = join(work, "sst2-lora-course");
  const r = course(["finetune", "--quiet", "--epochs", "2", "--batch", "2", "--lr", "1e-2", "--task", "sst2", "--from", courseCheckpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", out, "--peft", "lora", "--lora-r", "2", "--lora-alpha", "4"]);
  assert.equal(r.code, 0, r.out);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.deepEqual(metrics.model.initialized, ["bert.pooler.dense.weight", "bert.pooler.dense.bias"]);
  assert.equal(metrics.efficiency.trainableParameters, 256, "the pooler is not the method's");
  assert.equal(metrics.efficiency.trainableWithHead, 256 + 16 * 2 + 2 + 16 * 16 + 16, "LoRA + classifier + pooler");
  assert.deepEqual(JSON.parse(readFileSync(join(out, "adapter", "adapter_config.json"), "utf8")).modules_to_save, ["classifier", "pooler"]);
  const saved = readSafetensors(join(out, "adapter", "adapter_model.safetensors")).tensors.get("base_model.model.bert.pooler.dense.weight");
  const base = readSafetensors(join(courseCheckpoint, "model.safetensors")).tensors.get("bert.pooler.dense.weight");
  assert.ok(saved !== undefined && base !== undefined);
  assert.ok(Array.from(saved.data as Float32Array).some((v, i) => v !== (base.data as Float32Array)[i]), "the pooler trained");

  // A token head never reads the pooler, so a token-classification adapter does not carry it.
  const conll = course(["finetune", "--quiet", "--epochs", "1", "--batch", "2", "--task", "conll2003", "--from", courseCheckpoint, "--data-dir", join(FIXTURES, "conll2003"), "--out", join(work, "conll-lora-course"), "--peft", "lora", "--lora-r", "2"]);
  assert.equal(conll.code, 0, conll.out);
  assert.deepEqual(JSON.parse(readFileSync(join(work, "conll-lora-course", "adapter", "adapter_config.json"), "utf8")).modules_to_save, ["classifier"]);

  // Served over a base of another shape (here: a larger vocabulary), the adapter is refused, naming both.
  const other = join(work, "other-vocab");
  const wider = randomBert({ ...tinyConfig(), vocabSize: tinyConfig().vocabSize + 8 }, 0);
  saveBertCheckpoint(other, wider, { tokenizerDir: join(work, "tokenizer") });
  wider.dispose();
  writeFileSync(join(work, "ids-pooler.jsonl"), "[2, 17, 3]\n");
  const wrong = course(["forward", "--model", join(out, "adapter"), "--base", other, "--ids", join(work, "ids-pooler.jsonl"), "--out", join(work, "wrong.json")]);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.out, /the adapter was trained on .*course-checkpoint \(vocab_size \d+\), but the base .*other-vocab has vocab_size \d+; pass the base it was trained on/);
  // A missing folder, and a run folder instead of its adapter, say what to pass.
  const missing = course(["forward", "--model", join(work, "nope"), "--ids", join(work, "ids-pooler.jsonl"), "--out", join(work, "n.json")]);
  assert.match(missing.out, /--model .*nope: no such folder/);
  const runFolder = course(["forward", "--model", out, "--ids", join(work, "ids-pooler.jsonl"), "--out", join(work, "n.json")]);
  assert.match(runFolder.out, /a fine-tuning run folder; its adapter is --model .*sst2-lora-course\/adapter/);
});

test("course finetune without --peft reports full fine-tuning's efficiency (every parameter trainable, no adapter)", () => {
  const out = join(work, "conll-full");
  const r = course(["finetune", "--quiet", "--epochs", "1", "--batch", "2", "--task", "conll2003", "--from", checkpoint, "--data-dir", join(FIXTURES, "conll2003"), "--out", out]);
  assert.equal(r.code, 0, r.out);
  const e = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")).efficiency;
  assert.equal(e.method, "FULL");
  assert.equal(e.trainablePercent, (100 * e.trainableParameters) / e.totalParameters);
  assert.equal(e.adapterBytes, null);
  assert.equal(e.trainableWithHead, e.totalParameters);
  assert.ok(e.trainablePercent > 95, "all but the head");
});

test("course finetune --peft refuses an unknown method and a target that matches nothing", () => {
  const bad = course(["finetune", "--quiet", "--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", join(work, "bad"), "--peft", "loha"]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.out, /--peft loha: one of lora/);
  const typo = course(["finetune", "--quiet", "--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", join(work, "typo"), "--peft", "lora", "--target", "qurey"]);
  assert.notEqual(typo.code, 0);
  assert.match(typo.out, /"qurey" matches no Linear/);
  // A method's option without that method is refused, not ignored (found by a fresh-user check).
  const full = course(["finetune", "--quiet", "--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", join(work, "no-peft"), "--lora-r", "4"]);
  assert.notEqual(full.code, 0);
  assert.match(full.out, /--lora-r applies to --peft lora, not to full fine-tuning \(no --peft\)/);
  const other = course(["finetune", "--quiet", "--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", join(work, "wrong-option"), "--peft", "lora", "--init-r", "4"]);
  assert.match(other.out, /--init-r applies to --peft adalora, not to --peft lora/);
  assert.ok(!existsSync(join(work, "no-peft")) && !existsSync(join(work, "wrong-option")), "nothing written");
});

test("every method trains from the CLI, writes its peft_type, and course forward reads its adapter back", () => {
  // [method, options, peft_type, expected adapter_config.json fields]
  const cases: [string, string[], string, Record<string, unknown>][] = [
    ["adalora", ["--init-r", "4", "--target-r", "2"], "ADALORA", { init_r: 4, target_r: 2 }],
    ["ia3", [], "IA3", {}],
    ["prompt", ["--virtual-tokens", "3"], "PROMPT_TUNING", {}],
    ["prefix", ["--virtual-tokens", "3"], "PREFIX_TUNING", {}],
    ["adapter", ["--reduction-factor", "4", "--placement", "pfeiffer"], "BOTTLENECK", { placement: "pfeiffer", train_layer_norm: false }],
    ["adapter", ["--reduction-factor", "4"], "BOTTLENECK", { placement: "houlsby", train_layer_norm: true }],
    ["adapter", ["--reduction-factor", "4", "--layer-norm", "frozen"], "BOTTLENECK", { placement: "houlsby", train_layer_norm: false }],
  ];
  writeFileSync(join(work, "ids2.jsonl"), "[2, 17, 19, 3]\n[2, 18, 3]\n");
  for (const [k, [method, extra, type, fields]] of cases.entries()) {
    const out = join(work, `sst2-${method}-${k}`);
    const r = course(["finetune", "--quiet", "--epochs", "1", "--batch", "2", "--task", "sst2", "--from", checkpoint, "--data-dir", join(FIXTURES, "sst2"), "--out", out, "--peft", method, ...extra]);
    assert.equal(r.code, 0, `${method}: ${r.out}`);
    const config = JSON.parse(readFileSync(join(out, "adapter", "adapter_config.json"), "utf8")) as Record<string, unknown>;
    assert.equal(config["peft_type"], type);
    for (const [key, want] of Object.entries(fields)) assert.equal(config[key], want, `${method} ${extra.join(" ")}: ${key}`);
    const e = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")).efficiency;
    assert.equal(e.method, type);
    assert.ok(e.trainableParameters > 0 && e.trainablePercent < 50, `${method}: ${e.trainablePercent}%`);
    const f = course(["forward", "--model", join(out, "adapter"), "--ids", join(work, "ids2.jsonl"), "--out", join(work, `${method}-${k}.json`)]);
    assert.equal(f.code, 0, `${method} forward: ${f.out}`);
    assert.deepEqual((JSON.parse(readFileSync(join(work, `${method}-${k}.json`), "utf8")) as { logits: number[] }[]).map((x) => x.logits.length), [2, 2]);
  }
});
