/**
 * Dated news headlines for the sentiment monitor: the mirror's `financial_news_headlines` (CNBC + Guardian Business,
 * Dec 2017 – Jul 2020; see its SOURCE.md) or any CSV with a date and a headline column. The files' date quirks are
 * repaired here, each repair counted so a notebook can show it:
 *   - CNBC `" 7:51  PM ET Fri, 17 July 2020"`: leading space, two spaces before AM/PM, US Eastern time, the month
 *     full or abbreviated, and the non-standard `Sept` (read as `Sep`). The day is the ET calendar day as written.
 *   - Guardian `18-Jul-20` (`%d-%b-%y`, 20xx). 40 rows hold only a month (`Jul-18`, `Apr-18`); they sit between the
 *     2nd of that month and the last day of the month before, so by default they become the 1st (`monthOnly`
 *     `"first-of-month"`); `"drop"` drops them, `"error"` refuses them.
 *   - CNBC's 280 empty records (`,,`) are dropped; Guardian series kickers (`"Nils Pratley on finance \n\n\n
 *     Centrica …"`) are cut to the last line, the headline.
 * Any other date that does not parse is a `DataFormatError` naming the file and line.
 */
import { parseCsv } from "../data/csv";
import { DataFormatError } from "../data/errors";
import { datasetDir, readDatasetFile, type LoadOptions } from "../data/files";

/** One dated headline. */
export interface Headline {
  /** Calendar day, `YYYY-MM-DD` (ET for CNBC, as published). */
  date: string;
  /** The headline text (kicker removed). */
  text: string;
  /** Where it came from, e.g. `cnbc`, `guardian` or the CSV's file name. */
  source: string;
  /** 1-based line of the record in its file. */
  line: number;
}

/** What `monthOnly` does with a row that has only a month (`Jul-18`). */
export type MonthOnlyPolicy = "first-of-month" | "drop" | "error";

/** Counts of every repair made while reading (shown by the notebook and `course monitor`). */
export interface HeadlineRepairs {
  /** Empty records dropped (CNBC's scraper gaps). */
  emptyDropped: number;
  /** Month-only dates set to the 1st of the month. */
  monthOnlyRepaired: number;
  /** Month-only rows dropped (`monthOnly: "drop"`). */
  monthOnlyDropped: number;
  /** `Sept` read as `Sep`. */
  septRepaired: number;
  /** Series kickers cut off (multi-line Guardian headlines). */
  kickersStripped: number;
}

/** Options of {@link parseHeadlinesCsv} and {@link loadFinancialHeadlines}. */
export interface HeadlineOptions {
  /** File name used in errors and as `source` (default `<csv>`). */
  file?: string;
  /** Rows with only a month (default `"first-of-month"`). */
  monthOnly?: MonthOnlyPolicy;
  /** `source` of every row (default: `cnbc` / `guardian` for those files' headers, else `file`'s base name). */
  source?: string;
}

const MONTHS: Readonly<Record<string, number>> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const FULL_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  const full = FULL_MONTHS.indexOf(lower);
  if (full >= 0) return full + 1;
  return lower.length === 3 ? MONTHS[lower] : undefined;
}

function isoDay(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined; // 31-Feb
  return d.toISOString().slice(0, 10);
}

/** A parsed date field: a day, a month only, or nothing recognisable. */
export type ParsedHeadlineDate = { kind: "day"; date: string; sept: boolean } | { kind: "month"; month: string } | { kind: "invalid" };

/**
 * Reads one date field in any of the formats above, or ISO `YYYY-MM-DD` (a time after it is ignored).
 * @returns `day` with the ISO date (and whether `Sept` was repaired), `month` (`YYYY-MM`) or `invalid`
 */
export function parseHeadlineDate(raw: string): ParsedHeadlineDate {
  const s = raw.replace(/\s+/g, " ").trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  if (m) {
    const date = isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
    return date === undefined ? { kind: "invalid" } : { kind: "day", date, sept: false };
  }
  m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2})$/.exec(s); // Guardian 18-Jul-20
  if (m) {
    const month = monthNumber(m[2] as string);
    const date = month === undefined ? undefined : isoDay(2000 + Number(m[3]), month, Number(m[1]));
    return date === undefined ? { kind: "invalid" } : { kind: "day", date, sept: false };
  }
  m = /^([A-Za-z]{3})-(\d{2})$/.exec(s); // Guardian month-only Jul-18
  if (m) {
    const month = monthNumber(m[1] as string);
    return month === undefined ? { kind: "invalid" } : { kind: "month", month: `${2000 + Number(m[2])}-${String(month).padStart(2, "0")}` };
  }
  // CNBC "7:51 PM ET Fri, 17 July 2020" (spaces already collapsed); the time and weekday are not needed for a day.
  m = /^\d{1,2}:\d{2} ?[AP]M(?: [A-Z]{2,4})? [A-Za-z]{3,9}, (\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$/.exec(s);
  if (m) {
    const name = m[2] as string;
    const sept = name.toLowerCase() === "sept";
    const month = monthNumber(sept ? "sep" : name);
    const date = month === undefined ? undefined : isoDay(Number(m[3]), month, Number(m[1]));
    return date === undefined ? { kind: "invalid" } : { kind: "day", date, sept };
  }
  return { kind: "invalid" };
}

/** The columns of the formats we read: CNBC (`Headlines,Time,Description`), Guardian (`Time,Headlines`), generic (`date,headline`). */
function columnsOf(header: readonly string[], file: string): { date: number; text: number; source?: string } {
  const lower = header.map((h) => h.trim().toLowerCase());
  const find = (...names: string[]) => lower.findIndex((h) => names.includes(h));
  const date = find("time", "date", "day", "published");
  const text = find("headlines", "headline", "title", "text");
  if (date < 0 || text < 0) throw new DataFormatError(file, 1, `expected a date column (Time, date, day or published) and a headline column (Headlines, headline, title or text); the header is ${header.map((h) => `"${h}"`).join(", ")}.`);
  const source = lower.join() === "headlines,time,description" ? "cnbc" : lower.join() === "time,headlines" ? "guardian" : undefined;
  return { date, text, source };
}

/**
 * Parses a headlines CSV (see the file comment for the formats and repairs).
 * @returns the headlines in file order and the repair counts
 * @throws DataFormatError (file:line) for an unknown header, an unreadable date, or a month-only date under `monthOnly: "error"`
 */
export function parseHeadlinesCsv(text: string, options: HeadlineOptions = {}): { headlines: Headline[]; repairs: HeadlineRepairs } {
  const { file = "<csv>", monthOnly = "first-of-month" } = options;
  const table = parseCsv(text, { file });
  const cols = columnsOf(table.header, file);
  const source = options.source ?? cols.source ?? (file.split("/").pop() as string).replace(/\.csv$/i, "");
  const repairs: HeadlineRepairs = { emptyDropped: 0, monthOnlyRepaired: 0, monthOnlyDropped: 0, septRepaired: 0, kickersStripped: 0 };
  const headlines: Headline[] = [];
  table.rows.forEach((row, r) => {
    const line = table.rowLines[r] as number;
    if (row.every((f) => f.trim() === "")) {
      repairs.emptyDropped++;
      return;
    }
    const rawDate = row[cols.date] as string;
    const parts = (row[cols.text] as string).trim().split(/\s*\n\s*/);
    if (parts.length > 1) repairs.kickersStripped++;
    const headline = (parts[parts.length - 1] as string).trim();
    if (headline === "") throw new DataFormatError(file, line, `the headline is empty (date ${JSON.stringify(rawDate)}); remove the row or fill it in.`);
    const parsed = parseHeadlineDate(rawDate);
    if (parsed.kind === "invalid") throw new DataFormatError(file, line, `cannot read the date ${JSON.stringify(rawDate)}; expected YYYY-MM-DD, 18-Jul-20, or CNBC's "7:51 PM ET Fri, 17 July 2020".`);
    let date: string;
    if (parsed.kind === "month") {
      if (monthOnly === "error") throw new DataFormatError(file, line, `the date ${JSON.stringify(rawDate)} has no day; pass monthOnly "first-of-month" (the 1st) or "drop".`);
      if (monthOnly === "drop") {
        repairs.monthOnlyDropped++;
        return;
      }
      repairs.monthOnlyRepaired++;
      date = `${parsed.month}-01`;
    } else {
      if (parsed.sept) repairs.septRepaired++;
      date = parsed.date;
    }
    headlines.push({ date, text: headline, source, line });
  });
  return { headlines, repairs };
}

/** The registry name of the CNBC + Guardian headlines. */
export const FINANCIAL_HEADLINES_DATASET = "financial_news_headlines";

/**
 * Both files of `financial_news_headlines`, repaired, sorted by date (stable: within a day, CNBC first, file order).
 * @returns headlines and the summed repair counts
 */
export async function loadFinancialHeadlines(options: LoadOptions & Pick<HeadlineOptions, "monthOnly"> = {}): Promise<{ headlines: Headline[]; repairs: HeadlineRepairs }> {
  const { monthOnly, ...load } = options;
  const dir = await datasetDir(FINANCIAL_HEADLINES_DATASET, load);
  const all: Headline[] = [];
  const repairs: HeadlineRepairs = { emptyDropped: 0, monthOnlyRepaired: 0, monthOnlyDropped: 0, septRepaired: 0, kickersStripped: 0 };
  for (const [path, source] of [["cnbc_headlines.csv", "cnbc"], ["guardian_headlines.csv", "guardian"]] as const) {
    const text = await readDatasetFile(FINANCIAL_HEADLINES_DATASET, dir, path);
    const parsed = parseHeadlinesCsv(text, { file: `${dir}/${path}`, monthOnly, source });
    all.push(...parsed.headlines);
    for (const k of Object.keys(repairs) as (keyof HeadlineRepairs)[]) repairs[k] += parsed.repairs[k];
  }
  const order = all.map((h, i) => ({ h, i }));
  order.sort((a, b) => (a.h.date < b.h.date ? -1 : a.h.date > b.h.date ? 1 : a.i - b.i));
  return { headlines: order.map((o) => o.h), repairs };
}
