/**
 * Starts the course kernel: `node kernel/dist/main.js -f <connection file>` (what the kernelspec's launcher runs).
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

// An error nobody catches (a timer callback of an earlier cell; tslab's TypeScript watcher, which throws
// "Unexpected pending rebuildTimer" when a watched folder changes) must not kill the kernel and its
// variables: it is reported on stderr, which reaches the notebook once a cell has run (as in tslab).
const report = (what: string) => (reason: unknown): void => {
  process.stderr.write(`${what} (outside a running cell): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
};
process.on("uncaughtException", report("uncaught exception"));
process.on("unhandledRejection", report("unhandled promise rejection"));

// Exit with the Jupyter process that started us (it names itself in JPY_PARENT_PID), as ipykernel does:
// a kernel orphaned by a crashed client would otherwise hold its ports and memory forever.
const parent = Number(process.env["JPY_PARENT_PID"] ?? 0);
if (parent > 1) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}

const file = connectionFileArg(process.argv.slice(2));
if (!file) {
  process.stderr.write("usage: node kernel/dist/main.js -f <connection file>  (Jupyter passes {connection_file}; see the README, \"The course kernel\")\n");
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
