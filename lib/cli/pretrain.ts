import type { Command } from "commander";
import { initBackend, describeBackend } from "../core";
import { bertConfig, BERT_PRESETS, type BertPreset } from "../model";
import { COURSE_MODELS, courseCheckpoint, courseModelInfo, pretrain } from "../pretrain";
import type { CourseMode } from "../core/mode";
import { loadTokenizer } from "../text";
import { newProgressBar } from "../plot";
import { corpusLines, finiteNumber, positiveInt } from "./args";

/** `course course-model`: builds (or finds) the course's pretrained BERT and prints its folder. */
export function registerCourseModel(program: Command): void {
  program
    .command("course-model")
    .description("build (or find, when cached) the course's pretrained BERT that `--from course` uses; prints its folder")
    .option("--mode <mode>", `quick (BERT-${COURSE_MODELS.quick.preset}, minutes) or full (BERT-${COURSE_MODELS.full.preset}, ${COURSE_MODELS.full.steps} steps, about an hour)`, "quick")
    .action(async (o: { mode: string }) => {
      if (o.mode !== "quick" && o.mode !== "full") throw new Error(`--mode ${o.mode}: use quick or full`);
      console.error(describeBackend(await initBackend()));
      let bar: ReturnType<typeof newProgressBar> | undefined;
      const dir = await courseCheckpoint({
        mode: o.mode as CourseMode,
        onStep: (r) => (bar ??= newProgressBar(COURSE_MODELS[o.mode as CourseMode].steps - r.step + 1, { label: "pretrain" })).tick(1, `loss ${r.loss.toFixed(3)} · ${Math.round(r.throughput)} tokens/s`),
        onEval: (step, m) => console.error(`eval @${step}: ${Object.entries(m).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(" · ")}`),
      });
      console.log(JSON.stringify({ dir, ...courseModelInfo(dir) }));
    });
}

/** `course pretrain`: MLM (or causal-LM) pretraining from text to a Hugging Face checkpoint. */
export function registerPretrain(program: Command): void {
  program
    .command("pretrain")
    .description("pretrain a BERT (masked LM) or, with --causal, a GPT-style causal LM; writes a Hugging Face checkpoint")
    .requiredOption("--corpus <dataset|file...>", "text datasets (train splits) or text files, one text per line")
    .requiredOption("--tokenizer <dir>", "folder with tokenizer.json or vocab.txt (see `course tokenizer train`)")
    .requiredOption("--out <dir>", "run folder: metrics.jsonl, run.json, tb/ (TensorBoard events), checkpoint/, and the final config.json + model.safetensors")
    .option("--config <preset>", `model size: ${Object.keys(BERT_PRESETS).join(", ")}`, "mini")
    .option("--steps <n>", "optimizer steps", positiveInt("--steps"), 1000)
    .option("--batch <n>", "sequences per step", positiveInt("--batch"), 32)
    .option("--seq <n>", "tokens per sequence", positiveInt("--seq"), 128)
    .option("--lr <rate>", "peak learning rate", finiteNumber("--lr"), 1e-3)
    .option("--seed <n>", "random seed", finiteNumber("--seed"), 0)
    .option("--causal", "train a causal (GPT-style) language model instead of a masked one")
    .option("--whole-word", "mask whole words")
    .option("--checkpoint-every <n>", "write a resumable checkpoint every n steps", positiveInt("--checkpoint-every"), 100)
    .option("--eval-every <n>", "held-out evaluation every n steps", positiveInt("--eval-every"), 100)
    .option("--resume", "continue from <out>/checkpoint")
    .action(async (o: { corpus: string[]; tokenizer: string; out: string; config: string; steps: number; batch: number; seq: number; lr: number; seed: number; causal?: boolean; wholeWord?: boolean; checkpointEvery: number; evalEvery: number; resume?: boolean }) => {
      if (!(o.config in BERT_PRESETS)) throw new Error(`--config ${o.config}: not one of ${Object.keys(BERT_PRESETS).join(", ")}`);
      console.error(describeBackend(await initBackend()));
      const tokenizer = loadTokenizer(o.tokenizer);
      const texts: string[] = [];
      for (const corpus of o.corpus) texts.push(...(await corpusLines(corpus)));
      const config = bertConfig(o.config as BertPreset, { vocabSize: tokenizer.vocabSize, causal: o.causal === true, maxPositions: Math.max(o.seq + 1, 128) });
      const bar = newProgressBar(o.steps, { label: "pretrain" });
      const result = pretrain(config, tokenizer, texts, {
        steps: o.steps,
        batchSize: o.batch,
        seqLength: o.seq,
        lr: o.lr,
        seed: o.seed,
        wholeWord: o.wholeWord === true,
        outDir: o.out,
        resume: o.resume === true,
        checkpointEvery: o.checkpointEvery,
        evalEvery: o.evalEvery,
        onStep: (r) => bar.tick(1, `loss ${r.loss.toFixed(3)} · ${Math.round(r.throughput)} tokens/s`),
        onEval: (step, m) => console.error(`eval @${step}: ${Object.entries(m).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(" · ")}`),
      });
      const last = result.evaluations.at(-1);
      console.log(JSON.stringify({ out: o.out, steps: o.steps, resumedFrom: result.resumedFrom, corpusTokens: result.corpusTokens, final: last?.metrics ?? null }));
      result.model.dispose();
    });
}
