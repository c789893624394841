import * as tf from "@tensorflow/tfjs";
import { InvalidArgumentError, type Command } from "commander";
import { join } from "node:path";
import { initBackend } from "../core";
import { Rng } from "../core/rng";
import { exportBertOnnx, loadExportSource, ONNX_TASKS, randomInferenceBatch, openOnnx, type OnnxTask } from "../export";
import { positiveInt } from "./args";

/**
 * `course export-onnx --model DIR --out DIR [--task ...] [--quantize int8]`: writes the transformers.js folder
 * (config.json, tokenizer files, onnx/model.onnx, onnx/model_quantized.onnx), then checks it: onnxruntime's
 * logits on a random batch against the tfjs model's (fp32, and int8 when written). Last line: `exported: DIR`.
 */
export function registerExportOnnx(program: Command): void {
  program
    .command("export-onnx")
    .description("export a checkpoint to ONNX in the folder layout transformers.js reads")
    .requiredOption("--model <dir>", "a checkpoint folder (config.json, model.safetensors, tokenizer files)")
    .requiredOption("--out <dir>", "the folder to write (replaced whole if it exists)")
    .option("--task <task>", `${ONNX_TASKS.join(" | ")} (default: from config.json's architectures)`, (v: string) => {
      if (!(ONNX_TASKS as readonly string[]).includes(v)) throw new InvalidArgumentError(`--task must be one of ${ONNX_TASKS.join(", ")}, got "${v}"`);
      return v as OnnxTask;
    })
    .option("--quantize <kind>", "also write onnx/model_quantized.onnx: int8", (v: string) => {
      if (v !== "int8") throw new InvalidArgumentError(`--quantize supports only int8, got "${v}"`);
      return v as "int8";
    })
    .option("--opset <n>", "ONNX opset 13–18 (≥ 17 uses LayerNormalization)", positiveInt("--opset"), 14)
    .option("--no-verify", "skip the onnxruntime-vs-tfjs check")
    .action(async (o: { model: string; out: string; task?: OnnxTask; quantize?: "int8"; opset: number; verify: boolean }) => {
      await initBackend();
      const { model, task, labels, tokenizerDir } = loadExportSource(o.model, o.task === undefined ? {} : { task: o.task });
      try {
        const report = exportBertOnnx(model, o.out, { task, opset: o.opset, ...(labels ? { labels } : {}), ...(tokenizerDir ? { tokenizerDir } : {}), ...(o.quantize ? { quantize: o.quantize } : {}) });
        if (tokenizerDir === undefined) console.error(`${o.model}: no tokenizer files; transformers.js pipelines need them (copy tokenizer.json / vocab.txt into ${o.out})`);
        for (const [file, bytes] of Object.entries(report.files)) console.log(`${file.padEnd(28)} ${(bytes / 1e6).toFixed(3)} MB`);
        const fp32 = report.files["onnx/model.onnx"] ?? 0;
        const int8 = report.files["onnx/model_quantized.onnx"];
        if (int8 !== undefined) console.log(`int8 / fp32 size: 1 / ${(fp32 / int8).toFixed(2)}`);
        if (o.verify) {
          const config = "kind" in model ? model.bert.config : model.config;
          const batch = randomInferenceBatch(2, Math.min(16, config.maxPositions), config.vocabSize, new Rng(0));
          (batch.attentionMask as number[]).fill(0, batch.seq + batch.seq / 2); // second row half padding
          const reference = tf.tidy(() => {
            const inputs = { inputIds: tf.tensor2d(Int32Array.from(batch.inputIds), [batch.batch, batch.seq], "int32"), attentionMask: tf.tensor2d(Int32Array.from(batch.attentionMask), [batch.batch, batch.seq], "int32") };
            return ("kind" in model ? model.logits(inputs) : model.mlmLogits(model.encode(inputs).hidden)).dataSync() as Float32Array;
          });
          for (const file of int8 === undefined ? ["model.onnx"] : ["model.onnx", "model_quantized.onnx"]) {
            const runner = await openOnnx(join(report.dir, "onnx", file));
            const { data } = await runner.run(batch);
            await runner.release();
            let diff = 0;
            for (let i = 0; i < data.length; i++) diff = Math.max(diff, Math.abs((data[i] as number) - (reference[i] as number)));
            console.log(`${file}: max |logits − tfjs logits| = ${diff.toExponential(2)} (random batch 2×${batch.seq}, padded)`);
            if (file === "model.onnx" && !(diff < 1e-3)) throw new Error(`${report.dir}/onnx/${file}: logits differ from the tfjs model's by ${diff}; please report this with the checkpoint's config.json`);
          }
        }
        console.log(`exported: ${report.dir} (task ${report.task}, opset ${report.opset})`);
      } finally {
        model.dispose();
      }
    });
}
