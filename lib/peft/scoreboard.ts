/**
 * The PEFT scoreboard (notebook `07-peft`, `bench/peft-scoreboard.ts`): every method against full fine-tuning on the
 * same tasks, data, epochs, batch and seed — only the learning rate differs per method. Per run: the test score (the
 * best-validation epoch's, read once) with its 95 % bootstrap interval, trainable parameters as a share of the model
 * (head excluded), the adapter file's bytes, the memory one training step needs beyond the weights (tfjs's peak
 * during forward + backward on 16 training examples), AdamW's state, and seconds per epoch.
 */
import { join } from "node:path";
import type { TaskModel } from "../tasks/heads";
import { encodeTagged, encodeTexts, runTask } from "../tasks/run";
import { padBatch } from "../tasks/batching";
import { taskSpec, type TaskSplits } from "../tasks/registry";
import type { AdaLora } from "./adalora";
import { measureTrainingStep, trainableCounts } from "./efficiency";
import { saveAdapter } from "./files";
import { peftAdapter, type PeftOptions } from "./methods";
import { PeftModel } from "./peft-model";

/** The methods a scoreboard can run: full fine-tuning and `lib/peft`'s. */
export const SCOREBOARD_METHODS = ["full", "lora", "adalora", "ia3", "adapter", "prefix", "prompt"] as const;

export interface PeftScoreboardOptions {
  /** Checkpoint folder or `course:*` alias. */
  from: string;
  tasks: readonly string[];
  /** Methods per task (`full` = full fine-tuning). */
  methods: (task: string) => readonly string[];
  /** Peak learning rate per method. */
  lr: Readonly<Record<string, number>>;
  /** Seeded training subset per task (default all); validation capped at `validationLimit`; test always whole. */
  trainLimit?: number;
  validationLimit?: number;
  /** Default: each task's own. */
  epochs?: number;
  batchSize?: number;
  maxLength?: number;
  seed?: number;
  /** The methods' options (`peftAdapter`'s; `seed` is the scoreboard's). */
  peft?: Omit<PeftOptions, "seed">;
  /** Already loaded splits by task. */
  data?: Readonly<Record<string, TaskSplits>>;
  /** Save each adapter to `<saveDir>/<task>-<method>` (its bytes are the "adapter bytes"); default: not saved, bytes null. */
  saveDir?: string;
  /** Called after each run (progress). */
  onRow?(row: PeftScoreboardRow): void;
}

/** One run of the scoreboard. */
export interface PeftScoreboardRow {
  task: string;
  method: string;
  /** `accuracy` or `f1` (entity F1, CoNLL-2003). */
  metric: string;
  score: number;
  low: number;
  high: number;
  /** Trainable scalars as % of the model, head excluded. */
  trainablePercent: number;
  /** Bytes of the saved `adapter_model.safetensors` (null: full fine-tuning, or not saved). */
  adapterBytes: number | null;
  /** tfjs's peak bytes of one forward + backward beyond what was allocated before it. */
  stepPeakBytes: number;
  /** AdamW's two moments: 8 bytes per trainable scalar, head included. */
  adamStateBytes: number;
  secondsPerEpoch: number;
  /** Where the adapter was saved (when `saveDir`). */
  adapterDir: string | null;
}

/**
 * Runs the scoreboard (see the file comment), one run at a time.
 * @returns the rows in task × method order, and AdaLoRA's final rank per module for each task it ran on
 * @throws naming the method when it is not one of {@link SCOREBOARD_METHODS}
 */
export async function peftScoreboard(options: PeftScoreboardOptions): Promise<{ rows: PeftScoreboardRow[]; adaloraRanks: Record<string, Map<string, number>> }> {
  const { from, tasks, methods, lr, trainLimit, validationLimit, epochs, batchSize, maxLength, seed = 0, peft = {}, saveDir, onRow } = options;
  const rows: PeftScoreboardRow[] = [];
  const adaloraRanks: Record<string, Map<string, number>> = {};
  for (const task of tasks) {
    const spec = taskSpec(task);
    const data = options.data?.[task] ?? (await spec.load());
    for (const method of methods(task)) {
      if (!(SCOREBOARD_METHODS as readonly string[]).includes(method)) throw new Error(`peftScoreboard: method "${method}" is not one of ${SCOREBOARD_METHODS.join(", ")}`);
      const rate = lr[method];
      if (rate === undefined) throw new Error(`peftScoreboard: no learning rate for method "${method}" (lr has ${Object.keys(lr).join(", ")})`);
      const adapt = method === "full" ? undefined : peftAdapter(method, { ...peft, seed });
      const run = await runTask(task, { from, data, trainLimit, validationLimit, epochs, batchSize, maxLength, lr: rate, seed, keepModel: true, adapt });
      const model = run.model as TaskModel;
      try {
        const counts = trainableCounts(model);
        let adapterBytes: number | null = null;
        let adapterDir: string | null = null;
        if (model instanceof PeftModel) {
          if (saveDir !== undefined) {
            adapterDir = join(saveDir, `${task}-${method}`);
            adapterBytes = saveAdapter(adapterDir, model, { baseModelNameOrPath: from, labels: run.metrics.labels });
          }
          if (method === "adalora") adaloraRanks[task] = (model.adapter().method as AdaLora).ranks();
        }
        // One step on 16 training examples, as the run encoded them (same max length).
        const length = run.metrics.config.maxLength;
        const encoded = data.kind === "classification" ? encodeTexts(run.tokenizer, data.train.slice(0, 16), length) : encodeTagged(run.tokenizer, data.train.slice(0, 16), data.labels, length);
        const cost = await measureTrainingStep(model, padBatch(encoded, encoded.map((_, i) => i), run.tokenizer.tokenToId(run.tokenizer.padToken) ?? 0), { steps: 1 });
        const interval = run.metrics.testIntervals[spec.metric];
        const row: PeftScoreboardRow = {
          task, method, metric: spec.metric,
          score: run.metrics.test[spec.metric] as number, low: interval?.low ?? Number.NaN, high: interval?.high ?? Number.NaN,
          trainablePercent: counts.percent, adapterBytes, stepPeakBytes: cost.peakStepBytes, adamStateBytes: 8 * counts.trainableWithHead,
          secondsPerEpoch: run.metrics.wallSeconds.train / run.metrics.config.epochs, adapterDir,
        };
        rows.push(row);
        onRow?.(row);
      } finally {
        model.dispose();
      }
    }
  }
  return { rows, adaloraRanks };
}

/**
 * Notebook 07's scoreboard settings by mode (also `bench/peft-scoreboard.ts`'s, so the README's table is the
 * notebook's full mode). `quick`: FPB with every method and SST-2 with LoRA only (the adapter the serving section
 * loads beside FPB's), 96 training and 48 validation sentences, 2 epochs, length 48 — every method runs, none
 * learns. `full`: FPB, SST-2, Banking77 and CoNLL-2003 with every method on a seeded 1,000-example training subset
 * (validation capped at 500, test whole), 3 epochs, length 64 — about 6 minutes of the idle 2-core machine (two
 * tasks at a time, measured 2026-11-30). Learning rates are per method, not tuned per task (PEFT methods want larger
 * ones than full fine-tuning: fewer, fresh parameters).
 */
export function scoreboardSettings(mode: "quick" | "full"): Omit<PeftScoreboardOptions, "from" | "data" | "saveDir" | "onRow"> {
  const quick = mode !== "full";
  return {
    tasks: quick ? ["fpb", "sst2"] : ["fpb", "sst2", "banking77", "conll2003"],
    methods: (task) => (quick && task !== "fpb" ? ["lora"] : SCOREBOARD_METHODS),
    lr: { full: 1e-3, lora: 1e-2, adalora: 1e-2, ia3: 3e-2, adapter: 5e-3, prefix: 1e-2, prompt: 3e-2 },
    trainLimit: quick ? 96 : 1000,
    validationLimit: quick ? 48 : 500,
    epochs: quick ? 2 : 3,
    batchSize: 16,
    maxLength: quick ? 48 : 64,
    seed: 0,
    peft: { lora: { r: 8 }, adalora: { initR: 8, targetR: 4, targetModules: ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"] } },
  };
}
