import type { Command } from "commander";
import { initBackend, describeBackend } from "../core";
import { bertConfig, BERT_PRESETS, type BertPreset } from "../model";
import { COURSE_RECIPES, DEFAULT_COURSE_RECIPE, courseCheckpoint, courseModelInfo, loadPretrainingCorpus, pretrain, type CourseRecipe } from "../pretrain";
import { TEXT_DATASETS } from "../data";
import type { CourseMode } from "../core/mode";
import { loadTokenizer } from "../text";
import { newProgressBar } from "../plot";
import { corpusLines, finiteNumber, positiveInt } from "./args";

/**
 * Seconds of a budget's clock spent since the previous call, so a progress bar of a CPU-time budget advances by CPU
 * time (a step's wall seconds run ahead of it on a busy machine and fill the bar before the budget is spent).
 */
function budgetSpent(clock: string | undefined): (stepSeconds: number) => number {
  let last = process.cpuUsage();
  return (stepSeconds) => {
    if (clock !== "cpu") return stepSeconds;
    const now = process.cpuUsage();
    const seconds = (now.user - last.user + now.system - last.system) / 1e6;
    last = now;
    return seconds;
  };
}

const budgetLabel = (clock: string | undefined) => (clock === "cpu" ? "pretrain (CPU s)" : "pretrain (s)");

/** `course course-model`: builds (or finds) the course's pretrained BERT and prints its folder. */
export function registerCourseModel(program: Command): void {
  program
    .command("course-model")
    .description("build (or find, when cached) the course's pretrained BERT that `--from course` uses; prints its folder")
    .option("--mode <mode>", `quick (minutes) or full (${COURSE_RECIPES[DEFAULT_COURSE_RECIPE.full].full.budgetMinutes} CPU-minutes)`, "quick")
    .option("--recipe <name>", `bert (80/10/10 masking, dropout, a step count on the smaller corpus), or for a CPU-minute budget on the larger cleaned corpus: mlm (BERT's masked LM), babyberta (always [MASK], no dropout, short inputs, budget-sized vocabulary) or electra (replaced-token detection). Default: ${DEFAULT_COURSE_RECIPE.quick} in quick mode, ${DEFAULT_COURSE_RECIPE.full} in full (the measured winner)`)
    .option("--minutes <m>", "train for this budget instead of the recipe's (or its step count): the learning rate follows the fraction spent; resumable", finiteNumber("--minutes"))
    .action(async (o: { mode: string; recipe?: string; minutes?: number }) => {
      if (o.mode !== "quick" && o.mode !== "full") throw new Error(`--mode ${o.mode}: use quick or full`);
      o.recipe ??= DEFAULT_COURSE_RECIPE[o.mode];
      if (!(o.recipe in COURSE_RECIPES)) throw new Error(`--recipe ${o.recipe}: use ${Object.keys(COURSE_RECIPES).join(", ")}`);
      if (o.minutes !== undefined && !(o.minutes > 0)) throw new Error(`--minutes ${o.minutes}: give a positive number of minutes`);
      const recipe = o.recipe as CourseRecipe;
      const base = COURSE_RECIPES[recipe][o.mode as CourseMode];
      // With a budget, the step count is only a guard against a runaway loop.
      const spec = o.minutes === undefined ? undefined : { budgetMinutes: o.minutes, steps: Math.max(base.steps, 1_000_000) };
      const budget = spec?.budgetMinutes ?? base.budgetMinutes;
      console.error(describeBackend(await initBackend()));
      let bar: ReturnType<typeof newProgressBar> | undefined;
      const spent = budgetSpent(base.budgetClock);
      const dir = await courseCheckpoint({
        mode: o.mode as CourseMode,
        recipe,
        spec,
        onStep: (r) =>
          budget === undefined
            ? (bar ??= newProgressBar(base.steps - r.step + 1, { label: "pretrain" })).tick(1, `loss ${r.loss.toFixed(3)} · ${Math.round(r.throughput)} tokens/s`)
            : (bar ??= newProgressBar(Math.round(budget * 60), { label: budgetLabel(base.budgetClock) })).tick(spent(r.seconds), `step ${r.step} · loss ${r.loss.toFixed(3)} · ${Math.round(r.throughput)} tokens/s`),
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
    .option("--steps <n>", "optimizer steps (with --minutes: an upper bound)", positiveInt("--steps"), 1000)
    .option("--minutes <m>", "wall-clock budget: stop when spent, learning rate tied to the fraction spent (Cramming); resumable", finiteNumber("--minutes"))
    .option("--budget-clock <clock>", "with --minutes: wall (wall-clock, the default) or cpu (this process's CPU time, every thread: unaffected by other jobs on the machine)", "wall")
    .option("--objective <name>", "mlm (masked LM) or electra (replaced-token detection; the discriminator is saved)", "mlm")
    .option("--clean", "read the dataset corpora through loadPretrainingCorpus: Gutenberg boilerplate, duplicates and every course task's validation/test sentences dropped")
    .option("--script <script>", "with --clean: Chinese text converted to simplified (OpenCC, the course tasks' script) or left original (the Gutenberg novels are Traditional)", "simplified")
    .option("--always-mask", "replace every chosen token by [MASK] (BabyBERTa) instead of 80/10/10")
    .option("--no-dropout", "pretrain without dropout (BabyBERTa, Cramming)")
    .option("--batch <n>", "sequences per step", positiveInt("--batch"), 32)
    .option("--seq <n>", "tokens per sequence", positiveInt("--seq"), 128)
    .option("--lr <rate>", "peak learning rate", finiteNumber("--lr"), 1e-3)
    .option("--seed <n>", "random seed", finiteNumber("--seed"), 0)
    .option("--causal", "train a causal (GPT-style) language model instead of a masked one")
    .option("--whole-word", "mask whole words")
    .option("--checkpoint-every <n>", "write a resumable checkpoint every n steps", positiveInt("--checkpoint-every"), 100)
    .option("--eval-every <n>", "held-out evaluation every n steps", positiveInt("--eval-every"), 100)
    .option("--resume", "continue from <out>/checkpoint")
    .action(async (o: { corpus: string[]; tokenizer: string; out: string; config: string; steps: number; minutes?: number; budgetClock: string; objective: string; clean?: boolean; script: string; alwaysMask?: boolean; dropout: boolean; batch: number; seq: number; lr: number; seed: number; causal?: boolean; wholeWord?: boolean; checkpointEvery: number; evalEvery: number; resume?: boolean }) => {
      if (!(o.config in BERT_PRESETS)) throw new Error(`--config ${o.config}: not one of ${Object.keys(BERT_PRESETS).join(", ")}`);
      if (o.minutes !== undefined && !(o.minutes > 0)) throw new Error(`--minutes ${o.minutes}: give a positive number of minutes`);
      if (o.objective !== "mlm" && o.objective !== "electra") throw new Error(`--objective ${o.objective}: use mlm or electra`);
      if (o.script !== "simplified" && o.script !== "original") throw new Error(`--script ${o.script}: use simplified or original`);
      if (o.script !== "simplified" && o.clean !== true) throw new Error("--script applies to the cleaned dataset corpus: add --clean");
      if (o.clean === true) {
        const files = o.corpus.filter((c) => !(TEXT_DATASETS as readonly string[]).includes(c));
        if (files.length > 0) throw new Error(`--clean reads datasets only; ${files.join(", ")} ${files.length === 1 ? "is not a dataset" : "are not datasets"} (${TEXT_DATASETS.join(", ")})`);
      }
      console.error(describeBackend(await initBackend()));
      const tokenizer = loadTokenizer(o.tokenizer);
      let texts: string[] = [];
      if (o.clean === true) texts = (await loadPretrainingCorpus(o.corpus, { script: o.script })).documents.map((d) => d.text);
      else for (const corpus of o.corpus) texts = texts.concat(await corpusLines(corpus)); // not push(...): 10⁵ arguments overflow the stack
      const config = bertConfig(o.config as BertPreset, { vocabSize: tokenizer.vocabSize, causal: o.causal === true, maxPositions: Math.max(o.seq + 1, 128) });
      const bar = o.minutes === undefined ? newProgressBar(o.steps, { label: "pretrain" }) : newProgressBar(Math.round(o.minutes * 60), { label: budgetLabel(o.budgetClock) });
      const spent = budgetSpent(o.budgetClock);
      const result = pretrain(config, tokenizer, texts, {
        steps: o.steps,
        budgetMinutes: o.minutes,
        budgetClock: o.budgetClock as "wall" | "cpu",
        objective: o.objective,
        replacement: o.alwaysMask === true ? "mask" : "bert",
        dropout: o.dropout,
        batchSize: o.batch,
        seqLength: o.seq,
        lr: o.lr,
        seed: o.seed,
        wholeWord: o.wholeWord === true,
        outDir: o.out,
        resume: o.resume === true,
        checkpointEvery: o.checkpointEvery,
        evalEvery: o.evalEvery,
        onStep: (r) => bar.tick(o.minutes === undefined ? 1 : spent(r.seconds), `${o.minutes === undefined ? "" : `step ${r.step} · `}loss ${r.loss.toFixed(3)} · ${Math.round(r.throughput)} tokens/s`),
        onEval: (step, m) => console.error(`eval @${step}: ${Object.entries(m).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(" · ")}`),
      });
      const last = result.evaluations.at(-1);
      console.log(JSON.stringify({ out: o.out, steps: result.history.at(-1)?.step ?? 0, trainSeconds: result.elapsedSeconds, resumedFrom: result.resumedFrom, corpusTokens: result.corpusTokens, final: last?.metrics ?? null }));
      result.model.dispose();
    });
}
