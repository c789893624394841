/** `course chat` reads messages from stdin (scriptable) and answers as `botReply` does on the checkpoint's probabilities. */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { botReply, type IntentBotConfig } from "../../lib/apps/intent-bot";
import { formatReply } from "../../lib/cli/bot";
import { loadTaskCheckpoint } from "../../lib/tasks/checkpoint";
import { predictSequence } from "../../lib/tasks/predict";
import { encodeTexts } from "../../lib/tasks/run";
import { loadTokenizer } from "../../lib/text";
import { BOT_LABELS, tinyBotFolder } from "../apps/helpers";
import { initBackend } from "../../lib/core";

before(async () => {
  await initBackend();
});

const ROOT = join(__dirname, "..", "..");
const course = (args: string[], input: string) => spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), ...args], { input, env: { ...process.env, COURSE_BACKEND: "wasm" }, encoding: "utf8" });

test("course chat answers each stdin line with the template or the fallback, top intents listed", () => {
  const questions = ["the film was good", "paris is in france"];
  const config: IntentBotConfig = { labels: BOT_LABELS, temperature: 0.5, threshold: 0, topK: 3 };
  const bot = tinyBotFolder();
  try {
    const { model } = loadTaskCheckpoint(bot.dir);
    const tokenizer = loadTokenizer(bot.dir);
    const probs = predictSequence(model, encodeTexts(tokenizer, questions.map((text) => ({ text, label: 0 })), 32), 0);
    model.dispose();
    const conf = probs.map((p) => botReply(p, config).confidence);
    config.threshold = ((conf[0] as number) + (conf[1] as number)) / 2; // one answered, one not
    const bot2 = tinyBotFolder(config);
    try {
      const r = course(["chat", "--model", bot2.dir], questions.join("\n") + "\n\nnever read\n");
      assert.equal(r.status, 0, r.stderr);
      const expected = probs.map((p) => formatReply(botReply(p, config))).join("\n") + "\n";
      assert.equal(r.stdout, expected);
      assert.match(r.stdout, /Sorry, I did not understand that\. Is your question about/);
      assert.match(r.stdout, /\[answered; top intents: /);
    } finally {
      bot2.cleanup();
    }
  } finally {
    bot.cleanup();
  }
});

test("course chat and serve name bot.json when --model is not a bot folder", () => {
  for (const cmd of ["chat", "serve"]) {
    const r = course([cmd, "--model", ROOT], "");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bot\.json is missing: --model takes a folder written by course bot-train/);
  }
});
