/**
 * Word labels → sub-token labels for token classification (NER), Hugging Face's convention
 * (`run_ner.py`, `tokenize_and_align_labels`): a word split into several WordPiece tokens keeps its label on
 * its FIRST sub-token only; the other sub-tokens, `[CLS]`, `[SEP]` and padding get −100, which the loss skips.
 * At prediction time we read each word's tag off the same first sub-token, so one word = one decision.
 *
 *   words     EU      rejects   German          call
 *   tokens    [CLS] eu  rejects  german  ##s?   ...  [SEP]
 *   word ids  null  0   1        2       2      ...  null
 *   labels    −100  B   O        B-MISC  −100   ...  −100
 *
 * Plain arrays in and out (no tensors).
 */
import { IGNORE_INDEX } from "../nn/loss";
import type { BertTokenizer } from "../text/tokenizer";

/** A pre-split sentence encoded for token classification. */
export interface WordEncoding {
  /** Vocabulary ids, `[CLS]` … `[SEP]`. */
  inputIds: number[];
  /** Token strings (`##` on continuations). */
  tokens: string[];
  /** For each token, the index of the word it came from; null for `[CLS]`/`[SEP]`. */
  wordIds: (number | null)[];
  /** Words that did not fit in `maxLength` (their tags are predicted as "O"). */
  truncatedWords: number;
}

/**
 * Encodes a sentence that is already split into words (CoNLL tokens), like HF's `is_split_into_words=True`:
 * each word is normalised and WordPiece-tokenised on its own, so `wordIds` index `words` even when BERT's
 * pre-tokeniser would split a word further (`U.S.` → `u . s .`: four pieces, all word 0).
 * A word that yields no pieces (only control characters) gets none and is predicted "O".
 * @param options maxLength: longest encoding, `[CLS]`/`[SEP]` included (whole words are dropped from the end)
 */
export function encodeWords(tokenizer: BertTokenizer, words: readonly string[], options: { maxLength?: number } = {}): WordEncoding {
  const { maxLength = Infinity } = options;
  const cls = tokenizer.tokenToId(tokenizer.clsToken);
  const sep = tokenizer.tokenToId(tokenizer.sepToken);
  if (cls === undefined || sep === undefined) throw new Error(`encodeWords: the tokenizer lacks ${tokenizer.clsToken} or ${tokenizer.sepToken}; token classification needs both`);
  const out: WordEncoding = { inputIds: [cls], tokens: [tokenizer.clsToken], wordIds: [null], truncatedWords: 0 };
  for (let w = 0; w < words.length; w++) {
    const ids = tokenizer.pieces(words[w] as string).ids;
    if (out.inputIds.length + ids.length + 1 > maxLength) {
      out.truncatedWords = words.length - w;
      break;
    }
    for (const id of ids) {
      out.inputIds.push(id);
      out.tokens.push(tokenizer.idToToken(id) ?? "[UNK]");
      out.wordIds.push(w);
    }
  }
  out.inputIds.push(sep);
  out.tokens.push(tokenizer.sepToken);
  out.wordIds.push(null);
  return out;
}

/** Options of {@link alignLabels}. */
export interface AlignLabelsOptions {
  /**
   * Label every piece of a word, as transformers' `label_all_tokens` (token-classification example
   * `run_ner.py`, since PR #14055): the first piece gets the word's label, later pieces the `I-X` of a `B-X`
   * label (`b_to_i_label`), so a word still counts as ONE entity. Default false: later pieces get −100.
   */
  labelAllSubTokens?: boolean;
  /** Class names by id (`O`, `B-PER`, `I-PER`, …); needed with `labelAllSubTokens` to find each `B-X`'s `I-X`. */
  labelNames?: readonly string[];
}

/**
 * For each class id, the id later pieces of a word get under `label_all_tokens`: `B-X` → `I-X` when `I-X` is a
 * class, anything else → itself (transformers' `b_to_i_label`).
 */
export function bToILabels(labelNames: readonly string[]): number[] {
  return labelNames.map((name, id) => {
    const inside = name.startsWith("B-") ? labelNames.indexOf(`I-${name.slice(2)}`) : -1;
    return inside >= 0 ? inside : id;
  });
}

/**
 * Sub-token labels from word labels (see the file comment and {@link AlignLabelsOptions}).
 * @param wordIds per token, the word index or null (special tokens, padding)
 * @param wordLabels per word, a class id
 * @returns per token, a class id or −100
 * @throws when a word id has no label, or `labelAllSubTokens` comes without `labelNames`
 */
export function alignLabels(wordIds: readonly (number | null)[], wordLabels: readonly number[], options: AlignLabelsOptions = {}): number[] {
  const { labelAllSubTokens = false, labelNames } = options;
  if (labelAllSubTokens && labelNames === undefined) {
    throw new Error("alignLabels: labelAllSubTokens needs labelNames (e.g. [\"O\", \"B-PER\", \"I-PER\"]) to give later pieces of a B-X word the label I-X, as Hugging Face's label_all_tokens does");
  }
  const inside = labelNames === undefined ? [] : bToILabels(labelNames);
  let previous: number | null = null;
  return wordIds.map((w) => {
    const first = w !== previous;
    previous = w;
    if (w === null) return IGNORE_INDEX;
    const label = wordLabels[w];
    if (label === undefined) throw new Error(`alignLabels: word id ${w} but only ${wordLabels.length} word labels`);
    if (first) return label;
    return labelAllSubTokens ? (inside[label] ?? label) : IGNORE_INDEX;
  });
}

/** For each word, the position of its first sub-token, or −1 when the word has none (empty or truncated). */
export function firstSubTokenPositions(wordIds: readonly (number | null)[], numWords: number): number[] {
  const positions = new Array<number>(numWords).fill(-1);
  wordIds.forEach((w, t) => {
    if (w !== null && w < numWords && positions[w] === -1) positions[w] = t;
  });
  return positions;
}
