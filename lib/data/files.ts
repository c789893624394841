/** The small glue every loader shares: find the dataset folder, read one of its files in its declared encoding. */
import { join } from "node:path";
import { readText } from "./decode";
import { datasetSpec } from "./manifest";
import { datasetPath } from "./registry";
import type { DatasetPathOptions } from "./registry";

/** Options every `load*` function takes. */
export interface LoadOptions extends DatasetPathOptions {
  /** Read the files from this folder instead of the registry (no checksum check): your own copy, or fixtures. */
  dir?: string;
}

/** `options.dir`, else the verified registry folder of `name`. */
export async function datasetDir(name: string, options: LoadOptions = {}): Promise<string> {
  const { dir, ...rest } = options;
  return dir ?? datasetPath(name, rest);
}

/**
 * Reads `<dir>/<path>` as text in the encoding the registry declares for it (UTF-8 is strict).
 * @throws DataFormatError for an empty or undecodable file; Error when `path` is not a file of `name`
 */
export async function readDatasetFile(name: string, dir: string, path: string): Promise<string> {
  const file = datasetSpec(name).files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`dataset "${name}" has no registered file "${path}"`);
  return readText(join(dir, path), file.encoding);
}
