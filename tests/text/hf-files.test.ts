import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BertTokenizer, readVocabTxt, vocabToTxt, tokenizerFromJson, tokenizerToJson, saveTokenizer, loadTokenizer } from "../../lib/text";

const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"];

test("vocab.txt round trip; CRLF tolerated", () => {
  assert.deepEqual(readVocabTxt(vocabToTxt(VOCAB)), VOCAB);
  assert.deepEqual(readVocabTxt("[UNK]\r\na\r\n"), ["[UNK]", "a"]);
});

test("vocab.txt errors name the file and line", () => {
  assert.throws(() => readVocabTxt("[UNK]\n\nb\n", "my/vocab.txt"), /my\/vocab\.txt:2: empty token/);
  assert.throws(() => readVocabTxt("[UNK]\na\nb\na\n", "v.txt"), /v\.txt:4: token "a" already on line 2/);
});

test("tokenizer.json round trip keeps vocabulary and options", () => {
  const cased = new BertTokenizer(VOCAB, { lowercase: false });
  const json = tokenizerToJson(cased);
  assert.deepEqual((json["normalizer"] as Record<string, unknown>)["lowercase"], false);
  const back = tokenizerFromJson(JSON.stringify(json));
  assert.deepEqual(back.model.vocab, VOCAB);
  assert.equal(back.normalizerOptions.lowercase, false);
  assert.equal(back.normalizerOptions.stripAccents, false);
});

test("malformed tokenizer.json: errors give file, line and a way out", () => {
  const good = JSON.stringify(tokenizerToJson(new BertTokenizer(VOCAB)), null, 2);
  assert.throws(() => tokenizerFromJson(good.slice(0, 200), "t.json"), /t\.json:\d+: not valid JSON/);
  const bpe = good.replace('"type": "WordPiece",\n    "unk_token"', '"type": "BPE",\n    "unk_token"');
  assert.throws(() => tokenizerFromJson(bpe, "t.json"), /t\.json:\d+: model\.type is "BPE"; only "WordPiece" is supported/);
  const badId = good.replace('"##ed": 7', '"##ed": "7"');
  const line = badId.split("\n").findIndex((l) => l.includes('"##ed": "7"')) + 1;
  assert.throws(() => tokenizerFromJson(badId, "t.json"), new RegExp(`t\\.json:${line}: model\\.vocab\\["##ed"\\] = "7"`));
  const noUnk = good.replace('"[UNK]": 1', '"[UNKNOWN]": 1');
  assert.throws(() => tokenizerFromJson(noUnk, "t.json"), /t\.json: WordPiece vocabulary has no unknown token/);
  const byteLevel = good.replace('"type": "BertPreTokenizer"', '"type": "ByteLevel"');
  assert.throws(() => tokenizerFromJson(byteLevel, "t.json"), /pre_tokenizer must be \{"type": "BertPreTokenizer"\}, found "ByteLevel"/);
});

test("saveTokenizer writes the four files and loadTokenizer reads them (or vocab.txt alone)", () => {
  const dir = mkdtempSync(join(tmpdir(), "course-text-"));
  const tokenizer = new BertTokenizer(VOCAB, { lowercase: false });
  saveTokenizer(tokenizer, dir);
  assert.deepEqual(readdirSync(dir).sort(), ["special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"]);
  const config = JSON.parse(readFileSync(join(dir, "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
  assert.equal(config["tokenizer_class"], "BertTokenizer");
  assert.equal(config["do_lower_case"], false);
  assert.deepEqual(loadTokenizer(dir).encode("Unwanted").inputIds, tokenizer.encode("Unwanted").inputIds);
  rmSync(join(dir, "tokenizer.json"));
  const fromVocab = loadTokenizer(dir);
  assert.equal(fromVocab.normalizerOptions.lowercase, false);
  assert.deepEqual(fromVocab.model.vocab, VOCAB);
  writeFileSync(join(dir, "vocab.txt"), "[UNK]\n\n");
  assert.throws(() => loadTokenizer(dir), /vocab\.txt:2: empty token/);
  assert.throws(() => loadTokenizer(join(dir, "missing")), /neither tokenizer\.json nor vocab\.txt/);
});

test("loads a BertProcessing post-processor like TemplateProcessing", () => {
  const json = tokenizerToJson(new BertTokenizer(VOCAB));
  json["post_processor"] = { type: "BertProcessing", sep: ["[SEP]", 3], cls: ["[CLS]", 2] };
  const tokenizer = tokenizerFromJson(JSON.stringify(json));
  assert.deepEqual(tokenizer.encode("unwanted", "running").tokens, ["[CLS]", "un", "##want", "##ed", "[SEP]", "runn", "##ing", "[SEP]"]);
});
