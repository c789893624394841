/**
 * CrowS-Pairs (Nangia et al. 2020): 1,508 minimal sentence pairs, `sentMore` (more stereotypical) and `sentLess`,
 * differing only in the words that name a group, over 9 bias types. The file is read from `<dir>` (default the
 * dataset mirror's `crows_pairs/` folder; it has no registry entry yet) and checked against its SHA-256.
 *
 * Known defects of the file, handled here (see the mirror's SOURCE.md):
 * - record 1293 holds a newline inside a quoted sentence: a real CSV parser (lib/data's), and whitespace runs
 *   (the newline included) collapsed to one space before tokenising;
 * - the first column has an empty name (the row index);
 * - `annotations` and `anon_annotators` are Python literals, not JSON: not needed for scoring, so not parsed;
 * - 4 rows hold typographic characters (`’`, `é`): the curly apostrophe is mapped to `'` (the course tokeniser's
 *   vocabulary has the ASCII one), accents are left to the tokeniser's normaliser.
 * Reliability: Blodgett et al. (2021) found many pairs noisy or not minimal; read per-category results as rough,
 * and with their intervals.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsvRecords } from "../data/csv";
import { defaultMirrorRoot } from "../data/registry";

/** The file's SHA-256 (nyu-mll/crows-pairs at 8aaac11, `data/crows_pairs_anonymized.csv`). */
export const CROWS_PAIRS_SHA256 = "dfb36986ce0502abbaf7055b9176da3d08d48e07df1251991b5dfbcbceab9d0c";
/** Where the file comes from (CC BY-SA 4.0). */
export const CROWS_PAIRS_URL = "https://raw.githubusercontent.com/nyu-mll/crows-pairs/8aaac11c485473159ec9328a65253a5be9a479dc/data/crows_pairs_anonymized.csv";

/** One pair. */
export interface CrowsPair {
  id: number;
  sentMore: string;
  sentLess: string;
  /** `stereo`: sentMore states a stereotype; `antistereo`: sentLess violates one. */
  direction: "stereo" | "antistereo";
  biasType: string;
}

/** `’` → `'`, whitespace runs (newlines included) → one space, trimmed. */
function clean(s: string): string {
  return s.replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, " ").trim();
}

/**
 * Parses `crows_pairs_anonymized.csv`.
 * @param file name for error messages
 * @throws naming the file and row when a column is missing, a direction is unknown, or a sentence is empty
 */
export function parseCrowsPairs(text: string, file = "crows_pairs_anonymized.csv"): CrowsPair[] {
  const records = parseCsvRecords(text, { file, required: ["", "sent_more", "sent_less", "stereo_antistereo", "bias_type"] });
  return records.map((r, i) => {
    const direction = r["stereo_antistereo"];
    if (direction !== "stereo" && direction !== "antistereo") throw new Error(`${file}: record ${i + 1}: stereo_antistereo is ${JSON.stringify(direction)}, expected "stereo" or "antistereo"`);
    const sentMore = clean(r["sent_more"] ?? "");
    const sentLess = clean(r["sent_less"] ?? "");
    if (sentMore === "" || sentLess === "") throw new Error(`${file}: record ${i + 1}: an empty sentence`);
    return { id: Number(r[""]), sentMore, sentLess, direction, biasType: r["bias_type"] ?? "" };
  });
}

/**
 * Loads CrowS-Pairs from the mirror (`$COURSE_DATA_MIRROR/crows_pairs`), checking the SHA-256; a `dir` you pass
 * (your own copy, a fixture) is read as is, like lib/data's `dir` option.
 * @throws when the file is missing (naming where it looked and the URL) or its checksum differs
 */
export function loadCrowsPairs(options: { dir?: string } = {}): CrowsPair[] {
  const root = defaultMirrorRoot();
  const dir = options.dir ?? (root === null ? undefined : join(root, "crows_pairs"));
  const path = dir === undefined ? undefined : join(dir, "crows_pairs_anonymized.csv");
  if (path === undefined || !existsSync(path)) throw new Error(`CrowS-Pairs: ${path ?? "no dataset mirror"} not found; download ${CROWS_PAIRS_URL} into a folder and pass { dir }, or set COURSE_DATA_MIRROR`);
  const bytes = readFileSync(path);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (options.dir === undefined && sha !== CROWS_PAIRS_SHA256) throw new Error(`${path}: SHA-256 ${sha}, expected ${CROWS_PAIRS_SHA256}; download it again from ${CROWS_PAIRS_URL}`);
  return parseCrowsPairs(new TextDecoder("utf-8", { fatal: true }).decode(bytes), path);
}
