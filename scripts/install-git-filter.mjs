#!/usr/bin/env node
// Installs the git clean filter named in .gitattributes (`notebooks/*.ipynb filter=ipynb-clean`) into this
// checkout's git config: git then stores notebooks without outputs (scripts/ipynb-clean.mjs), so running and
// saving one in Jupyter leaves `git status` clean. Outside a git checkout (a tarball) there is nothing to do.
// Usage: node scripts/install-git-filter.mjs    (run by `npm run kernel:install`)
import { spawnSync } from "node:child_process";

const git = (...args) => spawnSync("git", args, { encoding: "utf8" });
const top = git("rev-parse", "--show-toplevel");
if (top.status !== 0) {
  console.log("not a git checkout: no notebook filter to install");
  process.exit(0);
}
const settings = [
  ["filter.ipynb-clean.clean", "node scripts/ipynb-clean.mjs %f"],
  ["filter.ipynb-clean.smudge", "cat"],
];
for (const [key, value] of settings) {
  const result = git("config", "--local", key, value);
  if (result.status !== 0) {
    console.error(`git config ${key} failed: ${result.stderr.trim()}`);
    process.exit(1);
  }
}
console.log(`git filter "ipynb-clean" installed in ${top.stdout.trim()}: notebooks are committed without outputs (.gitattributes)`);
