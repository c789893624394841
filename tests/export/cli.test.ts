import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../lib/core";
import { saveBertCheckpoint } from "../../lib/checkpoint";
import { saveTokenizer } from "../../lib/text";
import { randomBert } from "../checkpoint/random-model";
import { randomTaskModel, saveTaskCheckpoint, tinyConfig, tinyTokenizer } from "./helpers";

const ROOT = join(__dirname, "..", "..");
let work: string;
let mlm: string;
let tagger: string;

before(async () => {
  await initBackend({ backend: "wasm" });
  work = mkdtempSync(join(tmpdir(), "llm-course-export-cli-"));
  saveTokenizer(tinyTokenizer(), join(work, "tokenizer"));
  mlm = join(work, "mlm");
  const bert = randomBert(tinyConfig(), 21);
  saveBertCheckpoint(mlm, bert, { tokenizerDir: join(work, "tokenizer") });
  bert.dispose();
  tagger = join(work, "tagger");
  const model = randomTaskModel("token", 3, 22);
  saveTaskCheckpoint(tagger, model, ["O", "B-LOC", "I-LOC"]);
  model.dispose();
});

after(() => rmSync(work, { recursive: true, force: true }));

function course(args: string[]): { code: number | null; stdout: string; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), ...args], { env: { ...process.env, COURSE_BACKEND: "wasm" }, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}`.slice(-3000) };
}

test("course export-onnx writes fp32 + int8 and checks them against tfjs; bench infer times each runtime", () => {
  const out = join(work, "mlm-onnx");
  const r = course(["export-onnx", "--model", mlm, "--out", out, "--quantize", "int8"]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.stdout, /model\.onnx: max \|logits − tfjs logits\| = \d\.\d\de-([5-9]|[1-9]\d) /, "fp32 within 1e-4");
  assert.match(r.stdout, /model_quantized\.onnx: max \|logits − tfjs logits\|/);
  assert.match(r.stdout, /exported: .*task fill-mask, opset 14/);
  for (const f of ["config.json", "tokenizer.json", "vocab.txt", "onnx/model.onnx", "onnx/model_quantized.onnx"]) assert.ok(existsSync(join(out, f)), f);

  for (const [runtime, model] of [["tfjs", mlm], ["onnx", out], ["onnx-int8", mlm]] as const) {
    const b = course(["bench", "infer", "--model", model, "--runtime", runtime, "--batch", "2", "--seq", "8", "--iterations", "3", "--warmup", "1"]);
    assert.equal(b.code, 0, b.out);
    const p50 = Number(/p50 ms: ([\d.]+)/.exec(b.stdout)?.[1]);
    const p95 = Number(/p95 ms: ([\d.]+)/.exec(b.stdout)?.[1]);
    const throughput = Number(/sequences\/s: ([\d.]+)/.exec(b.stdout)?.[1]);
    assert.ok(p50 > 0 && p95 >= p50 && throughput > 0, `${runtime}: ${b.stdout}`);
  }
});

test("course export-onnx reads a token-classification checkpoint's classifier and id2label", () => {
  const out = join(work, "tagger-onnx");
  const r = course(["export-onnx", "--model", tagger, "--out", out]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.stdout, /exported: .*task token-classification/);
  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as Record<string, unknown>;
  assert.deepEqual(config["id2label"], { "0": "O", "1": "B-LOC", "2": "I-LOC" });
});

test("bench infer on an export without int8 says how to write it", () => {
  const out = join(work, "tagger-onnx");
  const r = course(["bench", "infer", "--model", out, "--runtime", "onnx-int8", "--seq", "8", "--iterations", "1"]);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /model_quantized\.onnx: not found \(run `course export-onnx .* --quantize int8`\)/);
});
