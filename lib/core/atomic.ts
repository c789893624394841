/**
 * Writing a file so that no reader ever sees half of it: write a temp file in the same folder (per process and
 * per call, so concurrent writers never mix halves), then rename it over the target — a rename within one
 * file system is atomic. On failure the temp file is removed and the error names the target.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";

/** Writes `data` to `path` atomically, creating the folder if needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new Error(`${path}: cannot write (${(error as Error).message})`);
  }
}
