/**
 * The whitespace a file format means, not JavaScript's. `String.prototype.trim`, `\s` and `split(/\s+/)` treat
 * some 25 code points as whitespace — U+00A0 NO-BREAK SPACE, U+2028 LINE SEPARATOR, U+2029, U+FEFF, U+3000 … —
 * and a BERT `vocab.txt` holds such tokens (Chinese BERT's has U+2028 on its own line). The formats we read
 * (vocab.txt, JSON Lines, CoNLL, TSV, Gutenberg text) separate lines with `\n` (or `\r\n`) and fields with ASCII
 * spaces or tabs; everything else is data. Readers use these helpers instead, and keep every other code point.
 */

/** ASCII space, tab, `\r` (a CRLF file leaves one at a line's end) and `\n` (inside a quoted CSV cell). */
const FORMAT_BLANK = /^[ \t\r\n]*$/;
const LEADING = /^[ \t\r\n]+/;
const TRAILING = /[ \t\r\n]+$/;
const FIELD_SEPARATOR = /[ \t]+/;

/** True when `line` holds nothing but ASCII spaces, tabs, `\r` and `\n` (U+00A0, U+2028, U+FEFF … are data). */
export function isBlankLine(line: string): boolean {
  return FORMAT_BLANK.test(line);
}

/** `text` without leading and trailing ASCII spaces, tabs, `\r` and `\n`; every other code point is kept. */
export function trimFormatWhitespace(text: string): string {
  return text.replace(LEADING, "").replace(TRAILING, "");
}

/**
 * Splits a line into fields at runs of ASCII spaces and tabs (leading and trailing ones ignored); a field may
 * hold U+00A0, U+2028, U+FEFF or any other code point.
 */
export function splitFields(line: string): string[] {
  const body = trimFormatWhitespace(line);
  return body === "" ? [] : body.split(FIELD_SEPARATOR);
}
