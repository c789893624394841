#!/usr/bin/env node
/**
 * Starts the course kernel: `course-kernel -f <connection file>` (what the kernelspec's launcher runs).
 * The checkout it belongs to is printed on stderr and shown in the kernel's banner.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { KernelServer, type ConnectionFile } from "./server";

function connectionFileArg(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-f" || arg === "--connection-file") return argv[i + 1];
    if (arg.startsWith("--connection-file=")) return arg.slice("--connection-file=".length);
  }
  return undefined;
}

const file = connectionFileArg(process.argv.slice(2));
if (!file) {
  process.stderr.write("usage: course-kernel -f <connection file>  (Jupyter passes {connection_file}; see the README, \"The course kernel\")\n");
  process.exit(2);
}
let connection: ConnectionFile;
try {
  connection = JSON.parse(readFileSync(file, "utf8")) as ConnectionFile;
} catch (error) {
  process.stderr.write(`course kernel: cannot read the connection file ${file}: ${(error as Error).message}\n`);
  process.exit(2);
}
// Library frames in tracebacks point at lib/*.ts (lib/dist ships source maps).
process.setSourceMapsEnabled(true);
const checkout = resolve(__dirname, "..", "..");
process.stderr.write(`course kernel: checkout ${checkout}, working directory ${process.cwd()}\n`);
new KernelServer(connection, checkout).start().catch((error: unknown) => {
  process.stderr.write(`course kernel: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
