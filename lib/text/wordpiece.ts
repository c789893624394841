/**
 * The WordPiece model: greedy longest-match-first over a vocabulary (google-research/bert `WordpieceTokenizer`,
 * HF `models::wordpiece`). A word's first piece is looked up as is, later pieces with the `##` prefix; if any
 * position has no match, or the word has more than `maxInputCharsPerWord` code points, the whole word is `[UNK]`.
 * Two Maps (whole tokens, and `##` tokens stored without the prefix) make each probe one hash lookup of a slice.
 */

/** Options of the WordPiece model (HF JSON names in camelCase). */
export interface WordPieceOptions {
  /** Token for words that cannot be split. Default "[UNK]". */
  unkToken?: string;
  /** Marks a piece that continues a word. Default "##". */
  continuingSubwordPrefix?: string;
  /** Longer words (in code points) become `[UNK]` without trying; BERT uses 100. */
  maxInputCharsPerWord?: number;
}

/** Receives one piece: its id and the `[start, end)` UTF-16 range inside the word. */
export type PieceSink = (id: number, start: number, end: number) => void;

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** A WordPiece vocabulary with greedy longest-match-first segmentation. */
export class WordPieceModel {
  /** Token strings by id. */
  readonly vocab: readonly string[];
  readonly unkToken: string;
  readonly unkId: number;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly ids = new Map<string, number>();
  private readonly continuation = new Map<string, number>();
  private readonly maxLength: number;
  private readonly maxContinuationLength: number;

  /**
   * @param vocab token strings; the index is the id. Must contain `unkToken` and no duplicates.
   * @throws when the vocabulary has a duplicate token or lacks the unknown token
   */
  constructor(vocab: readonly string[], options: WordPieceOptions = {}) {
    const { unkToken = "[UNK]", continuingSubwordPrefix = "##", maxInputCharsPerWord = 100 } = options;
    this.vocab = vocab;
    this.unkToken = unkToken;
    this.continuingSubwordPrefix = continuingSubwordPrefix;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    let maxLength = 0;
    let maxContinuationLength = 0;
    vocab.forEach((token, id) => {
      const previous = this.ids.get(token);
      if (previous !== undefined) {
        throw new Error(`WordPiece vocabulary: token ${JSON.stringify(token)} appears twice (ids ${previous} and ${id}); remove one`);
      }
      this.ids.set(token, id);
      maxLength = Math.max(maxLength, token.length);
      if (token.startsWith(continuingSubwordPrefix) && token.length > continuingSubwordPrefix.length) {
        const rest = token.slice(continuingSubwordPrefix.length);
        this.continuation.set(rest, id);
        maxContinuationLength = Math.max(maxContinuationLength, rest.length);
      }
    });
    const unkId = this.ids.get(unkToken);
    if (unkId === undefined) throw new Error(`WordPiece vocabulary has no unknown token ${JSON.stringify(unkToken)}; add it (usually id 1 here, 100 in Google's BERT)`);
    this.unkId = unkId;
    this.maxLength = maxLength;
    this.maxContinuationLength = maxContinuationLength;
  }

  /** The id of a token, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** The token of an id, or undefined. */
  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  /**
   * Splits one normalised word into pieces, calling `sink` for each (or once with `[UNK]` for the whole word).
   */
  tokenizeWord(word: string, sink: PieceSink): void {
    const length = word.length;
    if (length > this.maxInputCharsPerWord && countCodePoints(word) > this.maxInputCharsPerWord) {
      sink(this.unkId, 0, length);
      return;
    }
    const whole = this.ids.get(word); // the common case: the word is in the vocabulary
    if (whole !== undefined) {
      sink(whole, 0, length);
      return;
    }
    let start = 0;
    let count = 0;
    const pieceIds: number[] = [];
    const pieceEnds: number[] = [];
    while (start < length) {
      const map = start === 0 ? this.ids : this.continuation;
      let end = Math.min(length, start + (start === 0 ? this.maxLength : this.maxContinuationLength));
      if (end < length && isLow(word.charCodeAt(end)) && isHigh(word.charCodeAt(end - 1))) end--; // never split a pair
      let found = -1;
      while (end > start) {
        const id = map.get(word.slice(start, end));
        if (id !== undefined) {
          found = id;
          break;
        }
        end -= end - 2 >= start && isLow(word.charCodeAt(end - 1)) && isHigh(word.charCodeAt(end - 2)) ? 2 : 1;
      }
      if (found < 0) {
        sink(this.unkId, 0, length);
        return;
      }
      pieceIds.push(found);
      pieceEnds.push(end);
      count++;
      start = end;
    }
    let pieceStart = 0;
    for (let k = 0; k < count; k++) {
      sink(pieceIds[k]!, pieceStart, pieceEnds[k]!);
      pieceStart = pieceEnds[k]!;
    }
  }

  /** The pieces of one word as strings (`##` on continuations). */
  tokenize(word: string): string[] {
    const out: string[] = [];
    this.tokenizeWord(word, (id) => out.push(this.vocab[id]!));
    return out;
  }
}

/** Number of code points (a surrogate pair counts once). */
export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isHigh(c) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}
