/**
 * A verbalizer (PET, Schick & Schütze 2021, §3): one vocabulary word per label, so a class is scored by how likely
 * the masked language model finds its word at the `[MASK]` of the prompt. Each word must be ONE token of the
 * tokenizer (not `[UNK]`, not split into pieces): the MLM head predicts one token per position.
 * Plain arrays in and out, no tensors.
 */
import type { BertTokenizer } from "../text/tokenizer";

/** Label → word, e.g. `{ negative: "bad", positive: "good" }`, or one word per label in label order. */
export type VerbalizerWords = Readonly<Record<string, string>> | readonly string[];

/** A validated verbalizer: for each label (in the task's label order) its word and its token id. */
export interface Verbalizer {
  labels: string[];
  words: string[];
  /** `[C]` vocabulary ids, one per label. */
  tokenIds: number[];
}

/**
 * Checks `words` against `tokenizer` and `labels` and returns the token id of each label's word.
 * @param labels the task's labels, in class-id order
 * @throws naming the label and word when a label has no word, a word splits into several tokens or is unknown,
 *   or two labels share a token — with the pieces it became, so the way out (pick a more frequent word) is clear
 */
export function buildVerbalizer(tokenizer: BertTokenizer, labels: readonly string[], words: VerbalizerWords): Verbalizer {
  const list = Array.isArray(words) ? [...(words as readonly string[])] : labels.map((l) => (words as Readonly<Record<string, string>>)[l]);
  if (list.length !== labels.length) throw new Error(`verbalizer: ${list.length} words for ${labels.length} labels (${labels.join(", ")}); give one word per label`);
  if (!Array.isArray(words)) {
    const extra = Object.keys(words).filter((k) => !labels.includes(k));
    if (extra.length > 0) throw new Error(`verbalizer: ${extra.map((k) => `"${k}"`).join(", ")} not among the labels (${labels.join(", ")})`);
  }
  const tokenIds = list.map((word, c) => {
    const label = labels[c] as string;
    if (word === undefined || word.trim() === "") throw new Error(`verbalizer: label "${label}" has no word; map every label to one vocabulary word`);
    const pieces = tokenizer.tokenize(word);
    const id = pieces.length === 1 ? tokenizer.tokenToId(pieces[0] as string) : undefined;
    if (id === undefined || id === tokenizer.model.unkId) {
      const why = pieces.length === 1 ? `is unknown (${tokenizer.model.unkToken})` : `is ${pieces.length} tokens [${pieces.join(" ")}]`;
      throw new Error(`verbalizer: the word "${word}" of label "${label}" ${why} for this tokenizer; the MLM head predicts ONE token at [MASK], so pick a word that is a single vocabulary entry`);
    }
    return id;
  });
  const seen = new Map<number, string>();
  tokenIds.forEach((id, c) => {
    const other = seen.get(id);
    if (other !== undefined) throw new Error(`verbalizer: labels "${other}" and "${labels[c]}" map to the same token "${tokenizer.idToToken(id)}"; give each label its own word`);
    seen.set(id, labels[c] as string);
  });
  return { labels: [...labels], words: list as string[], tokenIds };
}
