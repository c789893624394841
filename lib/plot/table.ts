/**
 * Tables for notebooks: plain records or a danfo DataFrame → an HTML table (and a text rendering).
 */
import { displayBundle } from "./display";
import { escapeHtml } from "./html";

/** The part of a danfo `DataFrame` a table needs (duck-typed, so plots never load danfo/tfjs themselves). */
export interface FrameLike {
  columns: string[];
  values: unknown[] | unknown[][];
}

export interface TableOptions {
  caption?: string;
  /** Rows shown; the rest are counted in a footer (default 20). */
  maxRows?: number;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
}

function isFrame(data: unknown): data is FrameLike {
  return typeof data === "object" && data !== null && !Array.isArray(data) && "columns" in data && "values" in data;
}

/** Rows of cells from records (union of keys, first-seen order) or a DataFrame. */
export function tableCells(data: Record<string, unknown>[] | FrameLike): { columns: string[]; rows: unknown[][] } {
  if (isFrame(data)) {
    const rows = data.values.map((row) => (Array.isArray(row) ? row : [row]));
    return { columns: data.columns.map(String), rows };
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const record of data) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { columns, rows: data.map((record) => columns.map((c) => record[c])) };
}

/** A number that is not finite, in words (an interval with no upper bound says so, not "Infinity"). */
function nonFinite(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "∞ (no bound)" : "−∞ (no bound)";
}

/**
 * One value as text, on its own: integers below 1e9 as is, other numbers to `digits` significant digits,
 * ±Infinity in words, null/undefined as "—". Tables format whole columns alike instead (`columnFormat`).
 */
export function formatCell(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return nonFinite(value);
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs >= 1e6 || abs < 1e-3) ? value.toExponential(digits - 1) : String(Number(value.toPrecision(digits)));
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * The formatter of one column, so its numbers line up when right-aligned: integers (below 1e9) as they are;
 * otherwise one number of decimals for the whole column, enough for `digits` significant digits of its largest
 * value; scientific notation for the whole column when its values are ≥ 1e6, all below 1e-3, or some would
 * round to 0 (p-values). Non-numbers go through `formatCell`.
 * @param values the column's cells
 */
export function columnFormat(values: readonly unknown[], digits = 4): (value: unknown) => string {
  const numbers = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (numbers.every((v) => Number.isInteger(v) && Math.abs(v) < 1e9)) return (v) => formatCell(v, digits);
  const magnitudes = numbers.map(Math.abs).filter((v) => v > 0);
  const largest = Math.max(0, ...magnitudes);
  const smallest = Math.min(Infinity, ...magnitudes);
  const decimals = largest === 0 ? 0 : Math.max(0, digits - 1 - Math.floor(Math.log10(largest)));
  const scientific = largest >= 1e6 || largest < 1e-3 || smallest < 0.5 * 10 ** -decimals;
  return (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return formatCell(v, digits);
    return scientific ? v.toExponential(digits - 1) : v.toFixed(decimals);
  };
}

/** A confidence interval in words: "4.1 – 13.5", or "12.3 – ∞ (no upper bound)" when it has none. */
export function formatInterval(interval: readonly [number, number], decimals = 1): string {
  const end = (v: number, side: string) => (Number.isFinite(v) ? v.toFixed(decimals) : `${v > 0 ? "∞" : "−∞"} (no ${side} bound)`);
  return `${end(interval[0], "lower")} – ${end(interval[1], "upper")}`;
}

/** The cells as text, each column formatted alike, and which columns are numeric (right-aligned). */
function formattedCells(rows: unknown[][], columns: string[], digits: number): { text: string[][]; numeric: boolean[] } {
  const formats = columns.map((_, j) => columnFormat(rows.map((row) => row[j]), digits));
  const numeric = columns.map((_, j) => {
    const present = rows.map((row) => row[j]).filter((v) => v !== null && v !== undefined);
    return present.length > 0 && present.every((v) => typeof v === "number");
  });
  return { text: rows.map((row) => columns.map((_, j) => formats[j]!(row[j]))), numeric };
}

const RIGHT = "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap";

/** The table as HTML: numeric columns right-aligned (header too) in tabular figures, each column in one format. */
export function tableHtml(data: Record<string, unknown>[] | FrameLike, options: TableOptions = {}): string {
  const { caption, maxRows = 20, digits = 4 } = options;
  const { columns, rows } = tableCells(data);
  const shown = rows.slice(0, maxRows);
  const { text, numeric } = formattedCells(shown, columns, digits);
  const align = (j: number) => (numeric[j] ? RIGHT : "text-align:left");
  const head = columns.map((c, j) => `<th style="${align(j)}">${escapeHtml(c)}</th>`).join("");
  const body = text
    .map((row) => `<tr>${row.map((cell, j) => `<td style="${align(j)}">${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  const more = rows.length > shown.length ? `<tr><td colspan="${columns.length}">… ${rows.length - shown.length} more rows (${rows.length} in all)</td></tr>` : "";
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<table class="course-table">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}${more}</tbody></table>`;
}

/** The table as aligned plain text (for terminals and the `text/plain` fallback); numbers right-aligned. */
export function tableText(data: Record<string, unknown>[] | FrameLike, options: TableOptions = {}): string {
  const { caption, maxRows = 20, digits = 4 } = options;
  const { columns, rows } = tableCells(data);
  const { text, numeric } = formattedCells(rows.slice(0, maxRows), columns, digits);
  const cells = [columns, ...text];
  const widths = columns.map((_, j) => Math.max(...cells.map((row) => (row[j] ?? "").length)));
  const lines = cells.map((row) => row.map((cell, j) => (numeric[j] ? cell.padStart(widths[j] ?? 0) : cell.padEnd(widths[j] ?? 0))).join("  ").trimEnd());
  if (rows.length > maxRows) lines.push(`… ${rows.length - maxRows} more rows (${rows.length} in all)`);
  return [...(caption ? [caption] : []), ...lines].join("\n");
}

/** Shows a table in the notebook (`tableHtml` / `tableText` build it without showing it). */
export function showTable(data: Record<string, unknown>[] | FrameLike, options: TableOptions = {}): void {
  displayBundle({ "text/html": tableHtml(data, options), "text/plain": tableText(data, options) });
}
