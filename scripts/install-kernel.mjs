#!/usr/bin/env node
// Registers the `tslab` Jupyter kernel with this project's own tslab binary (a bare `tslab` is not on PATH).
// Usage: node scripts/install-kernel.mjs [--prefix DIR]   (default: the per-user kernel registry)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const binary = resolve("node_modules/.bin/tslab");
if (!existsSync(binary)) {
  console.error(`${binary} is missing: run \`npm ci\` in the repository root first`);
  process.exit(1);
}
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const args = ["install", `--binary=${binary}`, `--python=${python}`, ...process.argv.slice(2)];
const result = spawnSync(binary, args, { stdio: "inherit" });
if (result.status !== 0) {
  console.error(`tslab install failed (exit ${result.status}); Jupyter must be installed for ${python} (e.g. apt-get install jupyter-notebook)`);
  process.exit(result.status ?? 1);
}
