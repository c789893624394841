/**
 * The intent bot's decision, shared by `course chat` (tfjs in Node) and the `course serve` page (transformers.js in
 * the browser): class probabilities in, a reply out.
 *   1. confidence = max of `softmax(log p / T)` — temperature scaling (Guo et al. 2017) applied to probabilities:
 *      `log p = z − logsumexp(z)` differs from the logits `z` by a constant per row, so `softmax(log p / T)` equals
 *      `softmax(z / T)`; the browser pipeline gives probabilities, not logits;
 *   2. confidence ≥ threshold → the top intent's answer template;
 *   3. otherwise the **out-of-scope fallback**: the bot says it did not understand and offers the closest intents.
 * The threshold and temperature come from validation (`bot.json`, written by `course bot-train`).
 * No Node or tfjs imports: `course serve` bundles this file for the page.
 */
import { INTENT_TEMPLATES, type IntentTemplate } from "./intent-templates";

/** What the bot needs besides the model (the contents of `bot.json`). */
export interface IntentBotConfig {
  /** The classifier's labels, by class id. */
  labels: string[];
  /** Temperature fitted on validation (1 = plain softmax). */
  temperature: number;
  /** Answer when the (temperature-scaled) top probability reaches this; else fall back. */
  threshold: number;
  /** Intents offered in a fallback and listed beside a reply (default 3). */
  topK?: number;
}

/** An intent and its (temperature-scaled) probability. */
export interface RankedIntent {
  intent: string;
  title: string;
  probability: number;
}

/** The bot's reply to one message. */
export interface BotReply {
  kind: "answer" | "fallback";
  text: string;
  /** The top intent and its probability (also on a fallback). */
  intent: string;
  confidence: number;
  /** The `topK` most probable intents, most probable first. */
  top: RankedIntent[];
}

/** `softmax(log p / T)`: temperature scaling from probabilities (see the file comment). Zeros stay zero. */
export function scaleProbabilities(probabilities: readonly number[], temperature: number): number[] {
  if (!(temperature > 0)) throw new Error(`scaleProbabilities: temperature must be > 0, got ${temperature}`);
  const logs = probabilities.map((p) => (p > 0 ? Math.log(p) / temperature : -Infinity));
  const max = Math.max(...logs);
  if (!Number.isFinite(max)) throw new Error("scaleProbabilities: every probability is 0 (or the row is empty)");
  const e = logs.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The template for `intent`, or a neutral one naming it (a label without a template). */
function templateOf(intent: string): IntentTemplate {
  return INTENT_TEMPLATES[intent] ?? { title: intent.replace(/_/g, " "), answer: `(no answer written yet for "${intent}")` };
}

/**
 * The reply to a message whose class probabilities are `probabilities` (see the file comment).
 * @param probabilities one probability per label, in `config.labels` order
 * @throws when the row's length differs from the labels'
 */
export function botReply(probabilities: readonly number[], config: IntentBotConfig): BotReply {
  const { labels, temperature, threshold, topK = 3 } = config;
  if (probabilities.length !== labels.length) throw new Error(`botReply: ${probabilities.length} probabilities for ${labels.length} labels`);
  const scaled = scaleProbabilities(probabilities, temperature);
  const top = scaled
    .map((probability, k) => ({ intent: labels[k] as string, title: templateOf(labels[k] as string).title, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, topK);
  const best = top[0] as RankedIntent;
  if (best.probability >= threshold) return { kind: "answer", text: templateOf(best.intent).answer, intent: best.intent, confidence: best.probability, top };
  const offers = top.map((t) => t.title);
  const list = offers.length > 1 ? `${offers.slice(0, -1).join("; ")}; or ${offers[offers.length - 1]}` : (offers[0] as string);
  return { kind: "fallback", text: `Sorry, I did not understand that. Is your question about ${list}?`, intent: best.intent, confidence: best.probability, top };
}

/** `bot.json`, checked: names the file and the field that is wrong. */
export function parseBotConfig(text: string, file = "bot.json"): IntentBotConfig {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: invalid JSON (${(error as Error).message}); rewrite it with course bot-train`);
  }
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o["labels"]) || !o["labels"].every((l) => typeof l === "string") || o["labels"].length < 2) throw new Error(`${file}: "labels" must be an array of at least 2 intent names`);
  for (const key of ["temperature", "threshold"]) if (typeof o[key] !== "number" || !Number.isFinite(o[key] as number)) throw new Error(`${file}: "${key}" must be a finite number`);
  if (!((o["temperature"] as number) > 0)) throw new Error(`${file}: "temperature" must be > 0`);
  return { labels: o["labels"] as string[], temperature: o["temperature"] as number, threshold: o["threshold"] as number, ...(typeof o["topK"] === "number" ? { topK: o["topK"] } : {}) };
}
