// Loads the addon. `native` is the binding, or undefined with `unavailable` saying why and how to fix it.
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const addon = join(__dirname, "build", "Release", "llm_course_native.node");
const record = join(__dirname, "build", "unavailable.json");

function load() {
  if (process.env.COURSE_NATIVE === "off") return { unavailable: { reason: "disabled by COURSE_NATIVE=off", fix: "unset COURSE_NATIVE" } };
  if (existsSync(addon)) {
    try {
      return { native: require(addon) };
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
