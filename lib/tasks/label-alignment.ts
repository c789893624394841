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

/**
 * Sub-token labels from word labels (see the file comment).
 * @param wordIds per token, the word index or null (special tokens, padding)
 * @param wordLabels per word, a class id
 * @param options labelAllSubTokens: give continuation pieces their word's label too (HF's `label_all_tokens`)
 * @returns per token, a class id or −100
 */
export function alignLabels(wordIds: readonly (number | null)[], wordLabels: readonly number[], options: { labelAllSubTokens?: boolean } = {}): number[] {
  const { labelAllSubTokens = false } = options;
  let previous: number | null = null;
  return wordIds.map((w) => {
    const first = w !== previous;
    previous = w;
    if (w === null) return IGNORE_INDEX;
    const label = wordLabels[w];
    if (label === undefined) throw new Error(`alignLabels: word id ${w} but only ${wordLabels.length} word labels`);
    return first || labelAllSubTokens ? label : IGNORE_INDEX;
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
