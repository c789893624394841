/**
 * `datasetPath(name)`: a folder holding every file of a registered dataset, each checked against its sha256.
 *
 * Where it looks, in order:
 *   1. the cache, `$COURSE_DATA_CACHE/<name>/` (default `~/.cache/llm-course/datasets/<name>/`);
 *   2. a read-only mirror, `$COURSE_DATA_MIRROR/<name>/`; when the variable is unset, `<repo>/../shared/datasets`
 *      if that folder exists (the course machines); `COURSE_DATA_MIRROR=""` turns mirrors off;
 *   3. the registered URLs, downloaded into the cache (retry, temp file, checksum, rename).
 * A complete, verified mirror folder is returned as is (nothing is copied); files a partial mirror lacks are
 * downloaded into the cache. Verified checksums are remembered in `<cache>/<name>/.verified.json` by
 * (size, mtime), so a second load only `stat`s the files. `COURSE_DATA_OFFLINE=1` forbids downloads.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ChecksumError, sha256File, VerifiedStamp } from "./checksum";
import { DownloadError, downloadFile } from "./download";
import type { DownloadOptions } from "./download";
import { datasetSpec } from "./manifest";
import { repoRoot } from "../core/paths";
import type { DatasetFile, DatasetSpec } from "./manifest";

/** Options of `datasetPath` / `ensureDataset`; every default comes from the environment. */
export interface DatasetPathOptions extends DownloadOptions {
  /** Root of the cache (`<cacheRoot>/<name>/`); default `$COURSE_DATA_CACHE` or `~/.cache/llm-course/datasets`. */
  cacheRoot?: string;
  /** Root of a read-only mirror (`<mirrorRoot>/<name>/`), or null for none; default see `defaultMirrorRoot`. */
  mirrorRoot?: string | null;
  /** Never download; default `COURSE_DATA_OFFLINE=1`. */
  offline?: boolean;
}

/** A dataset that is neither cached nor mirrored and could not be downloaded. */
export class DatasetUnavailableError extends Error {
  /** @param message lists each missing file's URL and target path */
  constructor(message: string) {
    super(message);
    this.name = "DatasetUnavailableError";
  }
}

/** `$COURSE_DATA_CACHE`, else `~/.cache/llm-course/datasets`. */
export function defaultCacheRoot(): string {
  const fromEnv = process.env["COURSE_DATA_CACHE"];
  return fromEnv ? resolve(fromEnv) : join(homedir(), ".cache", "llm-course", "datasets");
}

/**
 * The mirror root: `$COURSE_DATA_MIRROR` when set (empty string = no mirror), else `<repo>/../shared/datasets`
 * when that folder exists, else null.
 */
export function defaultMirrorRoot(): string | null {
  const fromEnv = process.env["COURSE_DATA_MIRROR"];
  if (fromEnv !== undefined) return fromEnv === "" ? null : resolve(fromEnv);
  const root = repoRoot();
  const guess = root === null ? null : resolve(root, "..", "shared", "datasets");
  return guess !== null && existsSync(guess) ? guess : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Checks one present file against the registry (hashing only when the stamp cannot vouch for it). */
async function checkFile(path: string, file: DatasetFile, stamp: VerifiedStamp, datasetName: string): Promise<void> {
  const actual = await stamp.sha256(path);
  if (actual !== file.sha256) {
    throw new ChecksumError(path, file.sha256, actual, `Delete it and run \`course data path ${datasetName}\` to fetch it again (or fix the mirror).`);
  }
}

/**
 * `datasetPath` for any spec (tests pass their own spec whose URLs point at a local server).
 * @returns the folder (cache or mirror) that holds every file of `spec`, verified
 * @throws ChecksumError (expected vs actual), DatasetUnavailableError (which files to put where)
 */
export async function ensureDataset(spec: DatasetSpec, options: DatasetPathOptions = {}): Promise<string> {
  const { cacheRoot = defaultCacheRoot(), mirrorRoot = defaultMirrorRoot(), offline = process.env["COURSE_DATA_OFFLINE"] === "1", ...download } = options;
  const cacheDir = join(cacheRoot, spec.name);
  const mirrorDir = mirrorRoot === null ? null : join(mirrorRoot, spec.name);
  const stamp = await VerifiedStamp.load(cacheDir);
  try {
    const inCache = await Promise.all(spec.files.map((f) => isFile(join(cacheDir, f.path))));
    if (inCache.every(Boolean)) {
      for (const f of spec.files) await checkFile(join(cacheDir, f.path), f, stamp, spec.name);
      return cacheDir;
    }
    const inMirror = mirrorDir === null ? spec.files.map(() => false) : await Promise.all(spec.files.map((f) => isFile(join(mirrorDir, f.path))));
    if (mirrorDir !== null && inMirror.every(Boolean)) {
      for (const f of spec.files) await checkFile(join(mirrorDir, f.path), f, stamp, spec.name);
      return mirrorDir;
    }
    // Fill the cache: cached files are checked, mirrored ones copied, the rest downloaded.
    const failures: Array<{ file: DatasetFile; reason: string; transient?: boolean }> = [];
    for (const [i, f] of spec.files.entries()) {
      const target = join(cacheDir, f.path);
      if (inCache[i]) {
        await checkFile(target, f, stamp, spec.name);
      } else if (mirrorDir !== null && inMirror[i]) {
        const source = join(mirrorDir, f.path);
        await checkFile(source, f, stamp, spec.name);
        await mkdir(dirname(target), { recursive: true });
        const tmp = `${target}.${process.pid}.part`;
        await copyFile(source, tmp);
        await rename(tmp, target);
        await stamp.remember(target, f.sha256);
      } else if (offline) {
        failures.push({ file: f, reason: "offline (COURSE_DATA_OFFLINE=1)" });
      } else if (failures.some((x) => x.transient)) {
        failures.push({ file: f, reason: "not tried after an earlier network failure", transient: true }); // offline: do not wait out every retry
      } else {
        try {
          await downloadFile(f.url, target, f, download);
          await stamp.remember(target, f.sha256);
        } catch (error) {
          if (!(error instanceof DownloadError)) throw error;
          failures.push({ file: f, reason: error.message, transient: error.transient });
        }
      }
    }
    if (failures.length > 0) {
      const lines = failures.map(({ file }) => `  ${file.url}\n    -> ${join(cacheDir, file.path)}   (sha256 ${file.sha256}, ${file.size} bytes)`);
      throw new DatasetUnavailableError(
        `dataset "${spec.name}" is not cached${mirrorDir === null ? " and no mirror is set" : ` and not (fully) in the mirror ${mirrorDir}`}, ` +
          `and ${failures.length} file(s) could not be downloaded (${failures[0]?.reason}).\n` +
          `Download these files by hand and put them here:\n${lines.join("\n")}\n` +
          `or set COURSE_DATA_MIRROR to a folder that holds ${spec.name}/<files>.`,
      );
    }
    return cacheDir;
  } finally {
    await stamp.save();
  }
}

/**
 * The folder holding the verified files of a registered dataset (cache, then mirror, then download).
 * @param name a registered name (`course data list`)
 * @param options cacheRoot, mirrorRoot, offline, retries, onProgress — defaults from the environment
 */
export async function datasetPath(name: string, options: DatasetPathOptions = {}): Promise<string> {
  return ensureDataset(datasetSpec(name), options);
}

/** The result of re-hashing one file. */
export interface FileCheck {
  path: string;
  /** `ok`, `mismatch` (see expected/actual) or `missing`. */
  status: "ok" | "mismatch" | "missing";
  expected: string;
  actual: string | null;
}

/**
 * Re-hashes every file of a dataset where it is now (cache if complete, else mirror), ignoring stamps.
 * Downloads nothing.
 * @returns the folder checked (null when the dataset is nowhere) and one check per file
 */
export async function verifyDataset(name: string, options: Pick<DatasetPathOptions, "cacheRoot" | "mirrorRoot"> = {}): Promise<{ dir: string | null; files: FileCheck[] }> {
  const { cacheRoot = defaultCacheRoot(), mirrorRoot = defaultMirrorRoot() } = options;
  const spec = datasetSpec(name);
  const candidates = [join(cacheRoot, spec.name), ...(mirrorRoot === null ? [] : [join(mirrorRoot, spec.name)])];
  let dir: string | null = null;
  for (const c of candidates) {
    const present = await Promise.all(spec.files.map((f) => isFile(join(c, f.path))));
    if (present.every(Boolean)) {
      dir = c;
      break;
    }
    if (dir === null && present.some(Boolean)) dir = c; // partial: report what is missing there
  }
  const files: FileCheck[] = [];
  for (const f of spec.files) {
    const path = join(dir ?? candidates[0] ?? ".", f.path);
    if (!(await isFile(path))) {
      files.push({ path, status: "missing", expected: f.sha256, actual: null });
      continue;
    }
    const actual = await sha256File(path);
    files.push({ path, status: actual === f.sha256 ? "ok" : "mismatch", expected: f.sha256, actual });
  }
  return { dir, files };
}

/** Removes a dataset's cache folder (not the mirror). */
export async function clearDatasetCache(name: string, options: Pick<DatasetPathOptions, "cacheRoot"> = {}): Promise<void> {
  const { cacheRoot = defaultCacheRoot() } = options;
  await rm(join(cacheRoot, datasetSpec(name).name), { recursive: true, force: true });
}
