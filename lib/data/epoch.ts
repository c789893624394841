/**
 * Epoch AI "Data on AI Models" (CC BY 4.0, https://epoch.ai/data/ai-models): typed records on top of `parseCsv`.
 *
 * Conventions of the download (checked on the January 2026 copy): an empty cell means unknown, numbers are written
 * as floats (`174600000000.0`, `3.14e+23`), and multi-valued cells (organisation, country, domain, task,
 * organisation category) are comma-joined inside one quoted field, one entry per organisation — so a model by two
 * US labs has country "United States of America,United States of America". Here unknown stays `null` (never 0),
 * multi-valued cells become arrays of distinct values, and a malformed number or date throws with file and line.
 */
import { join } from "node:path";
import { trimFormatWhitespace } from "../text/format-whitespace";
import { parseCsv, requireColumns } from "./csv";
import { readText } from "./decode";
import { DataFormatError } from "./errors";
import { parseNumberField } from "./number-field";
import { datasetPath, type DatasetPathOptions } from "./registry";

/** The three tables of the download. */
export type EpochTable = "notable" | "large_scale" | "frontier";

/** File name of each table inside the dataset folder. */
export const EPOCH_TABLE_FILES: Readonly<Record<EpochTable, string>> = Object.freeze({
  notable: "notable_ai_models.csv",
  large_scale: "large_scale_ai_models.csv",
  frontier: "frontier_ai_models.csv",
});

/** Coarse release status derived from `Model accessibility`. */
export type EpochAccessGroup = "Open weights" | "API or hosted only" | "Unreleased";

/** One model (one row of an Epoch table). */
export interface EpochModel {
  /** Model name, trimmed (a few names in the file end with a newline). */
  model: string;
  /** `YYYY-MM-DD`, or null when unknown. */
  publicationDate: string | null;
  /** Calendar year of `publicationDate`, or null. */
  year: number | null;
  /** Distinct organisations (empty = unknown). */
  organizations: string[];
  /** Distinct countries of the organisations (empty = unknown). */
  countries: string[];
  /** Distinct organisation categories (Industry, Academia, ...); empty when unknown or the table lacks the column. */
  organizationCategories: string[];
  /** Distinct domains (Language, Vision, ...). */
  domains: string[];
  /** Distinct tasks. */
  tasks: string[];
  /** Parameter count, or null. */
  parameters: number | null;
  /** Training compute in FLOP, or null. */
  trainingComputeFlop: number | null;
  /** `Training compute cost (2023 USD)`, or null (also null in tables without that column: large_scale). */
  trainingCostUsd2023: number | null;
  /** `Model accessibility` as written (e.g. "Open weights (non-commercial)"), or null. */
  accessibility: string | null;
  /** `accessibility` grouped: open weights (any license) / API or hosted only / unreleased; null when unknown. */
  accessGroup: EpochAccessGroup | null;
  /** `Confidence` (Confident, Likely, Speculative, Unknown), or null. */
  confidence: string | null;
  /** 1-based line of the record in its file (records span several lines). */
  line: number;
}

/** A parsed table. */
export interface EpochTableData {
  /** Which table. */
  table: EpochTable;
  /** File name or path used in messages. */
  file: string;
  /** Header of the file. */
  columns: string[];
  /** Optional columns this reader uses that the table does not have (their fields are null/empty for every row). */
  absentColumns: string[];
  /** One record per row, in file order. */
  models: EpochModel[];
}

const REQUIRED = ["Model", "Organization", "Publication date", "Domain", "Parameters", "Training compute (FLOP)",
  "Country (of organization)", "Model accessibility"] as const;
const OPTIONAL = ["Task", "Training compute cost (2023 USD)", "Confidence", "Organization categorization"] as const;

/**
 * Maps `Model accessibility` to a coarse group.
 * @param accessibility the cell, or null
 * @returns the group, null for unknown; throws on a category this reader does not know (so none is misfiled)
 */
export function epochAccessGroup(accessibility: string | null): EpochAccessGroup | null {
  if (accessibility === null) return null;
  if (accessibility.startsWith("Open weights")) return "Open weights"; // unrestricted, non-commercial, restricted use
  if (accessibility === "API access" || accessibility === "Hosted access (no API)") return "API or hosted only";
  if (accessibility === "Unreleased") return "Unreleased";
  throw new Error(`epochAccessGroup: unknown Model accessibility "${accessibility}"; add it to lib/data/epoch.ts`);
}

/** Splits a comma-joined cell into distinct trimmed values (kept here so `data/` does not depend on `stats/`). */
function distinctValues(cell: string): string[] {
  return [...new Set(cell.split(",").map(trimFormatWhitespace).filter((v) => v.length > 0))];
}

/**
 * Parses one Epoch table from text.
 * @param text the CSV content
 * @param table which table it is (decides nothing but the label)
 * @param options `file` used in error messages
 * @returns the models and the header; throws DataFormatError (file:line) on a missing column, bad number or date
 */
export function parseEpochTable(text: string, table: EpochTable, options: { file?: string } = {}): EpochTableData {
  const { file = EPOCH_TABLE_FILES[table] } = options;
  const csv = parseCsv(text, { file });
  const requiredIdx = requireColumns(csv, REQUIRED, file);
  const idx = Object.fromEntries(REQUIRED.map((name, i) => [name, requiredIdx[i]!])) as Record<(typeof REQUIRED)[number], number>;
  const optionalIdx = Object.fromEntries(OPTIONAL.map((name) => [name, csv.header.indexOf(name)])) as Record<(typeof OPTIONAL)[number], number>;
  const absentColumns = OPTIONAL.filter((name) => optionalIdx[name] < 0);

  const models = csv.rows.map((row, r): EpochModel => {
    const line = csv.rowLines[r]!;
    const cell = (i: number): string => (i < 0 ? "" : trimFormatWhitespace(row[i]!));
    const known = (i: number): string | null => (cell(i) === "" ? null : cell(i));
    const num = (i: number, column: string): number | null => {
      const raw = cell(i);
      if (raw === "") return null; // unknown stays unknown, never 0
      const value = parseNumberField(raw);
      if (value === undefined || !Number.isFinite(value)) throw new DataFormatError(file, line, `column "${column}" holds "${raw}", not a number (leave it empty when unknown).`);
      return value;
    };
    const date = known(idx["Publication date"]);
    if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      throw new DataFormatError(file, line, `"Publication date" is "${date}", not YYYY-MM-DD.`);
    }
    const accessibility = known(idx["Model accessibility"]);
    let accessGroup: EpochAccessGroup | null;
    try {
      accessGroup = epochAccessGroup(accessibility);
    } catch (e) {
      throw new DataFormatError(file, line, (e as Error).message);
    }
    return {
      model: cell(idx.Model),
      publicationDate: date,
      year: date === null ? null : Number(date.slice(0, 4)),
      organizations: distinctValues(cell(idx.Organization)),
      countries: distinctValues(cell(idx["Country (of organization)"])),
      organizationCategories: distinctValues(cell(optionalIdx["Organization categorization"])),
      domains: distinctValues(cell(idx.Domain)),
      tasks: distinctValues(cell(optionalIdx.Task)),
      parameters: num(idx.Parameters, "Parameters"),
      trainingComputeFlop: num(idx["Training compute (FLOP)"], "Training compute (FLOP)"),
      trainingCostUsd2023: num(optionalIdx["Training compute cost (2023 USD)"], "Training compute cost (2023 USD)"),
      accessibility,
      accessGroup,
      confidence: known(optionalIdx.Confidence),
      line,
    };
  });
  return { table, file, columns: csv.header, absentColumns, models };
}

/**
 * Reads one Epoch table from a folder holding the download.
 * @param dir the dataset folder (e.g. from `datasetPath("epoch_ai_models")`)
 * @param table which table
 * @returns the parsed table
 */
export async function readEpochTable(dir: string, table: EpochTable): Promise<EpochTableData> {
  const path = join(dir, EPOCH_TABLE_FILES[table]);
  return parseEpochTable(await readText(path, "utf-8"), table, { file: path });
}

/**
 * Loads one table of the registered dataset `epoch_ai_models` (verified folder from `datasetPath`: cache, mirror
 * or download).
 * @param table which table (default "notable")
 * @param options passed to `datasetPath` (cache root, mirror root, offline)
 * @returns the parsed table
 */
export async function loadEpochTable(table: EpochTable = "notable", options: DatasetPathOptions = {}): Promise<EpochTableData> {
  return readEpochTable(await datasetPath("epoch_ai_models", options), table);
}

/** Fields of `EpochModel` that can be unknown, in column order. */
export const EPOCH_UNKNOWABLE_FIELDS = ["publicationDate", "organizations", "countries", "organizationCategories", "domains", "tasks",
  "parameters", "trainingComputeFlop", "trainingCostUsd2023", "accessibility", "confidence"] as const;

/**
 * Counts unknown values per field (null, or an empty list for multi-valued fields).
 * @param models parsed models
 * @returns `{ field: count }` for every field in `EPOCH_UNKNOWABLE_FIELDS`
 */
export function countEpochUnknowns(models: readonly EpochModel[]): Record<(typeof EPOCH_UNKNOWABLE_FIELDS)[number], number> {
  const counts = Object.fromEntries(EPOCH_UNKNOWABLE_FIELDS.map((f) => [f, 0])) as Record<(typeof EPOCH_UNKNOWABLE_FIELDS)[number], number>;
  for (const m of models) {
    for (const f of EPOCH_UNKNOWABLE_FIELDS) {
      const v = m[f];
      if (v === null || (Array.isArray(v) && v.length === 0)) counts[f]++;
    }
  }
  return counts;
}
