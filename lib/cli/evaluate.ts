/**
 * `course evaluate --model DIR --task NAME [--checklist] [--calibration] [--ood TASK]`: evaluate a fine-tuned
 * sequence classifier (a folder from `saveTaskCheckpoint` or Hugging Face's `save_pretrained`) and write a JSON
 * report (lib/eval's `evaluateClassifier`): test scores with 95% bootstrap intervals, and on request behavioural
 * tests, calibration before/after temperature scaling, and out-of-domain accuracy.
 */
import type { Command } from "commander";
import { initBackend, writeFileAtomic } from "../core";
import { evaluateClassifier, type EvaluateOptions } from "../eval";
import { loadTaskCheckpoint, TASK_NAMES, taskSpec, type TaskSplits } from "../tasks";
import { loadTokenizer } from "../text";
import { finiteNumber, positiveInt } from "./args";

const DOMAINS: Record<string, EvaluateOptions["checklist"]> = { sst2: "movies", fpb: "finance", fpb50: "finance", banking77: "banking" };

interface EvaluateCliOptions {
  model: string;
  task: string;
  checklist?: boolean;
  calibration?: boolean;
  ood?: string;
  out?: string;
  dataDir?: string;
  oodDataDir?: string;
  samples: number;
  seed: number;
}

async function classificationData(task: string, dataDir: string | undefined): Promise<Extract<TaskSplits, { kind: "classification" }>> {
  const data = await taskSpec(task).load(dataDir === undefined ? {} : { dir: dataDir });
  if (data.kind !== "classification") throw new Error(`course evaluate: task ${task} is a tagging task; evaluate reads sequence classifiers (use metrics.json's testIntervals for NER)`);
  return data;
}

/** Registers `course evaluate`. */
export function registerEvaluate(program: Command): void {
  program
    .command("evaluate")
    .description("evaluate a fine-tuned classifier: scores with intervals, behavioural tests, calibration, out-of-domain; writes a JSON report")
    .requiredOption("--model <dir>", "a sequence-classification checkpoint folder (config.json, model.safetensors, tokenizer files)")
    .requiredOption("--task <name>", `the task it was trained on: one of ${TASK_NAMES.join(", ")}`)
    .option("--checklist", "behavioural tests (MFT/INV/DIR) for the task's domain, and the counterfactual gender/name swap test")
    .option("--calibration", "ECE and reliability bins before and after temperature scaling fitted on validation")
    .option("--ood <task>", "also score the test set of this task, labels matched by name (e.g. --task sst2 --ood fpb)")
    .option("--out <file>", "report path (default <model>/evaluation-<task>.json)")
    .option("--data-dir <dir>", "read the task's files from this folder instead of the registry")
    .option("--ood-data-dir <dir>", "read the --ood task's files from this folder")
    .option("--samples <n>", "bootstrap resamples", positiveInt("--samples"), 1000)
    .option("--seed <n>", "seed of the resampling and perturbations", finiteNumber("--seed"), 0)
    .action(async (o: EvaluateCliOptions) => {
      const data = await classificationData(o.task, o.dataDir);
      await initBackend();
      const { model, labels } = loadTaskCheckpoint(o.model);
      try {
        if (model.kind !== "sequence") throw new Error(`course evaluate: ${o.model} is a token classifier; evaluate reads sequence classifiers`);
        if (labels.join() !== data.labels.join()) throw new Error(`course evaluate: ${o.model}/config.json labels (${labels.join(", ")}) are not task ${o.task}'s (${data.labels.join(", ")}); pass the task the model was trained on`);
        let checklist: EvaluateOptions["checklist"];
        if (o.checklist === true) {
          checklist = DOMAINS[o.task];
          if (checklist === undefined) throw new Error(`course evaluate: --checklist has suites for ${Object.keys(DOMAINS).join(", ")}, not ${o.task}`);
        }
        let ood: EvaluateOptions["ood"];
        if (o.ood !== undefined) {
          const other = await classificationData(o.ood, o.oodDataDir);
          if (other.test.length === 0) throw new Error(`course evaluate: --ood ${o.ood} has no test examples${o.oodDataDir === undefined ? "" : ` in ${o.oodDataDir}`}`);
          ood = { task: o.ood, examples: other.test.map((e) => ({ text: e.text, label: other.labels[e.label] as string })) };
        }
        const report = evaluateClassifier(model, loadTokenizer(o.model), labels, { test: data.test, validation: data.validation }, { calibration: o.calibration, checklist, ood, samples: o.samples, seed: o.seed });
        const out = o.out ?? `${o.model.replace(/\/+$/, "")}/evaluation-${o.task}.json`;
        writeFileAtomic(out, JSON.stringify({ model: o.model, task: o.task, seed: o.seed, ...report, finishedAt: new Date().toISOString() }, null, 2) + "\n");
        const t = report.test;
        console.log(`${o.task}: accuracy ${t.accuracy.value.toFixed(3)} [${t.accuracy.low.toFixed(3)}, ${t.accuracy.high.toFixed(3)}], macro-F1 ${t.macroF1.value.toFixed(3)} [${t.macroF1.low.toFixed(3)}, ${t.macroF1.high.toFixed(3)}] on ${t.examples} test examples (95% percentile bootstrap)`);
        if (report.calibration) console.log(`calibration: ECE ${report.calibration.before.ece.toFixed(3)} → ${report.calibration.after.ece.toFixed(3)} at T = ${report.calibration.temperature.temperature.toFixed(3)}`);
        for (const r of report.checklist ?? []) console.log(`${r.type} ${r.name}: ${(100 * r.failureRate).toFixed(1)}% of ${r.cases} fail`);
        if (report.ood) console.log(`out of domain (${report.ood.task}): accuracy ${report.ood.accuracy.value.toFixed(3)} [${report.ood.accuracy.low.toFixed(3)}, ${report.ood.accuracy.high.toFixed(3)}]; ${report.ood.mapping}`);
        console.log(`report: ${out}`);
      } finally {
        model.dispose();
      }
    });
}
