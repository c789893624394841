/**
 * The dataset registry (d2l's DATA_HUB idea): every dataset the course uses, with each file's size, sha256, declared
 * encoding and the public URL a reader's machine downloads it from. The registry is DATA, kept in the repository's
 * `data/datasets.json` (see `data/README.md`); this module finds, validates and serves it. URLs are raw GitHub
 * files at a pinned commit, so the bytes never change under the checksum (the mirrors in `$COURSE_DATA_MIRROR` are
 * byte-for-byte copies of the same files). The files themselves are never committed (their licenses forbid it).
 *
 * Where the manifest is found: `$COURSE_DATA_MANIFEST` when set, else `<repo>/data/datasets.json`, the repository
 * found from this file's own location (so `lib/`, `lib/dist/`, the notebooks' kernel and the `course` CLI find it
 * from any working directory). Outside the repository (a packed or installed `@llm-course/lib`) there is no
 * `<repo>`: everything but the registry works, and the first registry call throws, naming the variable to set.
 * It is read once, on first use; a malformed manifest throws naming the file and the JSON path of the fault.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../core/paths";
import { isBlankLine } from "../text/format-whitespace";
import type { TextEncoding } from "./decode";

/** One file of a dataset. */
export interface DatasetFile {
  /** Path inside the dataset folder (also the cache and mirror layout). */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** Lower-case hex sha256 of the exact bytes. */
  readonly sha256: string;
  /** How the text is encoded (declared, never guessed). */
  readonly encoding: TextEncoding;
  /** Where a reader's machine downloads it. */
  readonly url: string;
  /** The commit the file was taken at when it is not `source.commit`: a dataset gathered from several
   * repositories (Project Gutenberg keeps one per eBook) pins each file to its own. Optional in the JSON. */
  readonly commit?: string;
}

/** One dataset of the registry. */
export interface DatasetSpec {
  readonly name: string;
  readonly description: string;
  /** License or terms as stated by the source; read before you redistribute anything. */
  readonly license: string;
  readonly citation: string;
  readonly homepage: string;
  /** The GitHub repository and commit the files were taken from. */
  readonly source: { readonly repo: string; readonly commit: string };
  readonly files: readonly DatasetFile[];
}

/** A registered dataset name (the keys of `data/datasets.json`). */
export type DatasetName = string;

const ENCODINGS: readonly TextEncoding[] = ["utf-8", "latin1"];

/**
 * Checks a parsed `datasets.json` and returns its datasets by name (frozen). Every field is required and typed;
 * unknown keys are refused, so a typo never silently drops a checksum.
 * @param file named in error messages
 * @throws Error `file: datasets.NAME.files[i].FIELD: what is wrong` at the first fault
 */
export function parseDatasetManifest(json: unknown, file = "data/datasets.json"): Readonly<Record<string, DatasetSpec>> {
  const fail = (where: string, what: string): never => {
    throw new Error(`${file}: ${where}: ${what}; fix the entry (data/README.md describes every field)`);
  };
  const object = (value: unknown, where: string, keys: readonly string[]): Record<string, unknown> => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(where, `expected an object, found ${JSON.stringify(value)}`);
    for (const key of Object.keys(value)) if (!keys.includes(key)) fail(`${where}.${key}`, `unknown key (known: ${keys.join(", ")})`);
    for (const key of keys) if (!(key in value)) fail(`${where}.${key}`, "missing");
    return value as Record<string, unknown>;
  };
  const text = (value: unknown, where: string, pattern?: RegExp, shape?: string): string => {
    if (typeof value !== "string" || isBlankLine(value)) return fail(where, `expected a non-empty string, found ${JSON.stringify(value)}`);
    if (pattern && !pattern.test(value)) fail(where, `${JSON.stringify(value)} is not ${shape}`);
    return value;
  };
  const root = object(json, "(top level)", ["about", "version", "datasets"]);
  if (root["version"] !== 1) fail("version", `expected 1, found ${JSON.stringify(root["version"])}`);
  const datasets = object(root["datasets"], "datasets", Object.keys(root["datasets"] ?? {}));
  const out: Record<string, DatasetSpec> = {};
  for (const [name, raw] of Object.entries(datasets)) {
    const at = `datasets.${name}`;
    if (!/^[a-z0-9_]+$/.test(name)) fail(at, "a dataset name is lower-case letters, digits and underscores (it names a folder)");
    const d = object(raw, at, ["description", "license", "citation", "homepage", "source", "files"]);
    const source = object(d["source"], `${at}.source`, ["repo", "commit"]);
    if (!Array.isArray(d["files"]) || d["files"].length === 0) fail(`${at}.files`, "expected a non-empty list");
    const seen = new Set<string>();
    const files = (d["files"] as unknown[]).map((rawFile, i): DatasetFile => {
      const where = `${at}.files[${i}]`;
      const keys = ["path", "size", "sha256", "encoding", "url"];
      const f = object(rawFile, where, typeof rawFile === "object" && rawFile !== null && "commit" in rawFile ? [...keys, "commit"] : keys);
      const path = text(f["path"], `${where}.path`, /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[^\\]+$/, "a relative path inside the dataset folder (no leading /, no . or .. parts)");
      if (seen.has(path)) fail(`${where}.path`, `${JSON.stringify(path)} is listed twice`);
      seen.add(path);
      const size = f["size"];
      if (typeof size !== "number" || !Number.isSafeInteger(size) || size <= 0) fail(`${where}.size`, `expected a positive whole number of bytes, found ${JSON.stringify(size)}`);
      const encoding = f["encoding"];
      if (!ENCODINGS.includes(encoding as TextEncoding)) fail(`${where}.encoding`, `expected one of ${ENCODINGS.join(", ")}, found ${JSON.stringify(encoding)}`);
      return Object.freeze({
        path,
        size: size as number,
        sha256: text(f["sha256"], `${where}.sha256`, /^[0-9a-f]{64}$/, "64 lower-case hex digits"),
        encoding: encoding as TextEncoding,
        url: text(f["url"], `${where}.url`, /^https:\/\/\S+$/, "an https URL"),
        ...(f["commit"] === undefined ? {} : { commit: text(f["commit"], `${where}.commit`, /^[0-9a-f]{40}$/, "a full 40-digit commit hash") }),
      });
    });
    const commit = text(source["commit"], `${at}.source.commit`, /^[0-9a-f]{40}$/, "a full 40-digit commit hash");
    files.forEach((f, i) => {
      // Pinned: the URL names the source commit (or the file's own), so the bytes behind it cannot change under the checksum.
      const pinned = f.commit ?? commit;
      if (!f.url.includes(pinned)) fail(`${at}.files[${i}].url`, `${JSON.stringify(f.url)} does not name ${f.commit === undefined ? "source.commit" : `files[${i}].commit`} ${pinned}; use the raw URL at that commit`);
    });
    out[name] = Object.freeze({
      name,
      description: text(d["description"], `${at}.description`),
      license: text(d["license"], `${at}.license`),
      citation: text(d["citation"], `${at}.citation`),
      homepage: text(d["homepage"], `${at}.homepage`, /^https?:\/\/\S+$/, "a URL"),
      source: Object.freeze({
        repo: text(source["repo"], `${at}.source.repo`, /^[\w.-]+\/[\w.-]+$/, "owner/name"),
        commit,
      }),
      files: Object.freeze(files),
    });
  }
  return Object.freeze(out);
}

/**
 * Where the manifest is read from: `$COURSE_DATA_MANIFEST`, else `<repo>/data/datasets.json`.
 * @returns the path, or null outside the repository with the variable unset
 */
export function datasetManifestPath(): string | null {
  const fromEnv = process.env["COURSE_DATA_MANIFEST"];
  if (fromEnv) return fromEnv;
  const root = repoRoot();
  return root === null ? null : join(root, "data", "datasets.json");
}

let cache: { path: string; datasets: Readonly<Record<string, DatasetSpec>> } | undefined;

/**
 * The registry, read and validated on first use (again when `$COURSE_DATA_MANIFEST` changes).
 * @throws naming the path and the way out when the manifest is missing, not JSON or malformed
 */
export function datasetManifest(): Readonly<Record<string, DatasetSpec>> {
  const path = datasetManifestPath();
  if (path === null) {
    throw new Error(
      "dataset manifest not found: the library reads the registry from the course repository's data/datasets.json, " +
        "and it is running outside that repository. Set COURSE_DATA_MANIFEST=/path/to/datasets.json (a copy of the repository's).",
    );
  }
  if (cache?.path === path) return cache.datasets;
  if (!existsSync(path)) throw new Error(`${path}: dataset manifest not found; restore data/datasets.json from git, or point COURSE_DATA_MANIFEST at a copy`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
  cache = { path, datasets: parseDatasetManifest(json, path) };
  return cache.datasets;
}

/** All registered names, sorted. @throws as {@link datasetManifest} */
export function datasetNames(): DatasetName[] {
  return Object.keys(datasetManifest()).sort();
}

/**
 * The registry entry of `name`.
 * @throws Error listing the known names when `name` is not registered (or as {@link datasetManifest})
 */
export function datasetSpec(name: string): DatasetSpec {
  const datasets = datasetManifest();
  const spec = Object.hasOwn(datasets, name) ? datasets[name] : undefined;
  if (spec === undefined) throw new Error(`unknown dataset "${name}". Known datasets: ${datasetNames().join(", ")} (\`course data list\`).`);
  return spec;
}

/**
 * The registry as an object keyed by name (`DATASETS.sst2.files`), read on first access: a live view of
 * {@link datasetManifest}, so importing the library never reads a file. Property access, `in`, `Object.keys`
 * and spreading work; a missing manifest throws on first access, as {@link datasetManifest} does.
 */
// Node's `util.inspect` (console.log, tslab's display) formats a Proxy's target, not the proxy: the target answers it.
const inspectable = { [Symbol.for("nodejs.util.inspect.custom")]: () => datasetManifest() } as unknown as Record<DatasetName, DatasetSpec>;
export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = new Proxy(inspectable, {
  get: (_target, key) => (typeof key === "string" && Object.hasOwn(datasetManifest(), key) ? datasetManifest()[key] : undefined),
  has: (_target, key) => typeof key === "string" && Object.hasOwn(datasetManifest(), key),
  ownKeys: () => Reflect.ownKeys(datasetManifest()),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(datasetManifest(), key);
    return descriptor === undefined ? undefined : { ...descriptor, configurable: true }; // the target holds none
  },
  set: () => false,
  deleteProperty: () => false,
  defineProperty: () => false,
});
