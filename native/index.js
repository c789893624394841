// Loads the addon. `native` is the binding, or undefined with `unavailable` saying why and how to fix it.
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const addon = join(__dirname, "build", "Release", "llm_course_native.node");
const record = join(__dirname, "build", "unavailable.json");

/**
 * OpenBLAS 0.3.21 (Debian 12) does not recognise recent Xeons behind a generic model name ("Intel(R) Xeon(R)
 * Processor", as cloud VMs report) and falls back to its Prescott kernels: 17 instead of 95 GFLOP/s on one core
 * of the course's build machine, for numpy and PyTorch too. When the CPU has AVX-512 BF16 (Cooper Lake and
 * later), Cooperlake — the newest x86 kernels that OpenBLAS has — is never a downgrade, so it is chosen unless
 * OPENBLAS_CORETYPE is already set. Must run before the library loads (it dispatches once, at load).
 */
function chooseCoreType() {
  if (process.env.OPENBLAS_CORETYPE !== undefined || process.platform !== "linux" || process.arch !== "x64") return process.env.OPENBLAS_CORETYPE;
  try {
    const flags = new Set((/^flags\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "").trim().split(/\s+/));
    if (flags.has("avx512_bf16") && flags.has("avx512vl")) process.env.OPENBLAS_CORETYPE = "Cooperlake";
  } catch {
    // no /proc/cpuinfo: leave OpenBLAS's own choice
  }
  return process.env.OPENBLAS_CORETYPE;
}

function load() {
  if (process.env.COURSE_NATIVE === "off") return { unavailable: { reason: "disabled by COURSE_NATIVE=off", fix: "unset COURSE_NATIVE" } };
  if (existsSync(addon)) {
    try {
      const coreType = chooseCoreType();
      return { native: require(addon), coreType };
    } catch (error) {
      return { unavailable: { reason: `the addon did not load (${String(error.message).split("\n")[0]})`, fix: "npm rebuild @llm-course/native" } };
    }
  }
  if (existsSync(record)) {
    const { reason, fix } = JSON.parse(readFileSync(record, "utf8"));
    return { unavailable: { reason, fix } };
  }
  return { unavailable: { reason: "the addon was never built (install scripts skipped?)", fix: "npm rebuild @llm-course/native" } };
}

module.exports = load();
