/**
 * One error type for everything that reads data: it carries the file and the 1-based line, so a message reads
 * `train.csv:17: unterminated quoted field (opened at line 12). Check ...` and tests can assert on the place.
 */
export class DataFormatError extends Error {
  /** The file (path or display name) that holds the bad input. */
  readonly file: string;
  /** 1-based physical line of the problem; 0 when the problem is the whole file (empty, undecodable). */
  readonly line: number;

  /**
   * @param file where the bad input lives (path or display name)
   * @param line 1-based line number, or 0 for "the whole file"
   * @param message what is wrong and, where possible, the way out
   */
  constructor(file: string, line: number, message: string) {
    super(`${line > 0 ? `${file}:${line}` : file}: ${message}`);
    this.name = "DataFormatError";
    this.file = file;
    this.line = line;
  }
}
