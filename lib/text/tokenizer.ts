/**
 * `BertTokenizer`: BERT normalisation + pre-tokenisation + WordPiece + template, truncation, padding and decoding,
 * matching Hugging Face `tokenizers` id for id (see tests/text/parity.test.ts). Plain arrays in and out.
 */
import { type BertNormalizerOptions, normalizeBert } from "./normalizer";
import { BertWordSplitter, type PreTokenizedWord } from "./pretokenizer";
import { WordPieceModel, type WordPieceOptions } from "./wordpiece";
import {
  type Encoding,
  type SequencePieces,
  type TemplateTokens,
  assembleEncoding,
  cleanupTokenization,
  longestFirstLengths,
  padEncoding,
  truncatePieces,
} from "./encoding";

/** The five BERT special tokens, in the order our trainer puts them first (ids 0..4). */
export const BERT_SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/** Everything that defines a BERT WordPiece tokenizer besides its vocabulary. */
export interface BertTokenizerOptions extends BertNormalizerOptions, WordPieceOptions {
  clsToken?: string;
  sepToken?: string;
  padToken?: string;
  maskToken?: string;
}

/** How to encode. */
export interface EncodeOptions {
  /** Add `[CLS]`/`[SEP]`. Default true. */
  addSpecialTokens?: boolean;
  /** Longest allowed encoding, special tokens included. Default: no limit. */
  maxLength?: number;
  /** Cut to `maxLength`, longest text first. Default: true when `maxLength` is set. */
  truncation?: boolean;
  /** `"maxLength"` pads to `maxLength`; `"longest"` to the longest encoding of the batch. Default: no padding. */
  padding?: false | "longest" | "maxLength";
}

/** A text or a pair of texts. */
export type EncodeInput = string | readonly [string, string];

/** Options of {@link BertTokenizer.decode}. */
export interface DecodeOptions {
  /** Leave out `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`, `[UNK]`. Default false (as in HF). */
  skipSpecialTokens?: boolean;
  /** HF's `cleanup`: " ." → "." etc. Default true (BERT's decoder setting). */
  cleanup?: boolean;
}

/** A WordPiece tokenizer with BERT's normaliser, pre-tokeniser, template and decoder. */
export class BertTokenizer {
  readonly model: WordPieceModel;
  readonly splitter: BertWordSplitter;
  readonly clsToken: string;
  readonly sepToken: string;
  readonly padToken: string;
  readonly maskToken: string;
  /** Special tokens found in the vocabulary, longest first (matched in raw input text, as HF's added tokens). */
  readonly specialTokens: readonly string[];
  private readonly specialIds: Set<number>;
  private readonly template: TemplateTokens | null;

  /**
   * @param vocab token strings, index = id (e.g. from `readVocabTxt` or `trainWordPiece`)
   * @throws when a required special token is missing from `vocab`
   */
  constructor(vocab: readonly string[], options: BertTokenizerOptions = {}) {
    const { clsToken = "[CLS]", sepToken = "[SEP]", padToken = "[PAD]", maskToken = "[MASK]", unkToken = "[UNK]" } = options;
    this.model = new WordPieceModel(vocab, options);
    this.splitter = new BertWordSplitter(options);
    this.clsToken = clsToken;
    this.sepToken = sepToken;
    this.padToken = padToken;
    this.maskToken = maskToken;
    this.specialTokens = [padToken, unkToken, clsToken, sepToken, maskToken]
      .filter((t, i, all) => this.model.tokenToId(t) !== undefined && all.indexOf(t) === i)
      .sort((a, b) => b.length - a.length);
    this.specialIds = new Set(this.specialTokens.map((t) => this.model.tokenToId(t)!));
    const clsId = this.model.tokenToId(clsToken);
    const sepId = this.model.tokenToId(sepToken);
    this.template = clsId !== undefined && sepId !== undefined ? { clsId, sepId, clsToken, sepToken } : null;
  }

  /** Vocabulary size. */
  get vocabSize(): number {
    return this.model.vocab.length;
  }

  /** The normaliser options in effect (defaults filled). */
  get normalizerOptions(): Required<BertNormalizerOptions> {
    return this.splitter.options;
  }

  /** The id of a token, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.model.tokenToId(token);
  }

  /** The token of an id, or undefined. */
  idToToken(id: number): string | undefined {
    return this.model.idToToken(id);
  }

  /** `text` after BERT normalisation (what HF's `normalizer.normalize_str` returns). */
  normalize(text: string): string {
    return normalizeBert(text, this.splitter.options);
  }

  /** The normalised words of `text` with their original spans. */
  preTokenize(text: string): PreTokenizedWord[] {
    return this.splitter.words(text);
  }

  /** The WordPiece tokens of `text`, without special tokens. */
  tokenize(text: string): string[] {
    return this.pieces(text).ids.map((id) => this.model.vocab[id]!);
  }

  /**
   * WordPiece ids, original offsets and word indices of one text (special tokens in the text are kept whole).
   * @param limit stop after the first word that brings the count to `limit` pieces (HF does this when truncating)
   */
  pieces(text: string, limit = Infinity): SequencePieces {
    const out: SequencePieces = { ids: [], offsets: [], wordIds: [] };
    let wordIndex = 0;
    const model = this.model;
    const onWord = (word: string, starts: Int32Array, ends: Int32Array): void => {
      if (out.ids.length >= limit) return;
      const w = wordIndex++;
      model.tokenizeWord(word, (id, a, b) => {
        out.ids.push(id);
        out.offsets.push([starts[a]!, ends[b - 1]!]);
        out.wordIds.push(w);
      });
    };
    let from = 0;
    if (this.specialTokens.length > 0) {
      // HF splits on added tokens (not normalised, not single-word) before anything else.
      let at = text.indexOf("[");
      while (at >= 0) {
        const special = this.specialTokens.find((t) => text.startsWith(t, at));
        if (special === undefined || out.ids.length >= limit) {
          at = text.indexOf("[", at + 1);
          continue;
        }
        this.splitter.split(text, onWord, from, at);
        out.ids.push(model.tokenToId(special)!);
        out.offsets.push([at, at + special.length]);
        out.wordIds.push(wordIndex++);
        from = at + special.length;
        at = text.indexOf("[", from);
      }
    }
    this.splitter.split(text, onWord, from, text.length);
    return out;
  }

  /**
   * Encodes a text or a text pair.
   * @param text the first (or only) text
   * @param pair the second text of a pair, or null
   * @returns ids, masks, token types, offsets into the original texts, word ids
   */
  encode(text: string, pair: string | null = null, options: EncodeOptions = {}): Encoding {
    const { addSpecialTokens = true, maxLength, truncation = maxLength !== undefined, padding = false } = options;
    // When truncating, HF stops tokenizing a text at the first word boundary with >= maxLength pieces; this
    // decides which text counts as the longer one below, so we do the same.
    const limit = truncation && maxLength !== undefined ? maxLength : Infinity;
    const first = this.pieces(text, limit);
    const second = pair === null ? null : this.pieces(pair, limit);
    const template = addSpecialTokens ? this.template : null;
    if (truncation) {
      if (maxLength === undefined) throw new Error("encode: truncation needs maxLength; pass { maxLength: 128 } or truncation: false");
      const added = template ? (second ? 3 : 2) : 0;
      const budget = maxLength - added;
      if (budget < 0) throw new Error(`encode: maxLength ${maxLength} leaves no room for the ${added} special tokens; use maxLength >= ${added}`);
      if (second) {
        const [n1, n2] = longestFirstLengths(first.ids.length, second.ids.length, budget);
        truncatePieces(first, n1);
        truncatePieces(second, n2);
      } else {
        truncatePieces(first, budget);
      }
    }
    const enc = assembleEncoding(first, second, template, (id) => this.model.vocab[id]!);
    if (padding === "maxLength") {
      if (maxLength === undefined) throw new Error('encode: padding "maxLength" needs maxLength');
      padEncoding(enc, maxLength, this.padId(), this.padToken);
    }
    return enc;
  }

  /**
   * Encodes many texts or pairs; `padding: "longest"` pads all to the longest one.
   */
  encodeBatch(inputs: readonly EncodeInput[], options: EncodeOptions = {}): Encoding[] {
    const encodings = inputs.map((input) =>
      typeof input === "string" ? this.encode(input, null, options) : this.encode(input[0], input[1], options),
    );
    if (options.padding === "longest") {
      const longest = encodings.reduce((m, e) => Math.max(m, e.inputIds.length), 0);
      for (const e of encodings) padEncoding(e, longest, this.padId(), this.padToken);
    }
    return encodings;
  }

  /**
   * Turns ids back into text with HF's WordPiece decoder: tokens joined by spaces, `##` pieces glued on.
   * Ids outside the vocabulary are skipped (as HF does).
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const { skipSpecialTokens = false, cleanup = true } = options;
    const prefix = this.model.continuingSubwordPrefix;
    let out = "";
    let first = true;
    for (const id of ids) {
      const token = this.model.vocab[id];
      if (token === undefined || (skipSpecialTokens && this.specialIds.has(id))) continue;
      let piece = token;
      if (!first) piece = token.startsWith(prefix) ? token.slice(prefix.length) : ` ${token}`;
      out += cleanup ? cleanupTokenization(piece) : piece;
      first = false;
    }
    return out;
  }

  /** {@link decode} for each row. */
  decodeBatch(batch: readonly (readonly number[])[], options: DecodeOptions = {}): string[] {
    return batch.map((ids) => this.decode(ids, options));
  }

  private padId(): number {
    const id = this.model.tokenToId(this.padToken);
    if (id === undefined) throw new Error(`padding needs ${this.padToken} in the vocabulary; add it or pass padToken`);
    return id;
  }
}
