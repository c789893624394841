/**
 * CrowS-Pairs (Nangia et al. 2020): 1,508 minimal sentence pairs, `sentMore` (more stereotypical) and `sentLess`,
 * differing only in the words that name a group, over 9 bias types. The file comes through the dataset registry
 * (`crows_pairs` in data/datasets.json: cache → mirror → download, checked against its SHA-256).
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
import { join } from "node:path";
import { parseCsvRecords } from "../data/csv";
import { datasetDir, readDatasetFile, type LoadOptions } from "../data/files";

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
 * Loads CrowS-Pairs through the dataset registry (`crows_pairs`), or from `options.dir` (your own copy, a fixture),
 * like every `lib/data` loader.
 * @throws the registry's errors (offline without a mirror: the URL and the path to put it at); DataFormatError for a
 *   malformed record
 */
export async function loadCrowsPairs(options: LoadOptions = {}): Promise<CrowsPair[]> {
  const dir = await datasetDir("crows_pairs", options);
  return parseCrowsPairs(await readDatasetFile("crows_pairs", dir, "crows_pairs_anonymized.csv"), join(dir, "crows_pairs_anonymized.csv"));
}
