/**
 * Traditional → Simplified Chinese with OpenCC (`opencc-js`, the JavaScript port of Open Chinese Convert: phrase
 * dictionaries first, then characters, so 乾淨 → 干净 but 乾隆 stays). The course's Chinese tasks (TNEWS, EPRSTMT)
 * are Simplified while Project Gutenberg's classical novels are Traditional; one script gives one vocabulary entry
 * per character instead of two.
 */
/** Which script Chinese text is given in: converted to `simplified`, or left as the source wrote it. */
export type ChineseScript = "simplified" | "original";

let converter: ((text: string) => string) | undefined;

/**
 * `text` with Traditional characters and phrases replaced by Mainland Simplified ones (OpenCC `t` → `cn`);
 * other text (Latin letters, punctuation, already-simplified characters) passes through unchanged.
 */
export function toSimplified(text: string): string {
  // opencc-js declares ESM types; its `require` entry is the UMD build, loaded lazily (only corpus building needs it).
  const opencc = require("opencc-js/t2cn") as { Converter(options: { from: "t"; to: "cn" }): (text: string) => string };
  converter ??= opencc.Converter({ from: "t", to: "cn" }); // builds its dictionary tries once (~0.1 s)
  return converter(text);
}
