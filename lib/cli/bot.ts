/**
 * The intent bot's commands:
 * - `course bot-train --from DIR|course --out DIR`: fine-tune on the clean BANKING77-OOS split, evaluate OOS detection
 *   on the clean and published splits (BERT and TF-IDF), write the bot folder (lib/apps/bot-train.ts);
 * - `course chat --model DIR`: a terminal conversation (reads stdin line by line, so it is scriptable);
 * - `course serve --model DIR [--port N]`: a page on 127.0.0.1 where the int8 ONNX model runs in the browser.
 */
import type { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { initBackend, describeBackend } from "../core";
import { botReply, parseBotConfig, type BotReply, type IntentBotConfig } from "../apps/intent-bot";
import { trainIntentBot } from "../apps/bot-train";
import { startBotServer } from "../apps/bot-server";
import { loadTaskCheckpoint } from "../tasks/checkpoint";
import { encodeTexts } from "../tasks/run";
import { predictSequence } from "../tasks/predict";
import { loadTokenizer } from "../text/hf-files";
import { formatEstimate } from "../eval/bootstrap";
import { finiteNumber, positiveInt } from "./args";

/** The bot folder's `bot.json`, or an error naming the way out. */
export function readBotConfig(dir: string): IntentBotConfig {
  const file = join(dir, "bot.json");
  if (!existsSync(file)) throw new Error(`${file} is missing: --model takes a folder written by course bot-train`);
  return parseBotConfig(readFileSync(file, "utf8"), file);
}

/** A reply as the terminal shows it: the answer, then the top intents with probabilities. */
export function formatReply(reply: BotReply): string {
  const top = reply.top.map((t) => `${t.intent} ${(t.probability * 100).toFixed(1)}%`).join(" · ");
  return `bot: ${reply.text}\n     [${reply.kind === "answer" ? "answered" : "fallback"}; top intents: ${top}]`;
}

/** Registers `bot-train`, `chat` and `serve`. */
export function registerBot(program: Command): void {
  program
    .command("bot-train")
    .description("fine-tune the intent bot on BANKING77-OOS (clean split), evaluate its out-of-scope fallback, write the bot folder")
    .requiredOption("--from <dir|course>", "checkpoint folder, or course / course:quick / course:full")
    .option("--out <dir>", "bot folder to write: checkpoint, bot.json, oos-report.json, web/ (transformers.js, int8)")
    .option("--epochs <n>", "passes over the training set (default: the banking77 task's, 6)", positiveInt("--epochs"))
    .option("--batch <n>", "examples per step", positiveInt("--batch"))
    .option("--lr <rate>", "peak learning rate", finiteNumber("--lr"))
    .option("--max-length <n>", "longest encoding in tokens", positiveInt("--max-length"))
    .option("--train-limit <n>", "fine-tune on a seeded subset of n in-scope examples", positiveInt("--train-limit"))
    .option("--seed <n>", "seed", finiteNumber("--seed"), 0)
    .action(async (o: { from: string; out?: string; epochs?: number; batch?: number; lr?: number; maxLength?: number; trainLimit?: number; seed: number }) => {
      console.error(describeBackend(await initBackend()));
      const run = await trainIntentBot({ from: o.from, outDir: o.out, epochs: o.epochs, batchSize: o.batch, lr: o.lr, maxLength: o.maxLength, trainLimit: o.trainLimit, seed: o.seed, onEval: (e, _s, m) => console.error(`epoch ${e} validation: accuracy ${(m["accuracy"] ?? NaN).toFixed(4)}`) });
      run.model.dispose();
      const { model: _m, tokenizer: _t, ...report } = run;
      const rows = Object.entries(report.reports).flatMap(([split, r]) => Object.entries(r).map(([name, x]) => `${split.padEnd(9)} ${name.padEnd(17)} in-scope acc ${formatEstimate(x.intervals.inScopeAccuracy)} · AUROC ${formatEstimate(x.intervals.auroc)} (ID ${x.aurocIdOos.toFixed(3)}, OOD ${x.aurocOodOos.toFixed(3)}) · OOS recall@${report.config.target * 100}%P ${formatEstimate(x.intervals.oosRecall)} (test precision ${x.testPrecision.toFixed(3)})`));
      console.log(rows.join("\n"));
      console.log(JSON.stringify({ from: report.from, config: report.config, temperature: report.temperature, bot: { temperature: report.bot.temperature, threshold: report.bot.threshold }, wallSeconds: report.wallSeconds, out: o.out ?? null }));
    });

  program
    .command("chat")
    .description("talk to the intent bot in the terminal (one message per line; empty line or Ctrl-D ends)")
    .requiredOption("--model <dir>", "a bot folder from course bot-train")
    .action(async (o: { model: string }) => {
      const config = readBotConfig(o.model);
      await initBackend();
      const { model } = loadTaskCheckpoint(o.model);
      const tokenizer = loadTokenizer(o.model);
      const padId = tokenizer.tokenToId(tokenizer.padToken) as number;
      const interactive = process.stdin.isTTY === true;
      const lines = createInterface({ input: process.stdin, terminal: interactive });
      try {
        if (interactive) process.stdout.write("Ask me about your card, payments, transfers or top-ups (empty line to quit).\nyou: ");
        for await (const line of lines) {
          const text = line.trim();
          if (text === "") break;
          const [probs] = predictSequence(model, encodeTexts(tokenizer, [{ text, label: 0 }], model.bert.config.maxPositions), padId);
          process.stdout.write(`${formatReply(botReply(probs as number[], config))}\n${interactive ? "you: " : ""}`);
        }
      } finally {
        lines.close();
        model.dispose();
      }
    });
}

/** Registers `serve`. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the intent bot page on 127.0.0.1: the int8 ONNX model runs in the browser (transformers.js)")
    .requiredOption("--model <dir>", "a bot folder from course bot-train")
    .option("--port <n>", "port (default 8077; 0 picks a free one)", (v: string) => (v === "0" ? 0 : positiveInt("--port")(v)), 8077)
    .action(async (o: { model: string; port: number }) => {
      const server = await startBotServer(o.model, { port: o.port });
      console.log(`intent bot: ${server.url} (127.0.0.1 only; Ctrl-C stops)`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
