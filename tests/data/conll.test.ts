import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConll, iobScheme, iob1ToIob2, loadConll2003 } from "../../lib/data/conll";

test("sentences split on blank lines, -DOCSTART- counted as documents, 4 columns kept apart", async () => {
  const data = await loadConll2003({ dir: join(__dirname, "..", "fixtures", "data", "conll2003") });
  assert.deepEqual([data.train.length, data.validation.length, data.test.length], [3, 1, 1]);
  assert.deepEqual(data.train[0], {
    tokens: ["Acme", "hires", "Dutch", "chefs", "."],
    pos: ["NNP", "VBZ", "JJ", "NNS", "."],
    chunks: ["B-NP", "B-VP", "B-NP", "I-NP", "O"],
    tags: ["B-ORG", "O", "B-MISC", "O", "O"],
    document: 0,
    line: 3,
  });
  assert.equal(data.train[2]?.document, 1);
  assert.equal(data.scheme, "IOB2");
  assert.deepEqual(data.tagNames, ["O", "B-LOC", "I-LOC", "B-MISC", "B-ORG", "B-PER", "I-PER"]);
});

test("a line without 4 columns or with a non-IOB tag names file and line", () => {
  assert.throws(() => parseConll("-DOCSTART- -X- -X- O\n\nA NN B-NP O\nB NN O\n", { file: "c.txt" }), /c\.txt:4: expected 4 columns/);
  assert.throws(() => parseConll("A NN B-NP PER\n", { file: "c.txt" }), /c\.txt:1: NER tag "PER" is not IOB/);
  assert.throws(() => parseConll("-DOCSTART- -X- -X- O\n\n", { file: "c.txt" }), /c\.txt: no sentences/);
});

test("iobScheme tells IOB1 from IOB2 and refuses a mix", () => {
  // IOB1: entities open with I-; B- only separates two adjacent entities of the same type.
  assert.equal(iobScheme([["I-PER", "I-PER", "O", "I-LOC"], ["I-LOC", "B-LOC"]]), "IOB1");
  assert.equal(iobScheme([["B-PER", "I-PER", "O", "B-LOC"], ["B-LOC", "B-LOC"]]), "IOB2");
  assert.equal(iobScheme([["O", "O"]]), "ambiguous");
  assert.throws(() => iobScheme([["I-PER", "O", "B-LOC"]]), /mix/);
});

test("iob1ToIob2 opens every entity with B- and leaves IOB2 unchanged", () => {
  assert.deepEqual(iob1ToIob2(["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]), ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"]);
  const iob2 = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC"];
  assert.deepEqual(iob1ToIob2(iob2), iob2);
  assert.equal(iobScheme([iob1ToIob2(["I-PER", "I-PER", "O", "I-LOC"])]), "IOB2");
});
