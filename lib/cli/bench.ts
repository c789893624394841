import type { Command } from "commander";
import { initBackend, describeBackend } from "../core";
import { Rng } from "../core/rng";
import { BertModel, bertConfig, BERT_PRESETS, type BertPreset } from "../model";
import { mlmTask } from "../pretrain";
import { BertTokenizer } from "../text";
import { train } from "../train";
import { positiveInt } from "./args";

/**
 * `course bench train`: MLM training throughput of a preset on random tokens (the work per step does not
 * depend on the text). Last line: `tokens/s: <number>` (steady state: the first `--warmup` steps excluded).
 */
export function registerBench(program: Command): void {
  const bench = program.command("bench").description("measure training and inference speed");
  bench
    .command("train")
    .description("MLM training throughput (tokens/s) of a BERT preset")
    .option("--config <preset>", `model size: ${Object.keys(BERT_PRESETS).join(", ")}`, "mini")
    .option("--seq <n>", "tokens per sequence", positiveInt("--seq"), 128)
    .option("--batch <n>", "sequences per step", positiveInt("--batch"), 32)
    .option("--steps <n>", "measured steps", positiveInt("--steps"), 5)
    .option("--warmup <n>", "unmeasured first steps", positiveInt("--warmup"), 2)
    .option("--vocab <n>", "vocabulary size (BERT's 30522 by default)", positiveInt("--vocab"), 30522)
    .option("--micro-batch <n>", "sequences per forward/backward pass; the step accumulates batch/micro-batch of them (wasm's 32-bit heap holds mini's tape for about 16 × 128 tokens)", positiveInt("--micro-batch"), 16)
    .action(async (o: { config: string; seq: number; batch: number; steps: number; warmup: number; vocab: number; microBatch: number }) => {
      if (o.batch % o.microBatch !== 0) throw new Error(`--batch ${o.batch} is not a multiple of --micro-batch ${o.microBatch}`);
      if (!(o.config in BERT_PRESETS)) throw new Error(`--config ${o.config}: not one of ${Object.keys(BERT_PRESETS).join(", ")}`);
      const report = await initBackend();
      console.error(describeBackend(report));
      const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ...Array.from({ length: o.vocab - 5 }, (_, i) => `t${i}`)];
      const tokenizer = new BertTokenizer(vocab);
      const config = bertConfig(o.config as BertPreset, { vocabSize: o.vocab, maxPositions: Math.max(512, o.seq) });
      const rng = new Rng(0);
      const stream = Int32Array.from({ length: 200_000 }, () => 5 + rng.int(o.vocab - 5));
      const model = BertModel.init(config, rng);
      const task = mlmTask(model, tokenizer, { train: stream, heldOut: new Int32Array(0) }, { batchSize: o.microBatch, seqLength: o.seq });
      const seconds: number[] = [];
      train(task, {
        steps: o.warmup + o.steps,
        lr: 1e-4,
        accumulation: o.batch / o.microBatch,
        onStep: (r) => {
          console.error(`step ${r.step}: ${r.seconds.toFixed(2)} s, ${Math.round(r.throughput)} tokens/s, loss ${r.loss.toFixed(3)}`);
          if (r.step > o.warmup) seconds.push(r.seconds);
        },
      });
      const tokensPerSecond = (o.steps * o.batch * o.seq) / seconds.reduce((a, b) => a + b, 0);
      console.log(JSON.stringify({ config: o.config, seq: o.seq, batch: o.batch, microBatch: o.microBatch, vocab: o.vocab, params: model.numParams(), backend: report.backend, threads: report.threads, steps: o.steps, secondsPerStep: seconds }));
      console.log(`tokens/s: ${tokensPerSecond.toFixed(1)}`);
      task.dispose();
      model.dispose();
    });
}
