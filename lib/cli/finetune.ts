/**
 * `course finetune --task NAME --from DIR|course|scratch --out DIR`: fine-tune a BERT on one of the course's
 * tasks and write `metrics.json`, `predictions.jsonl` and (NER) `predictions.conll` into `--out`.
 */
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend, describeBackend } from "../core";
import { writeFileAtomic } from "../core/atomic";
import { PEFT_METHODS, PeftModel, peftAdapter, saveAdapter, trainableCounts } from "../peft";
import { resolveCheckpoint, runTask, saveTaskCheckpoint, TASK_NAMES, taskSpec, type TaskModel, type TaskRunResult } from "../tasks";
import { finiteNumber, positiveInt } from "./args";

interface FinetuneCliOptions {
  task: string;
  from: string;
  out: string;
  tokenizer?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  maxLength?: number;
  seed: number;
  trainLimit?: number;
  validationLimit?: number;
  classWeights?: boolean;
  fixedPadding?: boolean;
  dataDir?: string;
  quiet?: boolean;
  saveModel?: boolean;
  peft?: string;
  loraR?: number;
  loraAlpha?: number;
  loraDropout?: number;
  target?: string;
  initR?: number;
  targetR?: number;
  virtualTokens?: number;
  reductionFactor?: number;
  placement?: string;
  layerNorm?: string;
}

/**
 * What a run cost, for full fine-tuning and PEFT alike (metrics.json's `efficiency`): trainable parameters with
 * and without the head, as a share of the model's, adapter file bytes, the process's peak resident memory
 * (`maxRSS`: everything, tfjs's buffers included) and wall time.
 */
export function efficiencyOf(model: TaskModel, result: TaskRunResult, adapterBytes: number | null): Record<string, unknown> {
  const counts = trainableCounts(model);
  const m = result.metrics;
  return {
    method: counts.method,
    trainableParameters: counts.trainable,
    trainableWithHead: counts.trainableWithHead,
    totalParameters: counts.total,
    trainablePercent: counts.percent,
    adapterBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    wallSeconds: m.wallSeconds.total,
    secondsPerEpoch: m.wallSeconds.train / m.config.epochs,
  };
}

/** Which `--peft` methods read each method option (flag, option key): any other use is refused, not ignored. */
const PEFT_OPTION_METHODS: readonly [string, keyof FinetuneCliOptions, readonly string[]][] = [
  ["--lora-r", "loraR", ["lora"]],
  ["--lora-alpha", "loraAlpha", ["lora", "adalora"]],
  ["--lora-dropout", "loraDropout", ["lora", "adalora"]],
  ["--target", "target", ["lora", "adalora", "ia3"]],
  ["--init-r", "initR", ["adalora"]],
  ["--target-r", "targetR", ["adalora"]],
  ["--virtual-tokens", "virtualTokens", ["prompt", "prefix"]],
  ["--reduction-factor", "reductionFactor", ["adapter"]],
  ["--placement", "placement", ["adapter"]],
  ["--layer-norm", "layerNorm", ["adapter"]],
];

/** @throws when a method option is given without `--peft`, or for a method that does not read it */
function refuseInapplicablePeftOptions(o: FinetuneCliOptions): void {
  if (o.peft !== undefined && !(PEFT_METHODS as readonly string[]).includes(o.peft)) return; // peftAdapter names the methods
  for (const [flag, key, methods] of PEFT_OPTION_METHODS) {
    if (o[key] === undefined || (o.peft !== undefined && methods.includes(o.peft))) continue;
    throw new Error(`${flag} applies to --peft ${methods.join(" / ")}, not to ${o.peft === undefined ? "full fine-tuning (no --peft)" : `--peft ${o.peft}`}`);
  }
}

/** Registers `course finetune`. */
export function registerFinetune(program: Command): void {
  program
    .command("finetune")
    .description("fine-tune a BERT checkpoint (or a random init) on a task; writes metrics.json and predictions")
    .requiredOption("--task <name>", `one of ${TASK_NAMES.join(", ")}`)
    .requiredOption("--from <dir|course|scratch>", "checkpoint folder; course, course:quick or course:full (the course's pretrained BERT); scratch (random init, see --tokenizer)")
    .requiredOption("--out <dir>", "run folder: metrics.json, predictions.jsonl, predictions.conll (NER), metrics.jsonl, run.json, tb/ (TensorBoard events)")
    .option("--tokenizer <dir>", "with --from scratch: tokenizer folder; its config.json (if any) gives the model size — pass the pretrained checkpoint for a like-for-like control")
    .option("--epochs <n>", "passes over the training set (default: the task's)", positiveInt("--epochs"))
    .option("--batch <n>", "examples per step (default: the task's)", positiveInt("--batch"))
    .option("--lr <rate>", "peak learning rate (default by model width: 1e-3 up to hidden 128, 1e-4 up to 512, else 3e-5)", finiteNumber("--lr"))
    .option("--max-length <n>", "longest encoding in tokens (default: the task's)", positiveInt("--max-length"))
    .option("--seed <n>", "seed of batch order, dropout, head init and subsets", finiteNumber("--seed"), 0)
    .option("--train-limit <n>", "train on a seeded random subset of n examples", positiveInt("--train-limit"))
    .option("--validation-limit <n>", "validate on a seeded random subset of n examples (test is never cut)", positiveInt("--validation-limit"))
    .option("--class-weights", "weight the loss by inverse class frequency (scikit-learn's 'balanced')")
    .option("--fixed-padding", "pad every batch to --max-length instead of its longest sequence (to measure dynamic padding)")
    .option("--data-dir <dir>", "read the dataset files from this folder instead of the registry (fixtures, own copies)")
    .option("--quiet", "no progress lines")
    .option("--save-model", "also save the fine-tuned classifier in OUT/model (Hugging Face layout, tokenizer included): what course evaluate and course monitor --model read")
    .option("--peft <method>", `parameter-efficient fine-tuning: ${PEFT_METHODS.join(", ")} (frozen base; writes OUT/adapter in peft's format)`)
    .option("--lora-r <n>", "LoRA rank r (default 8)", positiveInt("--lora-r"))
    .option("--lora-alpha <a>", "LoRA alpha: the update is scaled by alpha/r (default 16)", finiteNumber("--lora-alpha"))
    .option("--lora-dropout <p>", "dropout on the LoRA input (default 0.1)", finiteNumber("--lora-dropout"))
    .option("--target <names>", "lora, adalora, ia3: comma-separated module names to adapt (default query,value; ia3: key,value,output.dense)")
    .option("--init-r <n>", "adalora: starting rank per module (default 12)", positiveInt("--init-r"))
    .option("--target-r <n>", "adalora: average final rank per module (default 8)", positiveInt("--target-r"))
    .option("--virtual-tokens <n>", "prompt: soft prompt length (default 20); prefix: prefix length (default 10)", positiveInt("--virtual-tokens"))
    .option("--reduction-factor <n>", "adapter: bottleneck width = hidden / n (default 16)", positiveInt("--reduction-factor"))
    .option("--placement <where>", "adapter: houlsby (after attention and FFN, default) or pfeiffer (after the FFN)")
    .option("--layer-norm <train|frozen>", "adapter: train the encoder's LayerNorms with the adapters (default for houlsby, as the paper) or keep them frozen (default for pfeiffer)")
    .action(async (o: FinetuneCliOptions) => {
      const spec = taskSpec(o.task);
      refuseInapplicablePeftOptions(o);
      console.error(describeBackend(await initBackend()));
      let lastLine = 0;
      const targetModules = o.target?.split(",").map((t) => t.trim()).filter((t) => t !== "");
      if (o.placement !== undefined && o.placement !== "houlsby" && o.placement !== "pfeiffer") throw new Error(`--placement ${o.placement}: houlsby or pfeiffer`);
      if (o.layerNorm !== undefined && o.layerNorm !== "train" && o.layerNorm !== "frozen") throw new Error(`--layer-norm ${o.layerNorm}: train or frozen`);
      const adapt =
        o.peft === undefined
          ? undefined
          : peftAdapter(o.peft, {
              seed: o.seed,
              lora: { r: o.loraR, alpha: o.loraAlpha, dropout: o.loraDropout, targetModules },
              adalora: { initR: o.initR, targetR: o.targetR, alpha: o.loraAlpha, dropout: o.loraDropout, targetModules },
              ia3: { targetModules },
              prompt: { numVirtualTokens: o.virtualTokens },
              prefix: { numVirtualTokens: o.virtualTokens },
              adapter: { reductionFactor: o.reductionFactor, placement: o.placement as "houlsby" | "pfeiffer" | undefined, trainLayerNorm: o.layerNorm === undefined ? undefined : o.layerNorm === "train" },
            });
      const result = await runTask(spec.name, {
        adapt,
        keepModel: true,
        from: o.from,
        tokenizerDir: o.tokenizer,
        epochs: o.epochs,
        batchSize: o.batch,
        lr: o.lr,
        maxLength: o.maxLength,
        seed: o.seed,
        trainLimit: o.trainLimit,
        validationLimit: o.validationLimit,
        classWeights: o.classWeights ? "balanced" : undefined,
        padding: o.fixedPadding ? { maxLength: o.maxLength ?? spec.defaults.maxLength } : "longest",
        dataDir: o.dataDir,
        outDir: o.out,
        // The PEFT method and the options given for it, for run.json and TensorBoard's config text.
        run: { peft: o.peft === undefined ? null : JSON.parse(JSON.stringify({ method: o.peft, loraR: o.loraR, loraAlpha: o.loraAlpha, loraDropout: o.loraDropout, target: o.target, initR: o.initR, targetR: o.targetR, virtualTokens: o.virtualTokens, reductionFactor: o.reductionFactor, placement: o.placement, layerNorm: o.layerNorm })) },
        onStep: (r) => {
          if (o.quiet || Date.now() - lastLine < 10_000) return; // a line every 10 s: logs stay readable
          lastLine = Date.now();
          console.error(`finetune ${spec.name}: step ${r.step} · loss ${r.loss.toFixed(3)} · ${Math.round(r.throughput)} tokens/s`);
        },
        onEval: (epoch, _step, m) => console.error(`epoch ${epoch} validation: ${Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(" · ")}`),
      });
      const model = result.model as TaskModel;
      try {
        let adapterBytes: number | null = null;
        if (model instanceof PeftModel) {
          const base = result.metrics.from === "scratch" ? null : result.metrics.from;
          if (base === null) console.error("course finetune: the base is a random init (--from scratch): adapter_config.json's base_model_name_or_path is null");
          adapterBytes = saveAdapter(join(o.out, "adapter"), model, { baseModelNameOrPath: base, labels: result.metrics.labels });
        }
        if (o.saveModel === true) {
          if (model instanceof PeftModel) throw new Error("course finetune --save-model: a PEFT run saves its adapter in OUT/adapter; drop --save-model or --peft");
          const tokenizerDir = result.metrics.from === "scratch" ? await resolveCheckpoint(o.tokenizer as string) : result.metrics.from;
          saveTaskCheckpoint(join(o.out, "model"), model, { labels: result.metrics.labels, tokenizerDir });
        }
        // metrics.json gains the cost of the run (runTask wrote the rest).
        const file = join(o.out, "metrics.json");
        const metrics = { ...(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>), efficiency: efficiencyOf(model, result, adapterBytes) };
        writeFileAtomic(file, JSON.stringify(metrics, null, 2) + "\n");
        const m = result.metrics;
        console.log(JSON.stringify({ task: m.task, from: m.from, out: o.out, bestEpoch: m.bestEpoch, validation: m.validation, test: m.test, wallSeconds: m.wallSeconds, efficiency: metrics.efficiency }));
      } finally {
        model.dispose();
      }
    });
}
