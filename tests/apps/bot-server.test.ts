/// <reference lib="dom" />
/**
 * `course serve`'s page end to end in Debian's headless Chromium: the int8 ONNX model runs in the page with the
 * installed transformers.js' browser bundle and onnxruntime-web's wasm (served from node_modules, nothing from a
 * CDN); typed questions get the reply `botReply` gives for transformers.js-in-Node's probabilities of the same model,
 * the fallback included; the page sends nothing but static GETs. Prints the first reply's time after navigation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { botReply, type BotReply, type IntentBotConfig } from "../../lib/apps/intent-bot";
import { startBotServer } from "../../lib/apps/bot-server";
import { transformersJsLocation } from "../../lib/export";
import { CHROMIUM, launchChromium } from "../browser/helpers";
import { BOT_LABELS, tinyBotFolder } from "./helpers";

const QUESTIONS = ["the film was good", "paris is in france", "maria lives in oslo", "a great warm film"];

/** Each question's probabilities in label order, by transformers.js in Node on the same int8 model. */
async function nodeProbabilities(webDir: string, labels: readonly string[]): Promise<number[][]> {
  const transformers = await import("@xenova/transformers");
  const { parent, name } = transformersJsLocation(webDir);
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = parent;
  const classify = await transformers.pipeline("text-classification", name, { quantized: true });
  const rows: number[][] = [];
  for (const q of QUESTIONS) {
    const out = (await classify(q, { topk: labels.length })) as unknown as { label: string; score: number }[]; // untyped upstream
    rows.push(labels.map((l) => out.find((o) => o.label === l)?.score ?? NaN));
  }
  return rows;
}

test("the page answers in the browser as botReply does on Node's probabilities, falls back below the threshold, and sends nothing", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install chromium` }, async (t) => {
  const bot = tinyBotFolder();
  try {
    const probs = await nodeProbabilities(join(bot.dir, "web"), BOT_LABELS);
    const config: IntentBotConfig = { labels: BOT_LABELS, temperature: 0.5, threshold: 0, topK: 3 };
    const scaled = probs.map((p) => botReply(p, config).confidence).sort((a, b) => a - b);
    assert.ok((scaled[2] as number) - (scaled[1] as number) > 2e-4, `the random model's confidences are too close to split: ${scaled}`);
    config.threshold = ((scaled[1] as number) + (scaled[2] as number)) / 2; // two questions above, two below
    writeFileSync(join(bot.dir, "bot.json"), JSON.stringify(config));
    const expected = probs.map((p) => botReply(p, config));
    assert.deepEqual(expected.map((r) => r.kind).sort(), ["answer", "answer", "fallback", "fallback"]);

    const server = await startBotServer(bot.dir);
    const browser = await launchChromium();
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (r) => requests.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
      const failed: string[] = [];
      page.on("response", (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(server.url, { waitUntil: "domcontentloaded" });
      for (const q of QUESTIONS) {
        await page.fill("#text", q); // typed at once: the page queues them until the model is ready
        await page.press("#text", "Enter");
      }
      await page.waitForFunction((n) => (window as unknown as { botState: { replies: unknown[]; error: string | null } }).botState.replies.length >= n || (window as unknown as { botState: { error: string | null } }).botState.error !== null, QUESTIONS.length, { timeout: 120_000 });
      const state = (await page.evaluate(() => (window as unknown as { botState: unknown }).botState)) as { error: string | null; firstReplyMs: number; replies: { text: string; reply: BotReply }[] };
      assert.equal(state.error, null);
      state.replies.forEach(({ text, reply }, i) => {
        const want = expected[i] as BotReply;
        assert.equal(text, QUESTIONS[i]);
        assert.equal(reply.kind, want.kind, text);
        assert.equal(reply.text, want.text, text);
        assert.deepEqual(reply.top.map((x) => x.intent), want.top.map((x) => x.intent), text);
        reply.top.forEach((x, k) => assert.ok(Math.abs(x.probability - (want.top[k] as { probability: number }).probability) < 2e-5, `${text}: ${x.probability} in the browser`));
      });
      const shown = await page.locator("#log .bot").allInnerTexts();
      assert.equal(shown.length, QUESTIONS.length);
      assert.equal(await page.locator("#log .fallback").count(), 2);
      assert.ok(shown.some((s) => s.startsWith("Sorry, I did not understand that.")));
      // Nothing but static GETs; no request carries a question; nothing from outside 127.0.0.1.
      for (const r of requests) {
        assert.ok(r.startsWith(`GET ${server.url}`), r);
        for (const q of QUESTIONS) assert.ok(!r.includes(encodeURIComponent(q)) && !r.includes(q), r);
      }
      assert.ok(requests.some((r) => r.includes("/models/bot/onnx/model_quantized.onnx")), "the int8 model was loaded");
      assert.ok(requests.some((r) => /\/vendor\/wasm\/ort-wasm[\w-]*\.wasm/.test(r)), "onnxruntime-web's wasm came from node_modules");
      assert.deepEqual(failed, []);
      t.diagnostic(`first reply ${state.firstReplyMs.toFixed(0)} ms after navigation start (questions typed at DOMContentLoaded; shared machine)`);
      const post = await fetch(server.url, { method: "POST", body: "x" });
      assert.equal(post.status, 405);
      assert.equal((await fetch(`${server.url}models/bot/..%2F..%2Fbot.json`)).status, 404);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    bot.cleanup();
  }
});
