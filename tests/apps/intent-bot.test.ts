import { test } from "node:test";
import assert from "node:assert/strict";
import { botReply, parseBotConfig, scaleProbabilities } from "../../lib/apps/intent-bot";
import { INTENT_TEMPLATES, intentTemplate } from "../../lib/apps/intent-templates";
import { BANKING77_OOS_HELD_OUT, BANKING77_OOS_IN_SCOPE } from "../../lib/data/banking77-oos";
import { applyTemperature } from "../../lib/eval/temperature";

const softmax = (z: number[]) => applyTemperature([z], 1)[0] as number[];

test("scaleProbabilities(softmax(z), T) = softmax(z / T): temperature scaling from probabilities (1e-12)", () => {
  const z = [3, 1, -2, 0.5];
  for (const t of [0.5, 1, 2.5]) {
    const ours = scaleProbabilities(softmax(z), t);
    const direct = applyTemperature([z], t)[0] as number[];
    ours.forEach((p, k) => assert.ok(Math.abs(p - (direct[k] as number)) < 1e-12));
  }
  assert.deepEqual(scaleProbabilities([0, 1], 2), [0, 1]); // a zero stays zero
});

test("botReply answers from the template above the threshold and falls back below it, offering the top intents", () => {
  const config = { labels: ["card_arrival", "change_pin", "top_up_failed"], temperature: 1, threshold: 0.6 };
  const sure = botReply([0.8, 0.15, 0.05], config);
  assert.equal(sure.kind, "answer");
  assert.equal(sure.intent, "card_arrival");
  assert.equal(sure.text, intentTemplate("card_arrival").answer);
  assert.deepEqual(sure.top.map((t) => t.intent), ["card_arrival", "change_pin", "top_up_failed"]);
  const unsure = botReply([0.4, 0.35, 0.25], config);
  assert.equal(unsure.kind, "fallback");
  assert.equal(unsure.text, "Sorry, I did not understand that. Is your question about a card that has not arrived; changing your PIN; or a failed top-up?");
  // A temperature above 1 flattens: the same row falls back at T = 3.
  assert.equal(botReply([0.8, 0.15, 0.05], { ...config, temperature: 3 }).kind, "fallback");
  assert.throws(() => botReply([0.5, 0.5], config), /2 probabilities for 3 labels/);
});

test("every Banking77 intent (50 in scope + 27 held out) has a template with a title and an answer", () => {
  const all = [...BANKING77_OOS_IN_SCOPE, ...BANKING77_OOS_HELD_OUT];
  assert.equal(new Set(all).size, 77);
  assert.deepEqual(Object.keys(INTENT_TEMPLATES).sort(), [...all].sort());
  for (const t of Object.values(INTENT_TEMPLATES)) assert.ok(t.title.length > 3 && t.answer.length > 20);
  assert.throws(() => intentTemplate("weather"), /no answer template for intent "weather"/);
});

test("parseBotConfig names the file and the bad field", () => {
  assert.deepEqual(parseBotConfig('{"labels":["a","b"],"temperature":1.5,"threshold":0.4}'), { labels: ["a", "b"], temperature: 1.5, threshold: 0.4 });
  assert.throws(() => parseBotConfig("{", "x/bot.json"), /x\/bot\.json: invalid JSON/);
  assert.throws(() => parseBotConfig('{"labels":["a","b"],"temperature":0,"threshold":0.4}', "b.json"), /b\.json: "temperature" must be > 0/);
  assert.throws(() => parseBotConfig('{"labels":["a"],"temperature":1,"threshold":0.4}'), /"labels" must be an array of at least 2/);
});
