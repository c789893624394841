import { InvalidArgumentError, type Command } from "commander";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeBackend, initBackend } from "../core";
import { Rng } from "../core/rng";
import { benchInterleaved, exportBertOnnx, loadExportSource, onnxRunner, ONNX_OPTIMIZATIONS, randomInferenceBatch, tfjsRunner, type InferenceRunner, type OnnxOptimization } from "../export";
import { positiveInt } from "./args";

const RUNTIMES = ["tfjs", "onnx", "onnx-int8"] as const;
type Runtime = (typeof RUNTIMES)[number];

/**
 * `course bench infer --model DIR [--runtime tfjs|onnx|onnx-int8] [--batch B --seq T --iterations N]`:
 * inference latency of one runtime on a random `[B, T]` batch. `--model` is a checkpoint folder (tfjs reads
 * `model.safetensors`; the ONNX runtimes export it to a temp folder first) or an `export-onnx` folder (ONNX
 * only). Last lines: `p50 ms: …`, `p95 ms: …`, `sequences/s: …`.
 */
export function registerBenchInfer(bench: Command): void {
  bench
    .command("infer")
    .description("inference latency (p50/p95 ms) and throughput of tfjs or onnxruntime (fp32 / int8)")
    .requiredOption("--model <dir>", "a checkpoint folder, or a folder written by `course export-onnx`")
    .option("--runtime <name>", RUNTIMES.join(" | "), (v: string) => {
      if (!(RUNTIMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`--runtime must be one of ${RUNTIMES.join(", ")}, got "${v}"`);
      return v as Runtime;
    }, "onnx" as Runtime)
    .option("--batch <n>", "sequences per call", positiveInt("--batch"), 1)
    .option("--seq <n>", "tokens per sequence", positiveInt("--seq"), 128)
    .option("--iterations <n>", "timed calls", positiveInt("--iterations"), 20)
    .option("--warmup <n>", "untimed first calls", positiveInt("--warmup"), 3)
    .option("--threads <n>", "onnxruntime intra-op threads (default: its own choice)", positiveInt("--threads"))
    .option("--optimization <level>", `onnxruntime graph optimisation: ${ONNX_OPTIMIZATIONS.join(", ")}`, (v: string) => {
      if (!(ONNX_OPTIMIZATIONS as readonly string[]).includes(v)) throw new InvalidArgumentError(`--optimization must be one of ${ONNX_OPTIMIZATIONS.join(", ")}, got "${v}"`);
      return v as OnnxOptimization;
    }, "all" as OnnxOptimization)
    .action(async (o: { model: string; runtime: Runtime; batch: number; seq: number; iterations: number; warmup: number; threads?: number; optimization: OnnxOptimization }) => {
      const configPath = join(o.model, "config.json");
      if (!existsSync(configPath)) throw new Error(`--model ${o.model}: no config.json (a checkpoint folder or an export-onnx folder)`);
      const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
      const vocabSize = Number(config["vocab_size"]);
      const maxPositions = Number(config["max_position_embeddings"] ?? 512);
      if (o.seq > maxPositions) throw new Error(`--seq ${o.seq} exceeds the model's max_position_embeddings ${maxPositions}`);
      const hasWeights = existsSync(join(o.model, "model.safetensors"));
      let runner: InferenceRunner;
      let temp: string | undefined;
      let detail: string;
      if (o.runtime === "tfjs") {
        if (!hasWeights) throw new Error(`--model ${o.model}: no model.safetensors for --runtime tfjs (pass the checkpoint folder, not the ONNX export)`);
        const report = await initBackend();
        detail = describeBackend(report);
        const { model } = loadExportSource(o.model);
        runner = { ...tfjsRunner(model), close: async () => model.dispose() };
      } else {
        const file = o.runtime === "onnx" ? "model.onnx" : "model_quantized.onnx";
        let path = join(o.model, "onnx", file);
        if (!existsSync(path)) {
          if (!hasWeights) throw new Error(`${path}: not found (run \`course export-onnx --model … --out ${o.model}${o.runtime === "onnx-int8" ? " --quantize int8" : ""}\`)`);
          await initBackend();
          temp = mkdtempSync(join(tmpdir(), "course-bench-infer-"));
          const { model, task, labels } = loadExportSource(o.model);
          try {
            exportBertOnnx(model, join(temp, "model"), { task, ...(labels ? { labels } : {}), ...(o.runtime === "onnx-int8" ? { quantize: "int8" as const } : {}) });
          } finally {
            model.dispose();
          }
          path = join(temp, "model", "onnx", file);
        }
        runner = await onnxRunner(path, { optimization: o.optimization, ...(o.threads ? { intraOpThreads: o.threads } : {}), label: o.runtime });
        detail = `onnxruntime-node (CPU), ${path}, optimisation ${o.optimization}, intra-op threads ${o.threads ?? "default"}`;
      }
      try {
        console.error(detail);
        const batch = randomInferenceBatch(o.batch, o.seq, vocabSize, new Rng(0));
        const [stats] = await benchInterleaved([runner], batch, { iterations: o.iterations, warmup: o.warmup });
        if (stats === undefined) throw new Error("no measurement");
        console.log(JSON.stringify({ runtime: o.runtime, batch: o.batch, seq: o.seq, iterations: o.iterations, p50: stats.p50, p95: stats.p95, mean: stats.mean }));
        console.log(`p50 ms: ${stats.p50.toFixed(2)}`);
        console.log(`p95 ms: ${stats.p95.toFixed(2)}`);
        console.log(`sequences/s: ${stats.throughput.toFixed(1)}`);
      } finally {
        await runner.close();
        if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
      }
    });
}
