/**
 * sha256 of files, and the `.verified.json` stamp that remembers a verified file by (size, mtime) so that loading
 * a dataset the second time costs a `stat`, not a re-hash of megabytes.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, stat, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

/** A file whose bytes are not the registered ones. */
export class ChecksumError extends Error {
  readonly file: string;
  readonly expected: string;
  readonly actual: string;

  /**
   * @param file path (or URL) of the bad bytes
   * @param expected registered sha256
   * @param actual sha256 of what is there
   * @param wayOut what the reader should do about it
   */
  constructor(file: string, expected: string, actual: string, wayOut: string) {
    super(`checksum mismatch for ${file}: expected sha256 ${expected}, got ${actual}. ${wayOut}`);
    this.name = "ChecksumError";
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Lower-case hex sha256 of a file's bytes (streamed, so large files do not sit in memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** What the stamp remembers about one verified file. */
interface StampEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** The stamp file of one cache folder: absolute path → what was verified. */
export class VerifiedStamp {
  private entries: { [path: string]: StampEntry } = {};
  private dirty = false;
  private constructor(private readonly stampPath: string) {}

  /** Loads `<dir>/.verified.json` (a missing or unreadable stamp is an empty one: we just hash again). */
  static async load(dir: string): Promise<VerifiedStamp> {
    const stamp = new VerifiedStamp(join(dir, ".verified.json"));
    try {
      const parsed: unknown = JSON.parse(await readFile(stamp.stampPath, "utf8"));
      if (parsed !== null && typeof parsed === "object") stamp.entries = parsed as { [path: string]: StampEntry };
    } catch {
      // no stamp yet, or a broken one: both mean "verify by hashing"
    }
    return stamp;
  }

  /**
   * sha256 of `path`, from the stamp when size and mtime are unchanged, otherwise hashed and remembered.
   * @param path absolute file path
   */
  async sha256(path: string): Promise<string> {
    const info = await stat(path);
    const known = this.entries[path];
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known.sha256;
    const sha256 = await sha256File(path);
    this.entries[path] = { size: info.size, mtimeMs: info.mtimeMs, sha256 };
    this.dirty = true;
    return sha256;
  }

  /** Records a file whose bytes were just verified some other way (hashed while downloading or copying). */
  async remember(path: string, sha256: string): Promise<void> {
    const info = await stat(path);
    this.entries[path] = { size: info.size, mtimeMs: info.mtimeMs, sha256 };
    this.dirty = true;
  }

  /** Writes the stamp (temp file, then rename); a read-only cache folder only costs re-hashing next time. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    try {
      await mkdir(join(this.stampPath, ".."), { recursive: true });
      const tmp = `${this.stampPath}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(this.entries, null, 1));
      await rename(tmp, this.stampPath);
      this.dirty = false;
    } catch {
      // not fatal: the files are verified; we just cannot remember it
    }
  }
}
