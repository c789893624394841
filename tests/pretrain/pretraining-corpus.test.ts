// The pretraining corpus: credits and non-English books out, duplicates once, task evaluation sentences never.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cleanCorpus, documentKey, englishStopwordShare, isGutenbergBoilerplate } from "../../lib/pretrain";
import { corpusCard, corpusCardTable, countWordsAndHan } from "../../lib/pretrain";

const ENGLISH = ["It was the best of times, it was the worst of times.", "He had a dog and the dog was in the garden with his wife."];
const SPANISH = ["El squire acabó de despachar su discurso tosiendo e interrumpiéndose.", "En cuanto al de maese Marner parecía singular."];

test("a document equal to any task's validation or test sentence is dropped, after normalising case, width and spaces", () => {
  const { documents, cleaning } = cleanCorpus(
    [
      { source: "sst2", texts: ["a warm , funny film .", "Slow  and   EMPTY .", "kept ."] },
      { source: "clue_tnews_fewclue", texts: ["ＡＢＣ新闻", "保留的句子"] },
    ],
    ["slow and empty .", "abc新闻"],
  );
  assert.deepEqual(documents.map((d) => d.text), ["a warm , funny film .", "kept .", "保留的句子"]);
  assert.deepEqual(cleaning.map((c) => [c.source, c.documents, c.kept, c.leaked]), [["sst2", 3, 2, 1], ["clue_tnews_fewclue", 2, 1, 1]]);
});

test("exact duplicates are kept once, the first time they occur, also across sources", () => {
  const { documents, cleaning } = cleanCorpus(
    [
      { source: "a", texts: ["One line.", "one   LINE.", "Two."] },
      { source: "b", texts: ["Two.", "Three."] },
    ],
    [],
  );
  assert.deepEqual(documents, [{ source: "a", text: "One line." }, { source: "a", text: "Two." }, { source: "b", text: "Three." }]);
  assert.deepEqual(cleaning.map((c) => c.duplicates), [1, 1]);
  assert.equal(documentKey(" Ａ  b\tC "), "a b c");
});

test("Gutenberg books: credits, links and marker tails are boilerplate, a book not in English is left out whole", () => {
  for (const line of ["Produced by Judith Boss", "Transcribed from the 1897 edition by David Price, email ccx074@pglaf.org", "End of the Project Gutenberg EBook of Emma, by Jane Austen", "cover", "THE STRANGE CASE ***", "see http://www.pgdp.net"]) assert.ok(isGutenbergBoilerplate(line), line);
  for (const line of ["CHAPTER I.", "He gave a pretext for leaving.", "Mr. Jekyll covered his face."]) assert.ok(!isGutenbergBoilerplate(line), line);
  assert.ok(englishStopwordShare(ENGLISH) > 0.3);
  assert.ok(englishStopwordShare(SPANISH) < 0.05);
  const { documents, cleaning } = cleanCorpus([{ source: "gutenberg_english_more", books: [{ file: "pg1.txt", paragraphs: ["Produced by X", ...ENGLISH, "***"] }, { file: "pg24823.txt", paragraphs: SPANISH }] }], []);
  assert.deepEqual(documents.map((d) => d.text), ENGLISH);
  assert.deepEqual(cleaning[0], { source: "gutenberg_english_more", documents: 6, kept: 2, boilerplate: 2, duplicates: 0, leaked: 0, droppedBooks: ["pg24823.txt (not English)"] });
});

test("the corpus card counts words and Han characters per source, each source's share and license, and what was removed", () => {
  assert.deepEqual(countWordsAndHan("He said 你好, twice 2 times。"), { words: 5, han: 2 });
  const corpus = cleanCorpus(
    [
      { source: "en", texts: ["one two three four", "five six", "five six"] },
      { source: "zh", texts: ["一二三四", "五六"] },
    ],
    ["gone"],
  );
  const card = corpusCard(corpus, { license: (s) => (s === "en" ? "Public domain; see notes" : "CC BY 4.0 (file)") });
  assert.deepEqual(card.rows.map((r) => [r.source, r.language, r.documents, r.characters, r.words, r.hanCharacters, r.share]), [["en", "en", 2, 26, 6, 0, 0.5], ["zh", "zh", 2, 6, 0, 6, 0.5]]);
  assert.deepEqual(card.languageShare, { en: 0.5, zh: 0.5 });
  assert.equal(card.rows[0]?.removed.duplicates, 1);
  assert.deepEqual([card.total.documents, card.total.words, card.total.hanCharacters, card.total.removed.duplicates], [4, 6, 6, 1]);
  const table = corpusCardTable(card);
  assert.equal(table.length, 3);
  assert.equal(table[1]?.["license"], "CC BY 4.0");
  assert.equal(table[2]?.["language"], "en 50 %, zh 50 %");
});
