/**
 * The static server behind `course serve`: 127.0.0.1 only, GET only, a fixed set of files —
 *   /                          the page (bot-page.ts)
 *   /bot.js                    intent-bot.ts bundled by esbuild (IIFE, global `IntentBot`)
 *   /bot.json                  the bot folder's thresholds and labels
 *   /vendor/transformers.min.js, /vendor/wasm/*.wasm   from the installed @xenova/transformers' dist/
 *   /models/bot/…              the bot folder's `web/` (transformers.js layout: config, tokenizer, onnx/)
 * No route accepts data: the page classifies messages itself.
 */
import { buildSync } from "esbuild";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { botPageHtml } from "./bot-page";
import { parseBotConfig } from "./intent-bot";

const TYPES: Record<string, string> = { ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".onnx": "application/octet-stream", ".txt": "text/plain", ".html": "text/html; charset=utf-8" };

/** The installed transformers.js' browser bundle folder (`dist/`). */
export function transformersDistDir(): string {
  const main = require.resolve("@xenova/transformers"); // …/src/transformers.js
  const dist = join(dirname(main), "..", "dist");
  if (!existsSync(join(dist, "transformers.min.js"))) throw new Error(`${dist}/transformers.min.js is missing: reinstall @xenova/transformers (npm ci)`);
  return dist;
}

/** `intent-bot` bundled for the page (from the .ts source under tsx, the compiled .js otherwise). */
export function botBundle(): string {
  const ts = join(__dirname, "intent-bot.ts");
  const entry = existsSync(ts) ? ts : join(__dirname, "intent-bot.js");
  const out = buildSync({ entryPoints: [entry], bundle: true, format: "iife", globalName: "IntentBot", platform: "browser", write: false, target: "es2020", logLevel: "silent" });
  return (out.outputFiles[0] as { text: string }).text;
}

/** A running server: its URL and how to stop it. */
export interface BotServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the bot folder `dir` on 127.0.0.1 (see the file comment).
 * @param options port: 0 (default) picks a free one
 * @throws naming the file when `dir` lacks bot.json or web/onnx/model_quantized.onnx
 */
export async function startBotServer(dir: string, options: { port?: number } = {}): Promise<BotServer> {
  const { port = 0 } = options;
  const botJson = join(dir, "bot.json");
  if (!existsSync(botJson)) throw new Error(`${botJson} is missing: --model takes a folder written by course bot-train`);
  parseBotConfig(readFileSync(botJson, "utf8"), botJson);
  const web = resolve(dir, "web");
  if (!existsSync(join(web, "onnx", "model_quantized.onnx"))) throw new Error(`${web}/onnx/model_quantized.onnx is missing: rerun course bot-train (it exports the int8 model there)`);
  const dist = transformersDistDir();
  const page = botPageHtml();
  const bundle = botBundle();
  const file = (root: string, rel: string): string | undefined => {
    const full = normalize(join(root, rel));
    return full.startsWith(root + sep) && existsSync(full) && statSync(full).isFile() ? full : undefined; // no `..` escapes
  };
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const send = (type: string, body: string) => res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
    let target: string | undefined;
    if (path === "/") return send(TYPES[".html"] as string, page);
    if (path === "/bot.js") return send(TYPES[".js"] as string, bundle);
    if (path === "/bot.json") target = botJson;
    else if (path === "/vendor/transformers.min.js") target = join(dist, "transformers.min.js");
    else if (path.startsWith("/vendor/wasm/") && path.endsWith(".wasm")) target = file(dist, path.slice("/vendor/wasm/".length));
    else if (path.startsWith("/models/bot/")) target = file(web, path.slice("/models/bot/".length));
    if (target === undefined) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(target)] ?? "application/octet-stream", "Content-Length": statSync(target).size, "Cache-Control": "no-store" });
    if (req.method === "HEAD") res.end();
    else createReadStream(target).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}/`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
