/**
 * What a fine-tuning run leaves on disk, each file written to a temp name and renamed (a crash never leaves
 * half a file): `metrics.json`, `predictions.jsonl` (one test example per line), and for tagging tasks
 * `predictions.conll` — conlleval's input: one `token gold predicted` line per token, a blank line between
 * sentences.
 */
import { mkdirSync } from "node:fs";
import { writeFileAtomic } from "../core/atomic";
import { join } from "node:path";


/** One test sentence of a tagging task. */
export interface TaggedPrediction {
  words: string[];
  gold: string[];
  predicted: string[];
}

/**
 * conlleval's input format.
 * @throws when a sentence's arrays differ in length or a token contains an ASCII space, tab or line break (it
 *   would shift columns)
 */
export function toConll(sentences: readonly TaggedPrediction[]): string {
  const blocks = sentences.map((s, i) => {
    if (s.gold.length !== s.words.length || s.predicted.length !== s.words.length) throw new Error(`toConll: sentence ${i} has ${s.words.length} words, ${s.gold.length} gold and ${s.predicted.length} predicted tags`);
    return s.words
      .map((w, k) => {
        // The columns are separated by ASCII spaces (what parseConll splits on); U+00A0 and friends are data.
        if (/[ \t\r\n]/.test(w) || w === "") throw new Error(`toConll: sentence ${i}, word ${k} ${JSON.stringify(w)} is empty or holds a space, tab or line break`);
        return `${w} ${s.gold[k]} ${s.predicted[k]}\n`;
      })
      .join("");
  });
  return blocks.join("\n");
}

/** Writes the run's files into `dir` (created if missing). */
export function writeRunFiles(dir: string, files: { metrics: object; predictions: readonly object[]; conll?: readonly TaggedPrediction[] }): string[] {
  mkdirSync(dir, { recursive: true });
  const written = [join(dir, "predictions.jsonl"), join(dir, "metrics.json")];
  writeFileAtomic(written[0] as string, files.predictions.map((p) => `${JSON.stringify(p)}\n`).join(""));
  if (files.conll !== undefined) {
    const conll = join(dir, "predictions.conll");
    writeFileAtomic(conll, toConll(files.conll));
    written.splice(1, 0, conll);
  }
  // metrics.json last: its presence means the run finished (bench/finetune-all.ts skips such tasks).
  writeFileAtomic(written.at(-1) as string, JSON.stringify(files.metrics, null, 2) + "\n");
  return written;
}
