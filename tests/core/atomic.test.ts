import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/core/atomic";

test("writes text and bytes, creating the folder, and replaces an older file whole", () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  const path = join(dir, "a", "b", "file.bin");
  writeFileAtomic(path, "first version, longer than the second\n");
  writeFileAtomic(path, new Uint8Array([1, 2, 3]).subarray(1));
  assert.deepEqual([...readFileSync(path)], [2, 3]);
  assert.deepEqual(readdirSync(join(dir, "a", "b")), ["file.bin"], "no temp file is left beside the target");
});

test("a failed write names the target and leaves no temp file behind", () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  const target = join(dir, "taken");
  mkdirSync(target); // a folder where the file should go: the rename fails
  assert.throws(() => writeFileAtomic(target, "x"), (e: Error) => e.message.startsWith(`${target}: cannot write (`));
  assert.deepEqual(readdirSync(dir), ["taken"]);
  assert.deepEqual(readdirSync(target), []);
});
