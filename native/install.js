// Builds the addon at install (node-gyp: a C compiler, make, python3, Node's headers and a BLAS).
//
// The package is optional, but npm (11) fails `npm install`/`npm ci` outright when a workspace's install script
// fails, even for an optional dependency. So a failed build is recorded, not thrown: `build/unavailable.json`
// says what is missing and the one command that fixes it, the course runs on wasm and its backend report prints
// that notice. Set COURSE_NATIVE=off to skip the build.
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync, mkdirSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");

const here = __dirname;
const record = join(here, "build", "unavailable.json");
const linux = process.platform === "linux";
const FIX = linux
  ? "sudo apt-get install -y build-essential python3 libopenblas-dev && npm rebuild @llm-course/native"
  : process.platform === "darwin"
    ? "xcode-select --install && npm rebuild @llm-course/native"
    : "install a C compiler, make, python3 and OpenBLAS, then run: npm rebuild @llm-course/native";

function fail(reason, log) {
  mkdirSync(dirname(record), { recursive: true });
  writeFileSync(record, JSON.stringify({ reason, fix: FIX, log: log.slice(-4000) }, null, 2) + "\n");
  console.warn(`@llm-course/native not built (${reason}); the course runs on wasm. Fix: ${FIX}`);
  process.exit(0);
}

if (process.env.COURSE_NATIVE === "off") fail("COURSE_NATIVE=off at install", "");
rmSync(record, { force: true });

// Node's headers: use the ones installed beside node (Debian/NodeSource, nvm, official tarballs) rather than
// letting node-gyp download them.
const prefix = resolve(dirname(process.execPath), "..");
const nodedir = existsSync(join(prefix, "include", "node", "node_api.h")) ? ["--nodedir", prefix] : [];
// npm names its bundled node-gyp in `npm_config_node_gyp`; run by hand, look beside node's own npm.
const gyp = [process.env.npm_config_node_gyp, join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js")]
  .find((path) => path !== undefined && path !== "" && existsSync(path)) ?? "";
if (gyp === "") fail("node-gyp not found (it comes with npm)", "");

const run = spawnSync(process.execPath, [gyp, "rebuild", ...nodedir], { cwd: here, encoding: "utf8", env: process.env });
const log = `${run.stdout ?? ""}\n${run.stderr ?? ""}\n${run.error ? String(run.error) : ""}`;
if (run.status === 0 && existsSync(join(here, "build", "Release", "llm_course_native.node"))) {
  console.log("@llm-course/native built (BLAS kernels for the wasm backend)");
  process.exit(0);
}
const reason =
  /cblas\.h|Accelerate\.h/.test(log) && /No such file|not found/.test(log) ? "the BLAS headers are missing (cblas.h: libopenblas-dev)"
  : /cannot find -lopenblas|library not found for -lopenblas/.test(log) ? "the OpenBLAS library is missing (libopenblas-dev)"
  : /not found: (make|g\+\+|cc|c\+\+)|command not found|No such file or directory.*(cc|g\+\+)|Can't find Python|find Python/i.test(log) ? "no C compiler, make or python3"
  : /node_api\.h|gyp.*(headers|tarball)|EAI_AGAIN|ENOTFOUND/.test(log) ? "Node's headers are missing"
  : `node-gyp exited with ${run.status ?? run.error}`;
fail(reason, log);
