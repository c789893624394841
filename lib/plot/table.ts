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

/** One cell as text: integers below 1e9 as is, other numbers to `digits` significant digits, null/undefined as "—". */
export function formatCell(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs >= 1e6 || abs < 1e-3) ? value.toExponential(digits - 1) : String(Number(value.toPrecision(digits)));
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The table as HTML (numbers right-aligned). */
export function tableHtml(data: Record<string, unknown>[] | FrameLike, options: TableOptions = {}): string {
  const { caption, maxRows = 20, digits = 4 } = options;
  const { columns, rows } = tableCells(data);
  const shown = rows.slice(0, maxRows);
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = shown
    .map((row) => {
      const cells = row.map((v) => `<td style="text-align:${typeof v === "number" ? "right" : "left"}">${escapeHtml(formatCell(v, digits))}</td>`);
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("\n");
  const more = rows.length > shown.length ? `<tr><td colspan="${columns.length}">… ${rows.length - shown.length} more rows (${rows.length} in all)</td></tr>` : "";
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<table class="course-table">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}${more}</tbody></table>`;
}

/** The table as aligned plain text (for terminals and the `text/plain` fallback). */
export function tableText(data: Record<string, unknown>[] | FrameLike, options: TableOptions = {}): string {
  const { caption, maxRows = 20, digits = 4 } = options;
  const { columns, rows } = tableCells(data);
  const cells = [columns, ...rows.slice(0, maxRows).map((row) => row.map((v) => formatCell(v, digits)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((row) => (row[j] ?? "").length)));
  const lines = cells.map((row) => row.map((cell, j) => cell.padEnd(widths[j] ?? 0)).join("  ").trimEnd());
  if (rows.length > maxRows) lines.push(`… ${rows.length - maxRows} more rows (${rows.length} in all)`);
  return [...(caption ? [caption] : []), ...lines].join("\n");
}

/** Shows a table in the notebook (`tableHtml` / `tableText` build it without showing it). */
export function showTable(data: Record<string, unknown>[] | FrameLike, options: TableOptions = {}): void {
  displayBundle({ "text/html": tableHtml(data, options), "text/plain": tableText(data, options) });
}
