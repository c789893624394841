/** Argument parsers and corpus resolution shared by the `course` subcommands. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { datasetTexts, TEXT_DATASETS } from "../data";

/** A commander parser for a positive integer option, naming the option in its error. */
export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

/** A commander parser for a finite number option. */
export function finiteNumber(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${value}"`);
    return n;
  };
}

/** The lines of a corpus argument: a registered text dataset (train split) or a UTF-8 file (one text per line). */
export async function corpusLines(corpus: string): Promise<string[]> {
  if ((TEXT_DATASETS as readonly string[]).includes(corpus)) return datasetTexts(corpus);
  if (!existsSync(corpus) || !statSync(corpus).isFile()) {
    throw new Error(`--corpus ${corpus}: neither a file nor a text dataset (${TEXT_DATASETS.join(", ")})`);
  }
  return readFileSync(corpus, "utf8").split(/\r?\n/).filter((line) => line.length > 0);
}
