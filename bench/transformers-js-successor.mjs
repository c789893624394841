// transformers.js: the project's @xenova/transformers 2.17 against its successor @huggingface/transformers, on one
// transformers.js export folder (e.g. `course bot-train`'s web/): pipeline creation time, time per query, and the
// largest difference between their probabilities. The successor is not a dependency: install it aside first,
//   mkdir -p /tmp/hf && (cd /tmp/hf && npm install --ignore-scripts @huggingface/transformers)
//   node bench/transformers-js-successor.mjs out/bot/web /tmp/hf
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [dirArg, hfRoot] = process.argv.slice(2);
if (!dirArg || !hfRoot) throw new Error("usage: node bench/transformers-js-successor.mjs EXPORT_DIR HF_INSTALL_DIR");
const dir = resolve(dirArg);
const parent = dir.replace(/[^/]+$/, "");
const name = dir.split("/").pop();
const texts = ["where is my card?", "i was charged twice", "what's the weather tomorrow?"];

async function run(mod, options) {
  mod.env.allowRemoteModels = false;
  mod.env.allowLocalModels = true;
  mod.env.localModelPath = parent;
  const t0 = performance.now();
  const classify = await mod.pipeline("text-classification", name, options);
  const load = performance.now() - t0;
  const t1 = performance.now();
  const out = [];
  for (const t of texts) out.push(await classify(t, { topk: 1000, top_k: 1000 })); // 2.x reads topk, 3+ top_k
  return { version: mod.env.version, loadMs: Math.round(load), msPerQuery: (performance.now() - t1) / texts.length, out };
}

const ours = await run(await import("@xenova/transformers"), { quantized: true });
const successor = await run(await import(pathToFileURL(resolve(hfRoot, "node_modules/@huggingface/transformers/dist/transformers.node.mjs")).href), { dtype: "q8" });
let diff = 0;
ours.out.forEach((row, i) => row.forEach((x) => (diff = Math.max(diff, Math.abs(x.score - successor.out[i].find((y) => y.label === x.label).score)))));
console.log(JSON.stringify({ xenova: { version: ours.version, loadMs: ours.loadMs, msPerQuery: ours.msPerQuery }, huggingface: { version: successor.version, loadMs: successor.loadMs, msPerQuery: successor.msPerQuery }, maxAbsProbabilityDiff: diff }));
console.log(`time per query, successor / ours: ${(successor.msPerQuery / ours.msPerQuery).toFixed(2)}`);
