/**
 * Bytes → text with the encoding said out loud. UTF-8 is decoded with `fatal: true`, so a file that is not
 * valid UTF-8 fails loudly (with the byte offset and line) instead of filling the text with U+FFFD.
 */
import { readFile } from "node:fs/promises";
import { DataFormatError } from "./errors";

/** The encodings our datasets use. `latin1` is ISO-8859-1 (every byte is one code point, as Node's `latin1`). */
export type TextEncoding = "utf-8" | "latin1";

/** 1-based line of byte `offset` in `bytes` (counts `\n` before it). */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Index of the first byte that breaks UTF-8 (a cheap validator, only used to place the error). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Decodes `bytes` as `encoding`, dropping a leading UTF-8 byte-order mark.
 * @param bytes the raw file content
 * @param encoding `utf-8` (strict: invalid bytes throw) or `latin1`
 * @param file name used in error messages
 * @returns the text, without BOM
 * @throws DataFormatError naming file and line when UTF-8 bytes are invalid
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding, file: string): string {
  if (encoding === "latin1") return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  try {
    // ignoreBOM: false (the default) strips a leading BOM.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new DataFormatError(
      file,
      lineOfByte(bytes, at),
      `invalid UTF-8 at byte ${at} (0x${(bytes[at] ?? 0).toString(16).padStart(2, "0")}). ` +
        `The file is declared UTF-8; if it is latin-1, read it with encoding "latin1".`,
    );
  }
}

/**
 * Reads a text file with a declared encoding; an empty file is an error (every dataset file has content).
 * @param path file to read
 * @param encoding declared encoding (default `utf-8`)
 */
export async function readText(path: string, encoding: TextEncoding = "utf-8"): Promise<string> {
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new DataFormatError(path, 0, "file is empty; delete it and fetch it again (`course data verify`).");
  return decodeText(bytes, encoding, path);
}

/**
 * Splits text into physical lines: strips a BOM, accepts LF and CRLF, and drops the one empty string a final
 * newline leaves. Line `i` of the result is line `i + 1` of the file.
 */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

