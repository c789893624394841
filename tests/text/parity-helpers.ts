/**
 * Shared by the parity tests and bench/tokenizer-parity.ts: load a saved tokenizer folder with the two reference
 * implementations (Rust `tokenizers`, transformers.js offline) and compare encodings.
 */
import { basename, dirname } from "node:path";
import { Tokenizer as HfTokenizer } from "tokenizers";

/** HF's Node binding reports offsets in code points; ours are UTF-16 indices. Converts HF → UTF-16. */
export function codePointOffsetsToUtf16(text: string, offsets: number[][]): [number, number][] {
  const utf16At: number[] = [];
  let unit = 0;
  for (const ch of text) {
    utf16At.push(unit);
    unit += ch.length;
  }
  utf16At.push(unit);
  return offsets.map(([a, b]) => [utf16At[a!]!, utf16At[b!]!]);
}

/** The Rust tokenizer from `dir/tokenizer.json`. */
export function loadRust(dir: string): HfTokenizer {
  return HfTokenizer.fromFile(`${dir}/tokenizer.json`);
}

/** transformers.js' `AutoTokenizer` from the folder, offline. */
export async function loadTransformersJs(dir: string): Promise<(text: string) => number[]> {
  // ESM-only package: dynamic import. Its types are loose, hence the `any`s below.
  const transformers = await import("@xenova/transformers");
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = `${dirname(dir)}/`;
  const tokenizer = await transformers.AutoTokenizer.from_pretrained(basename(dir));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- transformers.js returns untyped token id arrays
  return (text: string) => (tokenizer.encode(text) as any[]).map(Number);
}
