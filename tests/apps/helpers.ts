// A tiny bot folder for the chat and browser tests: a random BERT (the export tests' ten-odd-word vocabulary) with
// five real intents, saved as `course bot-train` saves one (checkpoint, web/ with the int8 ONNX export, bot.json).
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportBertOnnx } from "../../lib/export";
import { saveTaskCheckpoint } from "../../lib/tasks/checkpoint";
import { saveTokenizer } from "../../lib/text";
import type { IntentBotConfig } from "../../lib/apps/intent-bot";
import { randomTaskModel, tinyTokenizer } from "../export/helpers";

export const BOT_LABELS = ["card_arrival", "change_pin", "top_up_failed", "exchange_via_app", "request_refund"];

/** Writes the folder; `config` fills bot.json (labels default to {@link BOT_LABELS}). Returns it and a cleanup. */
export function tinyBotFolder(config: Partial<IntentBotConfig> = {}): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "llm-course-bot-"));
  const dir = join(root, "bot");
  const tok = join(root, "tokenizer");
  saveTokenizer(tinyTokenizer(), tok);
  const model = randomTaskModel("sequence", BOT_LABELS.length, 11);
  try {
    const w = model.head.get("classifier.weight") as tf.Variable;
    tf.tidy(() => w.assign(w.mul(3))); // a random head is near uniform: sharpen it a little (confidences ≈ 0.58)
    saveTaskCheckpoint(dir, model, { labels: BOT_LABELS, tokenizerDir: tok });
    exportBertOnnx(model, join(dir, "web"), { labels: BOT_LABELS, tokenizerDir: dir, quantize: "int8" });
  } finally {
    model.dispose();
  }
  writeFileSync(join(dir, "bot.json"), JSON.stringify({ labels: BOT_LABELS, temperature: 1, threshold: 0.5, topK: 3, ...config }));
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
