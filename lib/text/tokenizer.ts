/**
 * `BertTokenizer`: BERT normalisation + pre-tokenisation + WordPiece + template, truncation, padding and decoding,
 * matching Hugging Face `tokenizers` id for id (see tests/text/parity.test.ts). Plain arrays in and out.
 */
import { AddedVocabulary, type AddedToken } from "./added-tokens";
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
  /**
   * `tokenizer.json`'s `added_tokens`: matched in the text before WordPiece (see `added-tokens.ts`); ids past the
   * WordPiece vocabulary extend it. Default: each of the five special tokens found in the vocabulary, as
   * `{ special: true, normalized: false }` (what HF's `BertTokenizerFast` adds for a `vocab.txt`).
   */
  addedTokens?: readonly AddedToken[];
  /** Add `[CLS]`/`[SEP]` by BERT's template (`post_processor`). false: `post_processor: null`, never. Default true. */
  template?: boolean;
  /** The `decoder`: WordPiece's `{ prefix, cleanup }` (default the model's prefix, cleanup true), or null: join tokens with spaces. */
  decoder?: { prefix: string; cleanup: boolean } | null;
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
  /**
   * Leave out the special added tokens (`[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`, `[UNK]`, and any other marked
   * `special`). Default false, as transformers' `tokenizer.decode`; Rust `tokenizers`' own `decode` defaults to true.
   */
  skipSpecialTokens?: boolean;
  /** HF's `cleanup`: " ." → "." etc. Default: the decoder's `cleanup` (true for BERT's). */
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
  /** The contents of the special added tokens, longest first. */
  readonly specialTokens: readonly string[];
  /** The added tokens, with every flag filled in. */
  readonly addedVocabulary: AddedVocabulary;
  /** The decoder in effect (null: tokens joined with spaces). */
  readonly decoder: { prefix: string; cleanup: boolean } | null;
  private readonly specialContents: Set<string>;
  private readonly template: TemplateTokens | null;
  private readonly addedIds = new Map<string, number>();
  private readonly addedById = new Map<number, string>();
  private readonly size: number;

  /**
   * @param vocab token strings, index = id (e.g. from `readVocabTxt` or `trainWordPiece`)
   * @throws when a required special token is missing from `vocab`, or an added token's id disagrees with the
   *   vocabulary (a token of the vocabulary keeps its id; new ones take the next ids after it, in order)
   */
  constructor(vocab: readonly string[], options: BertTokenizerOptions = {}) {
    const { clsToken = "[CLS]", sepToken = "[SEP]", padToken = "[PAD]", maskToken = "[MASK]", unkToken = "[UNK]", template = true } = options;
    this.model = new WordPieceModel(vocab, options);
    this.splitter = new BertWordSplitter(options);
    this.clsToken = clsToken;
    this.sepToken = sepToken;
    this.padToken = padToken;
    this.maskToken = maskToken;
    this.decoder = options.decoder === undefined ? { prefix: this.model.continuingSubwordPrefix, cleanup: true } : options.decoder;
    const added =
      options.addedTokens ??
      [padToken, unkToken, clsToken, sepToken, maskToken]
        .filter((t, i, all) => this.model.tokenToId(t) !== undefined && all.indexOf(t) === i)
        .map((content) => ({ id: this.model.tokenToId(content)!, content, special: true, normalized: false }));
    let next = vocab.length;
    for (const token of added) {
      // HF re-derives the ids (`AddedVocabulary::add_tokens`): a vocabulary token keeps its id, a new one takes the next.
      const expected = this.model.tokenToId(token.content) ?? this.addedIds.get(token.content) ?? next;
      if (token.id !== expected) {
        throw new Error(`added token ${JSON.stringify(token.content)} has id ${token.id}, but Hugging Face would give it ${expected} (${expected < vocab.length ? "its id in the vocabulary" : "the next id after the vocabulary and the added tokens before it"}); fix the id or the order`);
      }
      if (expected === next) next++;
      this.addedIds.set(token.content, token.id);
      this.addedById.set(token.id, token.content);
    }
    this.size = next;
    this.addedVocabulary = new AddedVocabulary(added, this.splitter.options);
    // Rust `tokenizers` (0.23) maps the id of a `normalized` added token back to its NORMALISED content
    // (`id_to_token`, so also `decode`), while `token_to_id` takes the content as written; we do the same.
    for (const t of this.addedVocabulary.tokens) if (t.normalized) this.addedById.set(t.id, normalizeBert(t.content, this.splitter.options));
    this.specialTokens = this.addedVocabulary.tokens.filter((t) => t.special).map((t) => t.content).sort((a, b) => b.length - a.length);
    this.specialContents = new Set(this.specialTokens);
    const clsId = this.tokenToId(clsToken);
    const sepId = this.tokenToId(sepToken);
    this.template = template && clsId !== undefined && sepId !== undefined ? { clsId, sepId, clsToken, sepToken } : null;
  }

  /** Whether `encode` adds `[CLS]`/`[SEP]` by BERT's template (false after `post_processor: null`). */
  get hasTemplate(): boolean {
    return this.template !== null;
  }

  /** Vocabulary size: the WordPiece vocabulary plus added tokens beyond it (HF's `get_vocab_size(true)`, `len(tokenizer)`). */
  get vocabSize(): number {
    return this.size;
  }

  /** The normaliser options in effect (defaults filled). */
  get normalizerOptions(): Required<BertNormalizerOptions> {
    return this.splitter.options;
  }

  /** The id of a token (added tokens first, as HF), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.model.tokenToId(token);
  }

  /** The token of an id (added tokens first, as HF; a `normalized` added token as normalised), or undefined. */
  idToToken(id: number): string | undefined {
    return this.addedById.get(id) ?? this.model.idToToken(id);
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
    return this.pieces(text).ids.map((id) => this.idToToken(id)!);
  }

  /**
   * WordPiece ids, original offsets and word indices of one text (added tokens in the text are kept whole, each
   * one word; their offsets include the whitespace `lstrip`/`rstrip` swallowed).
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
    for (const split of this.addedVocabulary.split(text)) {
      if (split.id === null) {
        this.splitter.split(text, onWord, split.start, split.end);
      } else if (out.ids.length < limit) {
        if (split.text !== this.idToToken(split.id)) (out.texts ??= new Map()).set(out.ids.length, split.text);
        out.ids.push(split.id);
        out.offsets.push([split.start, split.end]);
        out.wordIds.push(wordIndex++);
      }
    }
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
    const enc = assembleEncoding(first, second, template, (id) => this.idToToken(id)!);
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
   * Turns ids back into text with HF's WordPiece decoder: tokens joined by spaces, `##` pieces glued on (added
   * tokens too; special ones left out with `skipSpecialTokens`). Ids outside the vocabulary are skipped (as HF
   * does). With `decoder: null` (a tokenizer.json without decoder) the tokens are only joined with spaces.
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const { skipSpecialTokens = false, cleanup = this.decoder?.cleanup ?? false } = options;
    const tokens: string[] = [];
    for (const id of ids) {
      const token = this.idToToken(id);
      // HF skips by token string (`is_special_token(token)`), so a normalised special's lowercased form stays.
      if (token !== undefined && !(skipSpecialTokens && this.specialContents.has(token))) tokens.push(token);
    }
    if (this.decoder === null) return tokens.join(" ");
    const prefix = this.decoder.prefix;
    let out = "";
    let first = true;
    for (const token of tokens) {
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
    const id = this.tokenToId(this.padToken);
    if (id === undefined) throw new Error(`padding needs ${this.padToken} in the vocabulary; add it or pass padToken`);
    return id;
  }
}
