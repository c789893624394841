/**
 * Trains a WordPiece vocabulary the way HF's `WordPieceTrainer` does: it is a BPE trainer on words split into
 * characters, where every non-initial character carries the `##` prefix (`word` → `w ##o ##r ##d`). Repeatedly the
 * most frequent adjacent pair (weighted by word count) is merged (`w` + `##o` → `wo`, `##r` + `##d` → `##rd`) and
 * the result added to the vocabulary, until it has `vocabSize` entries or no pair occurs `minFrequency` times.
 * Ties go to the pair whose tokens sort first ("a ##b" < "a ##c"), so training is deterministic (HF's ties depend on
 * hash order). Layout: special tokens (ids 0..4), the alphabet sorted by code point, then merges in order.
 * Not the likelihood-scored WordPiece of Schuster & Nakajima; see the text notebook for the difference.
 */
import { BertTokenizer, BERT_SPECIAL_TOKENS, type BertTokenizerOptions } from "./tokenizer";
import { BertWordSplitter } from "./pretokenizer";

/** Options of {@link trainWordPiece}. */
export interface TrainWordPieceOptions extends BertTokenizerOptions {
  /** Target vocabulary size, special tokens and alphabet included (the alphabet is kept whole even if larger). */
  vocabSize?: number;
  /** A pair must occur at least this often to be merged. Default 2 (a pair seen once teaches nothing). */
  minFrequency?: number;
  /** Tokens put first, in order. Default `[PAD] [UNK] [CLS] [SEP] [MASK]`. */
  specialTokens?: readonly string[];
  /**
   * Keep only the `limitAlphabet` most frequent characters (HF `tokenizers`' `limit_alphabet`; ties to the lower
   * code point). A word holding any other character takes no part in merges, and the tokenizer maps it to `[UNK]`.
   * Default: every character. Why: 2.2 M characters of Chinese novels bring ≈ 5,700 distinct Han characters, which a
   * small vocabulary cannot afford beside its English merges.
   */
  limitAlphabet?: number;
}

/** The `limit` most frequent characters of the counted words (by occurrences weighted by word count). */
function frequentCharacters(counts: ReadonlyMap<string, number>, limit: number): Set<string> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limitAlphabet ${limit}: give a positive whole number of characters`);
  const chars = new Map<string, number>();
  for (const [word, count] of counts) for (const ch of word) chars.set(ch, (chars.get(ch) ?? 0) + count);
  const ranked = [...chars].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Set(ranked.slice(0, limit).map(([ch]) => ch));
}

/** Counts the BERT words of a corpus (after normalisation and pre-tokenisation). */
export function countWords(texts: Iterable<string>, options: BertTokenizerOptions = {}): Map<string, number> {
  const splitter = new BertWordSplitter(options);
  const counts = new Map<string, number>();
  for (const text of texts) splitter.split(text, (word) => counts.set(word, (counts.get(word) ?? 0) + 1));
  return counts;
}

interface HeapEntry {
  count: number;
  key: number;
  label: string;
}

const PAIR_BASE = 2 ** 21; // pair key = a * PAIR_BASE + b; vocabularies stay far below 2M tokens

/** Max-heap on count, then smallest label. */
class PairHeap {
  private readonly items: HeapEntry[] = [];
  get size(): number {
    return this.items.length;
  }
  private before(x: HeapEntry, y: HeapEntry): boolean {
    return x.count > y.count || (x.count === y.count && x.label < y.label);
  }
  push(entry: HeapEntry): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): HeapEntry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && this.before(a[l]!, a[best]!)) best = l;
        if (r < a.length && this.before(a[r]!, a[best]!)) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best]!, a[i]!];
        i = best;
      }
    }
    return top;
  }
}

/**
 * Learns a WordPiece vocabulary from texts.
 * @param texts raw texts (normalised with the same options as the returned tokenizer)
 * @returns a tokenizer over the learned vocabulary (`tokenizer.model.vocab` is the list of tokens)
 */
export function trainWordPiece(texts: Iterable<string>, options: TrainWordPieceOptions = {}): BertTokenizer {
  const { vocabSize = 30000, minFrequency = 2, specialTokens = BERT_SPECIAL_TOKENS, continuingSubwordPrefix = "##" } = options;
  const counts = countWords(texts, options);
  if (options.limitAlphabet !== undefined) {
    const kept = frequentCharacters(counts, options.limitAlphabet);
    for (const word of counts.keys()) if (!Array.from(word).every((ch) => kept.has(ch))) counts.delete(word);
  }
  const vocab: string[] = [...specialTokens];
  const ids = new Map<string, number>(vocab.map((t, i) => [t, i]));
  // The alphabet: initial characters and `##` continuation characters, each sorted by code point.
  const initials = new Set<string>();
  const continuations = new Set<string>();
  const words: { symbols: string[]; count: number }[] = [];
  for (const [word, count] of counts) {
    const symbols = Array.from(word, (ch, i) => (i === 0 ? ch : continuingSubwordPrefix + ch));
    symbols.forEach((s, i) => (i === 0 ? initials : continuations).add(s));
    words.push({ symbols, count });
  }
  const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  for (const s of [...[...initials].sort(byCodePoint), ...[...continuations].sort(byCodePoint)]) {
    if (!ids.has(s)) {
      ids.set(s, vocab.length);
      vocab.push(s);
    }
  }
  const corpus = words.map((w) => ({ ids: w.symbols.map((s) => ids.get(s)!), count: w.count }));
  const pairCounts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const label = (key: number): string => `${vocab[Math.floor(key / PAIR_BASE)]!} ${vocab[key % PAIR_BASE]!}`;
  const addPairs = (w: number, sign: number, changed: Set<number>): void => {
    const { ids: symbols, count } = corpus[w]!;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = symbols[i]! * PAIR_BASE + symbols[i + 1]!;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * count);
      changed.add(key);
      if (sign > 0) {
        let set = where.get(key);
        if (!set) where.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  const initial = new Set<number>();
  for (let w = 0; w < corpus.length; w++) addPairs(w, 1, initial);
  const heap = new PairHeap();
  for (const key of initial) heap.push({ count: pairCounts.get(key)!, key, label: label(key) });

  while (vocab.length < vocabSize && heap.size > 0) {
    const top = heap.pop()!;
    const current = pairCounts.get(top.key) ?? 0;
    if (current !== top.count) continue; // stale entry; a fresher one is in the heap
    if (current < minFrequency || current <= 0) break;
    const a = Math.floor(top.key / PAIR_BASE);
    const b = top.key % PAIR_BASE;
    const right = vocab[b]!;
    const merged = vocab[a]! + (right.startsWith(continuingSubwordPrefix) ? right.slice(continuingSubwordPrefix.length) : right);
    let id = ids.get(merged);
    if (id === undefined) {
      id = vocab.length;
      ids.set(merged, id);
      vocab.push(merged);
    }
    const changed = new Set<number>();
    for (const w of where.get(top.key) ?? []) {
      const symbols = corpus[w]!.ids;
      let has = false;
      for (let i = 0; i + 1 < symbols.length; i++) if (symbols[i] === a && symbols[i + 1] === b) has = true;
      if (!has) continue;
      addPairs(w, -1, changed);
      const next: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          next.push(id);
          i++;
        } else next.push(symbols[i]!);
      }
      corpus[w]!.ids = next;
      addPairs(w, 1, changed);
    }
    where.delete(top.key);
    for (const key of changed) {
      const count = pairCounts.get(key)!;
      if (count > 0) heap.push({ count, key, label: label(key) });
      else pairCounts.delete(key);
    }
  }
  return new BertTokenizer(vocab, options);
}
