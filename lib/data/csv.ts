/**
 * An RFC 4180 CSV parser that reports line numbers.
 *
 * Spec (RFC 4180 §2, plus what real files do): records end at CRLF or LF; a field may be wrapped in double
 * quotes, and then it may hold the delimiter, CR/LF (a record can span many physical lines) and `""` (one quote).
 * A quote inside an unquoted field, or text after a closing quote, is an error — guessing there silently shifts
 * columns. A leading BOM is dropped. Every record must have as many fields as the header.
 */
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

/** The state machine: one pass over the characters, tracking the physical line. */
function tokenize(input: string, file: string, delimiter: string, skipEmptyLines: boolean): Record[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: Record[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1; // current physical line
  let recordLine = 1; // line where the current record started
  let i = 0;
  const n = text.length;
  // `atFieldStart`: nothing read yet for this field; `quoted`: field was quoted and its closing quote is read.
  let atFieldStart = true;
  let quoted = false;

  const endRecord = (): void => {
    fields.push(field);
    const empty = fields.length === 1 && fields[0] === "" && !quoted;
    if (!(empty && skipEmptyLines)) records.push({ fields, line: recordLine });
    fields = [];
    field = "";
    atFieldStart = true;
    quoted = false;
  };

  while (i < n) {
    const c = text[i] as string;
    if (atFieldStart && c === '"') {
      // Quoted field: read to the closing quote; `""` is a literal quote; newlines are content.
      const openLine = line;
      i++;
      let chunkStart = i;
      for (;;) {
        if (i >= n) {
          throw new DataFormatError(file, openLine, `unterminated quoted field (the quote opened here is never closed before the end of the file).`);
        }
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += text.slice(chunkStart, i + 1);
            i += 2;
            chunkStart = i;
            continue;
          }
          field += text.slice(chunkStart, i);
          i++;
          break;
        }
        if (q === "\n") line++;
        i++;
      }
      atFieldStart = false;
      quoted = true;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== "\n" && next !== "\r") {
        throw new DataFormatError(file, line, `unexpected ${JSON.stringify(next)} after a closing quote; inside a quoted field write a quote as "".`);
      }
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = "";
      atFieldStart = true;
      quoted = false;
      i++;
      continue;
    }
    if (c === "\r" && text[i + 1] === "\n") i++; // CRLF: fall through to the LF
    if (c === "\n" || (c === "\r" && text[i] === "\n")) {
      endRecord();
      i++;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') {
      throw new DataFormatError(file, line, `stray double quote inside an unquoted field; quote the whole field and double the quote ("").`);
    }
    if (quoted) {
      throw new DataFormatError(file, line, `unexpected ${JSON.stringify(c)} after a closing quote.`);
    }
    // Unquoted run: copy up to the next delimiter, quote or line break in one slice.
    let j = i;
    while (j < n) {
      const d = text[j];
      if (d === delimiter || d === "\n" || d === "\r" || d === '"') break;
      j++;
    }
    if (j === i) {
      // A lone CR (not CRLF) is kept as content: old Mac line ends are not in any of our files.
      field += c;
      i++;
    } else {
      field += text.slice(i, j);
      i = j;
    }
    atFieldStart = false;
  }
  // Last record without a final newline.
  if (!atFieldStart || fields.length > 0 || field !== "" || quoted) endRecord();
  return records;
}
