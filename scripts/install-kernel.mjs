#!/usr/bin/env node
// Registers the course's Jupyter kernel, `course-ts` ("TypeScript (course)"), and only that kernel.
// Usage: node scripts/install-kernel.mjs [--user | --prefix=DIR | --sys-prefix | --system]
//   --user (the default, also as root): the per-user registry (~/.local/share/jupyter/kernels/course-ts)
//   --prefix=DIR: DIR/share/jupyter/kernels/course-ts (tests, a virtual environment)
//   --sys-prefix: Python's sys.prefix; --system: the system-wide registry (only when asked)
// The kernelspec runs `launch.cjs` (copied beside kernel.json), which starts the kernel of the checkout the
// notebook lives in (found from the kernel's working directory), else of this checkout, and says which.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const NAME = "course-ts";
const checkout = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(checkout, "kernel", "dist", "main.js");
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

const args = process.argv.slice(2);
/** Keyword arguments of jupyter_client's `KernelSpecManager.install_kernel_spec`, as Python source. */
let where = "user=True";
for (const arg of args) {
  if (arg === "--user") where = "user=True";
  else if (arg === "--sys-prefix") where = "prefix=sys.prefix";
  else if (arg === "--system") where = "user=False";
  else if (arg.startsWith("--prefix=")) where = `prefix=${JSON.stringify(resolve(arg.slice("--prefix=".length)))}`;
  else if (arg === "--prefix") {
    console.error("install-kernel: write --prefix=DIR (with '=')");
    process.exit(2);
  } else {
    console.error(`install-kernel: unknown option ${arg}\nusage: node scripts/install-kernel.mjs [--user | --prefix=DIR | --sys-prefix | --system]`);
    process.exit(2);
  }
}
if (!existsSync(main)) {
  console.error(`${main} is missing: run \`npm ci\` (or \`npm run build\`) in ${checkout} first`);
  process.exit(1);
}

// The launcher is plain CommonJS with no dependencies: it runs before any checkout is known.
const launcher = `// The course kernel's launcher, written by ${join(checkout, "scripts", "install-kernel.mjs")}.
// Runs the kernel of the checkout that holds the notebook (Jupyter starts kernels in the notebook's folder):
// the nearest folder above it with node_modules/@llm-course/kernel. Elsewhere: $COURSE_KERNEL_CHECKOUT, then
// the checkout that installed this kernelspec. The checkout in use is printed on stderr (the Jupyter log)
// and shown in the kernel's banner.
const { existsSync } = require("node:fs");
const { dirname, join } = require("node:path");
const INSTALLED_FROM = ${JSON.stringify(checkout)};
const MAIN = ["node_modules", "@llm-course", "kernel", "dist", "main.js"];
function fromWorkingDirectory() {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ...MAIN))) return join(dir, ...MAIN);
    if (dirname(dir) === dir) return undefined;
  }
}
const candidates = [fromWorkingDirectory(), process.env.COURSE_KERNEL_CHECKOUT && join(process.env.COURSE_KERNEL_CHECKOUT, ...MAIN), join(INSTALLED_FROM, ...MAIN)];
const main = candidates.find((path) => path && existsSync(path));
if (!main) {
  process.stderr.write("course-ts: no course checkout found: not above " + process.cwd() + ", and " + INSTALLED_FROM +
    " has no built kernel. Run \`npm ci\` in your checkout, then \`npm run kernel:install\` there.\\n");
  process.exit(1);
}
require(main);
`;

const spec = {
  argv: [process.execPath, "{resource_dir}/launch.cjs", "-f", "{connection_file}"],
  display_name: "TypeScript (course)",
  language: "typescript",
  // interrupt_request on the control channel: answered by the kernel's control thread even while a cell blocks.
  interrupt_mode: "message",
  metadata: { installed_from: checkout },
};

const staging = mkdtempSync(join(tmpdir(), "course-kernelspec-"));
const specDir = join(staging, NAME);
try {
  spawnSync("mkdir", ["-p", specDir]);
  writeFileSync(join(specDir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(specDir, "launch.cjs"), launcher);
  // jupyter_client's own installer (Debian ships no `jupyter kernelspec` command); it replaces an older copy.
  const code = `import sys\nfrom jupyter_client.kernelspec import KernelSpecManager\n` +
    `print(KernelSpecManager().install_kernel_spec(${JSON.stringify(specDir)}, ${JSON.stringify(NAME)}, ${where}, replace=True))`;
  const install = spawnSync(python, ["-c", code], { encoding: "utf8" });
  if (install.status !== 0) {
    console.error(`installing the kernelspec failed (exit ${install.status}): ${(install.stderr || install.error?.message || "").trim()}`);
    console.error(`Jupyter must be installed for ${python} (e.g. apt-get install jupyter-notebook python3-jupyter-client)`);
    process.exit(install.status ?? 1);
  }
  console.log(`Installed kernel "${spec.display_name}" (${NAME}) in ${install.stdout.trim()}`);
  console.log(`It runs the kernel of the checkout holding the notebook; elsewhere ${checkout}.`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
