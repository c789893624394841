/**
 * The page `course serve` shows: a chat box whose model runs **in the browser** — transformers.js (the dist bundle of
 * the installed `@xenova/transformers`, onnxruntime-web inside it, its wasm files served from node_modules) loads
 * `web/onnx/model_quantized.onnx` (int8) and the tokenizer from the server as static files; every message is
 * classified on the page and answered by `botReply` (intent-bot.ts, bundled to `/bot.js`). The page makes no request
 * after loading: nothing the user types leaves the browser.
 * `window.botState` exposes what tests read: `ready`, `firstReplyMs` (from navigation start), `replies`.
 */

/** The HTML of the bot page (static; the model and config are fetched from the same server). */
export function botPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Course Bank assistant (runs in your browser)</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  #log { border: 1px solid #ccc; border-radius: 6px; padding: 0.75rem; min-height: 14rem; max-height: 28rem; overflow-y: auto; }
  .msg { margin: 0.4rem 0; } .you { text-align: right; } .you span { background: #e8f0fe; }
  .msg span { display: inline-block; padding: 0.35rem 0.6rem; border-radius: 6px; background: #f1f3f4; max-width: 85%; text-align: left; }
  .fallback span { background: #fff4e5; }
  table { border-collapse: collapse; margin-top: 0.3rem; font-size: 0.85rem; } td { padding: 0.1rem 0.5rem; }
  form { display: flex; gap: 0.5rem; margin-top: 0.75rem; } #text { flex: 1; padding: 0.4rem; } #status { color: #666; font-size: 0.85rem; }
</style>
</head>
<body>
<h1>Course Bank assistant</h1>
<p id="status">Loading the model into this page…</p>
<div id="log" aria-live="polite"></div>
<form id="form"><input id="text" autocomplete="off" placeholder="Ask about cards, payments, transfers, top-ups…" autofocus><button id="send" type="submit">Send</button></form>
<p style="font-size:0.8rem;color:#666">The intent classifier (int8 ONNX) runs here with transformers.js and onnxruntime-web; messages are never sent to the server. Below the confidence threshold the bot says it did not understand and offers the closest intents.</p>
<script src="/bot.js"></script>
<script type="module">
import { pipeline, env } from "/vendor/transformers.min.js";
const state = (window.botState = { ready: false, firstReplyMs: null, replies: [], error: null });
env.allowRemoteModels = false; // never the Hugging Face Hub
env.allowLocalModels = true;
env.localModelPath = "/models/";
env.useBrowserCache = false;
env.backends.onnx.wasm.wasmPaths = "/vendor/wasm/"; // default: a CDN
env.backends.onnx.wasm.numThreads = 1; // threads need cross-origin isolation; one is enough for a tiny model
const status = document.getElementById("status");
const log = document.getElementById("log");
const queue = [];
let classify = null;
let config = null;
function add(cls, html) { const d = document.createElement("div"); d.className = "msg " + cls; d.innerHTML = html; log.appendChild(d); log.scrollTop = log.scrollHeight; return d; }
function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]); }
async function answer(text) {
  const out = await classify(text, { topk: config.labels.length });
  const byLabel = new Map(out.map((o) => [o.label, o.score]));
  const reply = IntentBot.botReply(config.labels.map((l) => byLabel.get(l) ?? 0), config);
  if (state.firstReplyMs === null) state.firstReplyMs = performance.now();
  state.replies.push({ text, reply });
  const rows = reply.top.map((t) => "<tr><td>" + esc(t.intent) + "</td><td>" + (t.probability * 100).toFixed(1) + "%</td></tr>").join("");
  add("bot " + reply.kind, "<span class='reply'>" + esc(reply.text) + "<table>" + rows + "</table></span>");
}
document.getElementById("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  input.value = "";
  if (text === "") return;
  add("you", "<span>" + esc(text) + "</span>");
  if (classify === null) queue.push(text); else answer(text).catch((e) => { state.error = String(e); status.textContent = "Error: " + e; });
});
try {
  config = await (await fetch("/bot.json")).json();
  classify = await pipeline("text-classification", "bot", { quantized: true });
  state.ready = true;
  status.textContent = "Ready: the model runs in this page (" + config.labels.length + " intents, threshold " + config.threshold.toFixed(3) + ").";
  while (queue.length > 0) await answer(queue.shift());
} catch (e) {
  state.error = String(e);
  status.textContent = "Could not load the model: " + e;
}
</script>
</body>
</html>
`;
}
