/**
 * What an encoder returns, and the steps after WordPiece that HF runs in this order: truncation (longest first),
 * the BERT template (`[CLS] A [SEP]` / `[CLS] A [SEP] B [SEP]`, token types 0 then 1), padding.
 * Plain arrays, no tensors; field names follow the course glossary (`inputIds`, `attentionMask`, `tokenTypeIds`).
 */

/** One encoded text or text pair. All arrays have the same length. */
export interface Encoding {
  /** Vocabulary ids. */
  inputIds: number[];
  /** Token strings (`##` on word continuations). */
  tokens: string[];
  /** 1 for real tokens, 0 for padding. */
  attentionMask: number[];
  /** 0 for `[CLS]`, the first text and its `[SEP]`; 1 for the second text and its `[SEP]`; 0 for padding. */
  tokenTypeIds: number[];
  /** 1 for tokens the template or padding added (`[CLS]`, `[SEP]`, `[PAD]`), else 0. */
  specialTokensMask: number[];
  /** `[start, end)` UTF-16 indices into the ORIGINAL text the token came from (of the pair's own text); `[0, 0]` for added tokens. */
  offsets: [number, number][];
  /** Index of the pre-tokenised word within its own text; null for added tokens. */
  wordIds: (number | null)[];
  /** 0 or 1: which text of a pair the token came from; null for added tokens. */
  sequenceIds: (0 | 1 | null)[];
}

/** One text after WordPiece, before the template. */
export interface SequencePieces {
  ids: number[];
  offsets: [number, number][];
  wordIds: (number | null)[];
  /** Position → token string, where it is not the id's token: an added token's matched text (HF's `value`:
   * with the whitespace `lstrip`/`rstrip` took, or as normalised). */
  texts?: Map<number, string>;
}

/**
 * HF's `TruncationStrategy::LongestFirst`: how many pieces each text keeps so both fit in `budget`.
 * The shorter text keeps everything if the longer can take the cut; otherwise both get half (the longer the odd one).
 */
export function longestFirstLengths(first: number, second: number, budget: number): [number, number] {
  if (first + second <= budget) return [first, second];
  const swap = first > second;
  let n1 = swap ? second : first; // the shorter
  let n2: number;
  if (n1 > budget) n2 = n1;
  else n2 = Math.max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = Math.floor(budget / 2);
    n2 = n1 + (budget % 2);
  }
  return swap ? [n2, n1] : [n1, n2];
}

/** Cuts a sequence to its first `length` pieces (in place). */
export function truncatePieces(sequence: SequencePieces, length: number): void {
  sequence.ids.length = Math.min(sequence.ids.length, length);
  sequence.offsets.length = sequence.ids.length;
  sequence.wordIds.length = sequence.ids.length;
}

/** The ids of the tokens the BERT template adds. */
export interface TemplateTokens {
  clsId: number;
  sepId: number;
  clsToken: string;
  sepToken: string;
}

/**
 * Joins one or two sequences into an {@link Encoding}, with or without the BERT template.
 * @param tokenOf maps an id to its token string
 */
export function assembleEncoding(
  first: SequencePieces,
  second: SequencePieces | null,
  template: TemplateTokens | null,
  tokenOf: (id: number) => string,
): Encoding {
  const enc: Encoding = { inputIds: [], tokens: [], attentionMask: [], tokenTypeIds: [], specialTokensMask: [], offsets: [], wordIds: [], sequenceIds: [] };
  const added = (id: number, token: string, type: number): void => {
    enc.inputIds.push(id);
    enc.tokens.push(token);
    enc.attentionMask.push(1);
    enc.tokenTypeIds.push(type);
    enc.specialTokensMask.push(1);
    enc.offsets.push([0, 0]);
    enc.wordIds.push(null);
    enc.sequenceIds.push(null);
  };
  const sequence = (s: SequencePieces, type: 0 | 1): void => {
    for (let k = 0; k < s.ids.length; k++) {
      const id = s.ids[k]!;
      enc.inputIds.push(id);
      enc.tokens.push(s.texts?.get(k) ?? tokenOf(id));
      enc.attentionMask.push(1);
      enc.tokenTypeIds.push(type);
      enc.specialTokensMask.push(0);
      enc.offsets.push(s.offsets[k]!);
      enc.wordIds.push(s.wordIds[k]!);
      enc.sequenceIds.push(type);
    }
  };
  if (template) added(template.clsId, template.clsToken, 0);
  sequence(first, 0);
  if (template) added(template.sepId, template.sepToken, 0);
  if (second) {
    sequence(second, 1);
    if (template) added(template.sepId, template.sepToken, 1);
  }
  return enc;
}

/** Pads an encoding on the right to `length` with `[PAD]` (mask 0, type 0, special 1). No-op when already longer. */
export function padEncoding(enc: Encoding, length: number, padId: number, padToken: string): void {
  while (enc.inputIds.length < length) {
    enc.inputIds.push(padId);
    enc.tokens.push(padToken);
    enc.attentionMask.push(0);
    enc.tokenTypeIds.push(0);
    enc.specialTokensMask.push(1);
    enc.offsets.push([0, 0]);
    enc.wordIds.push(null);
    enc.sequenceIds.push(null);
  }
}

/** HF's WordPiece decoder `cleanup`: glue English punctuation and contractions back (applied per token). */
export function cleanupTokenization(text: string): string {
  return text
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" do not", " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
