/**
 * JSON Lines (jsonlines.org): one JSON value per `\n`-ended line (`\r\n` fine); a bad line is reported with its
 * number, blank lines (JSON whitespace only: space, tab, CR) are skipped. U+2028/U+2029 inside a value are data.
 */
import { isBlankLine } from "../text/format-whitespace";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";

/** One parsed line and where it came from. */
export interface JsonLine {
  value: unknown;
  /** 1-based line number. */
  line: number;
}

/**
 * Parses JSON Lines text.
 * @param text file content (BOM, CRLF fine; a final line without newline fine)
 * @param options `file` for messages
 * @throws DataFormatError naming file and line for invalid JSON or an empty file
 */
export function parseJsonLines(text: string, options: { file?: string } = {}): JsonLine[] {
  const { file = "<jsonl>" } = options;
  const out: JsonLine[] = [];
  splitLines(text).forEach((raw, i) => {
    if (isBlankLine(raw)) return; // JSON whitespace is space, tab, CR, LF only; a line of U+2028 is an error
    try {
      out.push({ value: JSON.parse(raw), line: i + 1 });
    } catch (error) {
      throw new DataFormatError(file, i + 1, `invalid JSON (${(error as Error).message}): ${raw.slice(0, 60)}${raw.length > 60 ? "..." : ""}`);
    }
  });
  if (out.length === 0) throw new DataFormatError(file, 0, "no JSON lines (file is empty).");
  return out;
}

/**
 * Reads a field of a parsed JSON object with a type check.
 * @throws DataFormatError naming file, line and the field when it is missing or of another type
 */
export function field<K extends "string" | "number">(entry: JsonLine, key: string, kind: K | readonly K[], file: string): K extends "string" ? string : number {
  const kinds: readonly string[] = Array.isArray(kind) ? kind : [kind];
  const value = entry.value !== null && typeof entry.value === "object" ? (entry.value as { [k: string]: unknown })[key] : undefined;
  if (!kinds.includes(typeof value)) {
    throw new DataFormatError(file, entry.line, `field "${key}" should be a ${kinds.join(" or ")}, got ${value === undefined ? "nothing (missing)" : JSON.stringify(value)}.`);
  }
  return value as K extends "string" ? string : number;
}
