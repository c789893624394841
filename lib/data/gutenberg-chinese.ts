/**
 * `gutenberg_chinese`: Project Gutenberg's four great classical novels as their source text files — Traditional
 * characters, UTF-8, LF, hard-wrapped at about 35 full-width characters, no PG header or license, but a stray
 * `End of ... Project Gutenberg ...` footer line in three of them (`gutenberg_chinese/SOURCE.md`).
 * Paragraphs start on a blank line or on an indented line (`　　` or ASCII spaces); wrapped lines are re-joined
 * with NO space (Chinese has none between words); chapter headings `第…回` stay paragraphs of their own and the
 * `-----` rules under them are dropped.
 */
import { toSimplified, type ChineseScript } from "../text/chinese-script";
import { splitLines } from "./decode";
import { DataFormatError } from "./errors";
import { datasetDir, readDatasetFile, type LoadOptions } from "./files";
import { datasetSpec } from "./manifest";

/** One novel. */
export interface ChineseNovel {
  /** File name, e.g. `24264-0.txt`. */
  file: string;
  paragraphs: string[];
}

const HEADING = /^第[零一二三四五六七八九十百〇]+回/;
const RULE = /^-{3,}\s*$/;
const FOOTER = /Project Gutenberg/i;
const INDENT = /^[\u3000 \t]/;

/**
 * Splits one novel's text into paragraphs (see the file comment).
 * @throws DataFormatError naming the file when no paragraph is found
 */
export function parseChineseNovel(text: string, options: { file?: string } = {}): ChineseNovel {
  const { file = "<novel>" } = options;
  const paragraphs: string[] = [];
  let current = "";
  const flush = () => {
    if (current !== "") paragraphs.push(current);
    current = "";
  };
  for (const line of splitLines(text)) {
    const body = line.replace(/^[\u3000\s]+|[\u3000\s]+$/g, "");
    if (body === "" || RULE.test(body) || (FOOTER.test(body) && /^End of/i.test(body))) {
      flush();
      continue;
    }
    if (HEADING.test(body)) {
      flush();
      paragraphs.push(body);
      continue;
    }
    if (INDENT.test(line)) flush();
    current += body;
  }
  flush();
  if (paragraphs.length === 0) throw new DataFormatError(file, 0, "no paragraph of text; is this a gutenberg_chinese novel?");
  return { file, paragraphs };
}

/**
 * The four novels of `gutenberg_chinese`, as paragraphs.
 * @param options `script`: "simplified" (default; OpenCC Traditional → Simplified, to match TNEWS and EPRSTMT) or
 * "original" (Traditional, as the files are), plus where to find the files
 */
export async function loadGutenbergChinese(options: LoadOptions & { script?: ChineseScript } = {}): Promise<ChineseNovel[]> {
  const { script = "simplified", ...load } = options;
  const name = "gutenberg_chinese";
  const dir = await datasetDir(name, load);
  const novels: ChineseNovel[] = [];
  for (const { path } of datasetSpec(name).files) {
    if (!path.endsWith("-0.txt")) continue; // LICENSE.txt
    const novel = parseChineseNovel(await readDatasetFile(name, dir, path), { file: `${dir}/${path}` });
    novels.push({ file: path, paragraphs: script === "simplified" ? novel.paragraphs.map(toSimplified) : novel.paragraphs });
  }
  return novels;
}
