/**
 * CSV/TSV with line numbers, on top of `csv-parse` (adaltas/node-csv; why this library: README, "Dependencies").
 *
 * Spec (RFC 4180 §2, plus what real files do): records end at CRLF or LF — and only there: U+2028, U+2029,
 * U+0085 and a lone CR are data, never line ends; a field may be wrapped in double quotes, and then it may hold the
 * delimiter, CR/LF (a record can span many physical lines) and `""` (one quote). A quote inside an unquoted field,
 * or text after a closing quote, is an error — guessing there silently shifts columns. One BOM at the very start of
 * the text is dropped; U+FEFF and U+00A0 anywhere else are data. Every record must have as many fields as the header.
 *
 * csv-parse does the tokenising. Lines are ours: csv-parse counts a lone CR (and the CR of a CRLF inside quotes) as
 * a line break of its own, so its `lines` drift from what an editor shows; we count `\n` bytes up to the byte
 * offset where each record starts (the `bytes` of the record before it, from `on_record`'s context).
 */
import { parse } from "csv-parse/sync";
import type { CsvError } from "csv-parse/sync";
import { DataFormatError } from "./errors";

/** Options of `parseCsv`. */
export interface CsvOptions {
  /** Name used in error messages (path or display name). */
  file?: string;
  /** Field separator; `,` for CSV. */
  delimiter?: string;
  /** Skip physical lines that are completely empty (outside quotes); a blank line is never a real record here. */
  skipEmptyLines?: boolean;
}

/** A parsed table: the header, the records, and the physical line where each record starts. */
export interface CsvTable {
  /** Column names from the first record. */
  header: string[];
  /** One array of fields per record, each as long as `header`. */
  rows: string[][];
  /** `rowLines[i]` is the 1-based line where `rows[i]` starts (records with quoted newlines span more lines). */
  rowLines: number[];
}

/**
 * Parses CSV text whose first record is the header.
 * @param text the file content (BOM, CRLF and LF are fine)
 * @param options `file` for messages, `delimiter` (default `,`), `skipEmptyLines` (default true)
 * @returns header, rows and the start line of every row
 * @throws DataFormatError naming file and line: empty input, unterminated quote, stray quote, wrong field count
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const { file = "<csv>", delimiter = ",", skipEmptyLines = true } = options;
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new Error(`parseCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const records = tokenize(text, file, delimiter, skipEmptyLines);
  const first = records[0];
  if (first === undefined) throw new DataFormatError(file, 0, "file has no header (it is empty). Fetch it again.");
  const header = first.fields;
  const rows: string[][] = [];
  const rowLines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const { fields, line } = records[r] as Record;
    if (fields.length !== header.length) {
      throw new DataFormatError(
        file,
        line,
        `expected ${header.length} fields (${header.join(delimiter)}), got ${fields.length}. ` +
          `A field holding "${delimiter}" or a newline must be wrapped in double quotes.`,
      );
    }
    rows.push(fields);
    rowLines.push(line);
  }
  return { header, rows, rowLines };
}

/**
 * Parses CSV text into one object per record, keyed by header name.
 * @param required column names that must be in the header (error names the file and the missing columns)
 */
export function parseCsvRecords(text: string, options: CsvOptions & { required?: readonly string[] } = {}): Array<{ [column: string]: string }> {
  const { required = [], ...csvOptions } = options;
  const table = parseCsv(text, csvOptions);
  requireColumns(table, required, csvOptions.file ?? "<csv>");
  return table.rows.map((row) => Object.fromEntries(table.header.map((name, i) => [name, row[i] as string])));
}

/**
 * Checks that a table has the named columns and returns their indices (in the order asked).
 * @throws DataFormatError at line 1 listing the missing columns and the ones present
 */
export function requireColumns(table: CsvTable, names: readonly string[], file: string): number[] {
  const missing = names.filter((n) => !table.header.includes(n));
  if (missing.length > 0) {
    throw new DataFormatError(file, 1, `missing column(s) ${missing.map((m) => `"${m}"`).join(", ")}; header has ${table.header.map((h) => `"${h}"`).join(", ")}.`);
  }
  return names.map((n) => table.header.indexOf(n));
}

interface Record {
  fields: string[];
  line: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** Runs csv-parse over the UTF-8 bytes of `input` and attaches to each record the physical line where it starts. */
function tokenize(input: string, file: string, delimiter: string, skipEmptyLines: boolean): Record[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = Buffer.from(text, "utf8");
  // Byte offsets of every `\n` (0x0a never occurs inside a multi-byte UTF-8 sequence), for offset → line.
  const newlines: number[] = [];
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) newlines.push(i);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = newlines.length; // count of newlines before `offset`, by binary search
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  // Where the record after byte `end` starts: past the blank lines csv-parse skipped (skipEmptyLines only).
  const startLine = (end: number): number => {
    let at = end;
    while (skipEmptyLines && at < bytes.length) {
      if (bytes[at] === LF) at += 1;
      else if (bytes[at] === CR && bytes[at + 1] === LF) at += 2;
      else break;
    }
    return lineAt(at);
  };
  const records: Record[] = [];
  let end = 0; // byte offset just past the last record csv-parse emitted
  try {
    parse(bytes, {
      delimiter,
      quote: '"',
      escape: '"',
      // Explicit: csv-parse's auto-detection would adopt a lone CR as the record delimiter if it came first.
      record_delimiter: ["\r\n", "\n"],
      bom: false, // dropped above, at the start only
      skip_empty_lines: skipEmptyLines,
      relax_column_count: true, // counted below, with our message and line
      relax_quotes: false,
      on_record: (fields: string[], context: { bytes: number }) => {
        records.push({ fields, line: startLine(end) });
        end = context.bytes; // past this record's delimiter
        return null; // keep nothing in csv-parse's own output array
      },
    });
  } catch (error) {
    throw toDataFormatError(error, file, startLine(end));
  }
  return records;
}

/** csv-parse's error as ours: the record's start line, what went wrong, and the way out. */
function toDataFormatError(error: unknown, file: string, line: number): Error {
  const code = (error as Partial<CsvError>).code;
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new DataFormatError(file, line, `unterminated quoted field in the record that starts here (a quote is never closed before the end of the file).`);
    case "INVALID_OPENING_QUOTE":
      return new DataFormatError(file, line, `stray double quote inside an unquoted field (record starting here); quote the whole field and double the quote ("").`);
    case "CSV_INVALID_CLOSING_QUOTE":
      return new DataFormatError(file, line, `unexpected character after a closing quote (record starting here); inside a quoted field write a quote as "".`);
    default:
      return error instanceof Error ? new DataFormatError(file, line, `${error.message} (csv-parse ${code ?? "error"}).`) : new Error(String(error));
  }
}
