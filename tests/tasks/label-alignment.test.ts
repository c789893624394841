import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alignLabels, bToILabels, encodeWords, firstSubTokenPositions } from "../../lib/tasks";
import { extractEntities } from "../../lib/metrics";
import { saveTokenizer } from "../../lib/text";
import { tinyTokenizer } from "./helpers";

const tokenizer = tinyTokenizer();

// The default is run_ner.py's with label_all_tokens=False: the first piece of each word keeps its label.
test("golden table: only each word's first sub-token keeps its label; specials and continuations get -100", () => {
  const words = ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."];
  const tags = [5, 0, 3, 0, 0, 0, 3, 0, 0]; // B-ORG O B-MISC O O O B-MISC O O as class ids
  const enc = encodeWords(tokenizer, words);
  const labels = alignLabels(enc.wordIds, tags);
  const table = enc.tokens.map((token, t) => [token, enc.wordIds[t], labels[t]]);
  assert.deepEqual(table, [
    ["[CLS]", null, -100],
    ["eu", 0, 5],
    ["rejects", 1, 0],
    ["german", 2, 3],
    ["call", 3, 0],
    ["to", 4, 0],
    ["boy", 5, 0],
    ["##cott", 5, -100],
    ["british", 6, 3],
    ["lamb", 7, 0],
    [".", 8, 0],
    ["[SEP]", null, -100],
  ]);
  assert.deepEqual(firstSubTokenPositions(enc.wordIds, words.length), [1, 2, 3, 4, 5, 6, 8, 9, 10]);
});

// Issue #11 part 4. Reference: transformers' examples/pytorch/token-classification/run_ner.py,
// `tokenize_and_align_labels` since PR #14055 ("label_all_tokens": later pieces of a word get
// `b_to_i_label[label]`, the I-X of a B-X). seqeval/transformers are not installed here, so the right value is
// the worked example, computed by that rule by hand.
const NER_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];

test("labelAllSubTokens is HF's label_all_tokens: later pieces of a B-X word get I-X (the issue's example)", () => {
  const wordIds = [null, 0, 0, 0, 1, 1, 2, 2, null];
  const aligned = alignLabels(wordIds, [1, 3, 0], { labelAllSubTokens: true, labelNames: NER_LABELS });
  assert.deepEqual(aligned, [-100, 1, 2, 2, 3, 4, 0, 0, -100]);
  // Why it matters: read as tags, the pieces hold the two gold entities, not five.
  const tags = aligned.filter((l) => l !== -100).map((l) => NER_LABELS[l]!);
  assert.deepEqual(extractEntities(tags, "IOB2").map((e) => e.type), ["PER", "LOC"]);
  // I-X and O words keep their label on every piece; a B-X without an I-X class keeps B-X.
  assert.deepEqual(alignLabels([null, 0, 0, 1, 1, null], [2, 0], { labelAllSubTokens: true, labelNames: NER_LABELS }), [-100, 2, 2, 0, 0, -100]);
  assert.deepEqual(bToILabels(["O", "B-MISC", "B-PER", "I-PER"]), [0, 1, 3, 3]);
});

test("labelAllSubTokens without label names is refused (B-X cannot be told from I-X by id)", () => {
  assert.throws(() => alignLabels([null, 0, 0, null], [1], { labelAllSubTokens: true }), /labelAllSubTokens needs labelNames/);
});

test("encodeWords equals Rust tokenizers word by word, as HF's is_split_into_words encodes pre-split words", async () => {
  // tokenizers' Node binding 0.23 cannot take pre-tokenised input ("Failed to convert ... into rust type String"),
  // so the reference is what `is_split_into_words=True` does by definition: each word normalised, pre-tokenised
  // and WordPiece-split on its own, every piece carrying its word's index, inside [CLS] … [SEP].
  const { Tokenizer } = await import("tokenizers");
  const dir = mkdtempSync(join(tmpdir(), "course-align-"));
  saveTokenizer(tokenizer, dir);
  const rust = Tokenizer.fromFile(join(dir, "tokenizer.json"));
  for (const words of [["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."], ["U.S.", "lamb"], ["Boycotts", "", "Oslo"], ["a\u00a0b", "chefs"]]) {
    const ids: number[] = [2];
    const wordIds: (number | null)[] = [null];
    for (const [w, word] of words.entries()) {
      const pieces = (await rust.encode(word, null, { addSpecialTokens: false })).getIds();
      ids.push(...pieces);
      wordIds.push(...pieces.map(() => w));
    }
    ids.push(3);
    wordIds.push(null);
    const ours = encodeWords(tokenizer, words);
    assert.deepEqual(ours.inputIds, ids, words.join(" "));
    assert.deepEqual(ours.wordIds, wordIds, words.join(" "));
  }
});

test("a word BERT's pre-tokeniser would split (U.S.) stays one word: all its pieces carry its word id", () => {
  const enc = encodeWords(tokenizer, ["U.S.", "lamb"]);
  assert.deepEqual(enc.tokens, ["[CLS]", "u", ".", "s", ".", "lamb", "[SEP]"]);
  assert.deepEqual(enc.wordIds, [null, 0, 0, 0, 0, 1, null]);
  assert.deepEqual(alignLabels(enc.wordIds, [1, 0]), [-100, 1, -100, -100, -100, 0, -100]);
});

test("truncation drops whole words from the end and says how many; their first-piece position is -1", () => {
  const enc = encodeWords(tokenizer, ["boycott", "british", "lamb"], { maxLength: 5 });
  assert.deepEqual(enc.tokens, ["[CLS]", "boy", "##cott", "british", "[SEP]"]);
  assert.equal(enc.truncatedWords, 1);
  assert.deepEqual(firstSubTokenPositions(enc.wordIds, 3), [1, 3, -1]);
});

test("a word id without a label is an error naming it", () => {
  assert.throws(() => alignLabels([null, 0, 1, null], [3]), /word id 1 but only 1 word labels/);
});
