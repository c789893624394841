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

// Issue #11 part 1: vocab.txt lines end at "\n" only; U+2028 and friends are tokens.
const CASES = join(__dirname, "..", "fixtures", "text");

test("vocab.txt whose line 6 is U+2028 (a real Chinese BERT token) loads: 11 tokens, ids and encoding as Rust tokenizers", async () => {
  const dir = join(CASES, "vocab-line-separator");
  const ours = loadTokenizer(dir);
  assert.equal(ours.vocabSize, 11);
  assert.equal(ours.idToToken(5), "\u2028");
  assert.equal(ours.tokenToId("有"), 8);
  assert.equal(ours.tokenToId("##有"), 10);
  assert.deepEqual(ours.encode("的人有").inputIds, [2, 6, 7, 8, 3]);
  // The reference: Rust `tokenizers` 0.23.2, WordPiece.fromFile + BERT normaliser, pre-tokeniser, processor.
  const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer, bertProcessing } = await import("tokenizers");
  const rust = new Tokenizer(await WordPiece.fromFile(join(dir, "vocab.txt"), { unkToken: "[UNK]" }));
  rust.setNormalizer(bertNormalizer({}));
  rust.setPreTokenizer(bertPreTokenizer());
  rust.setPostProcessor(bertProcessing(["[SEP]", 3], ["[CLS]", 2]));
  assert.equal(rust.getVocabSize(), 11);
  // Rust applies its Unicode `trim_end` to each line, so it names id 5 "" where the file (and Python's
  // `load_vocab`) says U+2028; every other id agrees.
  assert.equal(rust.idToToken(5), "");
  for (const [id, token] of ours.model.vocab.entries()) if (id !== 5) assert.equal(rust.tokenToId(token), id, token);
  for (const text of ["的人有", "人有的", "有 人", "的\u2028人"]) {
    assert.deepEqual(ours.encode(text).inputIds, (await rust.encode(text)).getIds(), JSON.stringify(text));
  }
});

test("vocab.txt: U+2028, U+2029, U+0085, U+00A0, U+FEFF lines are tokens; CRLF ends a line; a lone \\r inside is refused", () => {
  const odd = ["\u2028", "\u2029", "\u0085", "\u00a0", "\ufeff", "a\u00a0b", "\u3000"];
  const vocab = ["[UNK]", ...odd, "z"];
  assert.deepEqual(readVocabTxt(vocab.join("\n") + "\n"), vocab);
  assert.deepEqual(readVocabTxt(vocab.join("\r\n") + "\r\n"), vocab);
  assert.deepEqual(readVocabTxt(vocabToTxt(vocab)), vocab);
  assert.throws(() => readVocabTxt("[UNK]\na\rb\n", "v.txt"), /v\.txt:2: token "a\\rb" holds a carriage return/);
  assert.throws(() => readVocabTxt("[UNK]\n\r\n", "v.txt"), /v\.txt:2: empty token/);
});

// Issue #11 part 2, the kind: every tokenizer.json field either changes our result as it changes Rust's, or
// the file is refused with the field and its value named.
const ADDED_CASE = join(CASES, "added-tokens.tokenizer.json");
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edited JSON fixtures

function variant(edit: (json: Json) => void): { text: string; file: string } {
  const json = JSON.parse(readFileSync(ADDED_CASE, "utf8")) as Json;
  edit(json);
  const file = join(mkdtempSync(join(tmpdir(), "course-fields-")), "tokenizer.json");
  const text = JSON.stringify(json, null, 2);
  writeFileSync(file, text);
  return { text, file };
}

test("implemented fields change our output exactly as they change Rust tokenizers'", async () => {
  const { Tokenizer } = await import("tokenizers");
  const edits: [string, (json: Json) => void][] = [
    ["post_processor: null (no [CLS]/[SEP])", (j) => (j["post_processor"] = null)],
    ["BertProcessing", (j) => (j["post_processor"] = { type: "BertProcessing", sep: ["[SEP]", 3], cls: ["[CLS]", 2] })],
    ["decoder: null (tokens joined by spaces)", (j) => (j["decoder"] = null)],
    ["decoder.cleanup false", (j) => (j["decoder"]["cleanup"] = false)],
    ["model.max_input_chars_per_word 5", (j) => (j["model"]["max_input_chars_per_word"] = 5)],
    ["model.unk_token [E1]", (j) => (j["model"]["unk_token"] = "[E1]")],
    ["normalizer.lowercase false", (j) => (j["normalizer"]["lowercase"] = false)],
    ["normalizer.strip_accents false", (j) => (j["normalizer"]["strip_accents"] = false)],
    ["normalizer.handle_chinese_chars false", (j) => (j["normalizer"]["handle_chinese_chars"] = false)],
    ["normalizer.clean_text false", (j) => (j["normalizer"]["clean_text"] = false)],
  ];
  const texts = ["hello [E1] world", "Committed héllo , it 's xyz .", "有helloxxx\u0007 world", "helloxxxcommitted"];
  for (const [name, edit] of edits) {
    const { text, file } = variant(edit);
    const ours = tokenizerFromJson(text, file);
    const rust = Tokenizer.fromFile(file);
    for (const input of texts) {
      const hf = await rust.encode(input);
      assert.deepEqual(ours.encode(input).inputIds, hf.getIds(), `${name}: ${input}`);
      assert.deepEqual(ours.encode(input).tokens, hf.getTokens(), `${name}: ${input}`);
      for (const skip of [false, true]) assert.equal(ours.decode(hf.getIds(), { skipSpecialTokens: skip }), await rust.decode(hf.getIds(), skip), `${name}: decode ${input}`);
    }
  }
});

test("a continuing_subword_prefix other than ## is honoured by the model and the decoder", async () => {
  const { Tokenizer } = await import("tokenizers");
  const { text, file } = variant((j) => {
    j["model"]["continuing_subword_prefix"] = "@@";
    j["decoder"]["prefix"] = "@@";
    j["model"]["vocab"] = Object.fromEntries(Object.entries(j["model"]["vocab"] as Record<string, number>).map(([t, id]) => [t.replace(/^##/, "@@"), id]));
  });
  const ours = tokenizerFromJson(text, file);
  const rust = Tokenizer.fromFile(file);
  for (const input of ["committed helloxxx", "hellxo"]) {
    const hf = await rust.encode(input);
    assert.deepEqual(ours.encode(input).tokens, hf.getTokens(), input);
    assert.equal(ours.decode(hf.getIds()), await rust.decode(hf.getIds(), false), input);
  }
});

test("fields we do not implement are refused, naming the field and its value", () => {
  const refused: [string, (json: Json) => void, RegExp][] = [
    ["truncation", (j) => (j["truncation"] = { direction: "Right", max_length: 8, strategy: "LongestFirst", stride: 0 }), /truncation = \{"direction":"Right","max_length":8.*set it to null and pass \{ maxLength \}/],
    ["padding", (j) => (j["padding"] = { strategy: "BatchLongest", direction: "Right", pad_id: 0, pad_type_id: 0, pad_token: "[PAD]", pad_to_multiple_of: null }), /padding = \{"strategy":"BatchLongest"/],
    ["normalizer type", (j) => (j["normalizer"] = { type: "Sequence", normalizers: [] }), /normalizer must be \{"type": "BertNormalizer", \.\.\.\}, found "Sequence"/],
    ["normalizer extra key", (j) => (j["normalizer"]["nfkc"] = true), /normalizer\.nfkc = true is not supported/],
    ["pre_tokenizer", (j) => (j["pre_tokenizer"] = { type: "Whitespace" }), /pre_tokenizer must be \{"type": "BertPreTokenizer"\}, found "Whitespace"/],
    ["post_processor type", (j) => (j["post_processor"] = { type: "RobertaProcessing", sep: ["[SEP]", 3], cls: ["[CLS]", 2] }), /post_processor\.type "RobertaProcessing" is not supported/],
    ["post_processor pair type ids", (j) => (j["post_processor"]["pair"][4]["SpecialToken"]["type_id"] = 0), /post_processor\.pair = .* is not BERT's template/],
    ["post_processor special id", (j) => (j["post_processor"]["special_tokens"]["[SEP]"]["ids"] = [4]), /"\[SEP\]" has id 4 there but 3 in the vocabulary/],
    ["decoder type", (j) => (j["decoder"] = { type: "ByteLevel" }), /decoder must be \{"type": "WordPiece", \.\.\.\} or null, found "ByteLevel"/],
    ["model extra key", (j) => (j["model"]["dropout"] = 0.1), /model\.dropout = 0\.1 is not supported/],
    ["model.unk_token type", (j) => (j["model"]["unk_token"] = 1), /model\.unk_token = 1 must be a string/],
    ["added token flag", (j) => (j["added_tokens"][5]["lstrip"] = "yes"), /added_tokens\[5\] \("\[E1\]"\)\.lstrip must be true or false, found "yes"/],
    ["added token key", (j) => (j["added_tokens"][5]["byte_fallback"] = true), /added_tokens\[5\]\.byte_fallback = true is not supported/],
    ["top-level key", (j) => (j["extra"] = 1), /extra = 1 is not supported/],
  ];
  for (const [name, edit, message] of refused) {
    const { text } = variant(edit);
    assert.throws(() => tokenizerFromJson(text, "t.json"), (e: Error) => /^t\.json:\d+: /.test(e.message) && message.test(e.message), name);
  }
});

test("a vocab.txt folder: tokenizer_config.json settings are implemented or refused, naming file, key and value", () => {
  const dir = mkdtempSync(join(tmpdir(), "course-folder-"));
  const original = tokenizerFromJson(readFileSync(ADDED_CASE, "utf8"), ADDED_CASE);
  saveTokenizer(original, dir);
  rmSync(join(dir, "tokenizer.json"));
  const fromVocab = loadTokenizer(dir); // added_tokens_decoder carries [E1] and helloxxx (id 21)
  for (const text of ["hello [E1] world", "HelloXXX committed"]) assert.deepEqual(fromVocab.encode(text).inputIds, original.encode(text).inputIds, text);
  assert.equal(fromVocab.vocabSize, 22);
  const config = join(dir, "tokenizer_config.json");
  const base = JSON.parse(readFileSync(config, "utf8")) as Record<string, unknown>;
  const withKeys = (extra: Record<string, unknown>): void => writeFileSync(config, JSON.stringify({ ...base, ...extra }));
  withKeys({ clean_up_tokenization_spaces: false });
  assert.deepEqual(loadTokenizer(dir).decoder, { prefix: "##", cleanup: false });
  withKeys({ unk_token: "[E1]" });
  assert.equal(loadTokenizer(dir).model.unkToken, "[E1]");
  for (const [key, value, why] of [
    ["do_basic_tokenize", false, /no BERT pre-tokenisation/],
    ["never_split", ["[E1]"], /never_split = \["\[E1\]"\] is not supported/],
    ["tokenizer_class", "RobertaTokenizer", /is not a BERT WordPiece tokenizer/],
    ["padding_side", "left", /padding_side = "left" is not supported/],
    ["spaces_between_special_tokens", false, /spaces_between_special_tokens = false is not a setting this library knows/],
  ] as const) {
    withKeys({ [key]: value });
    assert.throws(() => loadTokenizer(dir), (e: Error) => e.message.includes(`${config}: ${key} = `) && why.test(e.message), key);
  }
  writeFileSync(config, JSON.stringify(base));
  writeFileSync(join(dir, "added_tokens.json"), "{}");
  assert.throws(() => loadTokenizer(dir), /added_tokens\.json: added tokens without their flags are not supported/);
});
