/**
 * Writing a file so that no reader ever sees half of it, through npm's own `write-file-atomic`: it writes a temp
 * file in the same folder (unique per process and call), fsyncs it, then renames it over the target — a rename within
 * one file system is atomic, and the fsync means a crash right after cannot leave an empty file behind the new name.
 * On failure the temp file is removed; our wrapper only creates the folder and names the target in the error.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import writeFileAtomicLib from "write-file-atomic";

/** Writes `data` to `path` atomically, creating the folder if needed. Throws `<path>: cannot write (<reason>)`. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileAtomicLib.sync(path, typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch (error) {
    throw new Error(`${path}: cannot write (${(error as Error).message})`);
  }
}
