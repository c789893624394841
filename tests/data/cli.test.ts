import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** Runs `course data ...` with its own cache and no mirror, so nothing outside a temp folder is read. */
function course(args: string[], cache: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), "data", ...args], {
    env: { ...process.env, COURSE_DATA_CACHE: cache, COURSE_DATA_MIRROR: "", COURSE_DATA_OFFLINE: "1" },
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test("course data verify/list/path: mismatch, missing, listing and the offline message", () => {
  const cache = mkdtempSync(join(tmpdir(), "llm-course-cli-"));
  try {
    // Our hand-made SST-2 fixture under the real SST-2 name: every checksum must be reported as wrong.
    cpSync(join(ROOT, "tests", "fixtures", "data", "sst2"), join(cache, "sst2"), { recursive: true });
    const verify = course(["verify", "sst2"], cache);
    assert.equal(verify.code, 1, verify.out);
    assert.match(verify.out, /MISMATCH .*train\.tsv\n\s+expected 920e317b2c52e12cd22db1da2c6708312bd7dc4f3712b9bbf1b50ee6c2c792ba\n\s+actual   [0-9a-f]{64}/);
    const missing = course(["verify", "conll2003"], cache);
    assert.equal(missing.code, 1);
    assert.match(missing.out, /not found in the cache or the mirror/);
    assert.match(missing.out, /MISSING .*conll2003[/\\]train\.txt/);

    const list = course(["list"], cache);
    assert.equal(list.code, 0, list.out);
    for (const name of ["banking77", "conll2003", "epoch_ai_models", "financial_phrasebank", "sst2"]) assert.match(list.out, new RegExp(`^${name} `, "m"));
    assert.match(list.out, /CC BY-NC-SA 3\.0/);

    const path = course(["path", "banking77"], cache);
    assert.equal(path.code, 1);
    assert.match(path.out, /https:\/\/raw\.githubusercontent\.com\/PolyAI-LDN\/task-specific-datasets\/57ec275d8078af65b7731c2a98be812d844a6d6b\/banking_data\/train\.csv\n\s+-> .*banking77[/\\]train\.csv/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
