/**
 * Hugging Face file formats for a BERT WordPiece tokenizer: `tokenizer.json` (read by the Rust `tokenizers`
 * package and transformers.js), `vocab.txt` (one token per line, line n = id n-1), and the `tokenizer_config.json` +
 * `special_tokens_map.json` that transformers.js' `AutoTokenizer.from_pretrained(dir)` reads. Writes go to a temp
 * name, then rename. Malformed files — and settings that would change the result but are not implemented — raise
 * errors naming the file (and line), the field and its value, and the way out.
 */
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic";
import type { AddedToken } from "./added-tokens";
import { BertTokenizer, type BertTokenizerOptions } from "./tokenizer";

/** Serialises the vocabulary as `vocab.txt` (one token per line, trailing newline). */
export function vocabToTxt(vocab: readonly string[]): string {
  for (const [id, token] of vocab.entries()) {
    if (token === "" || /[\r\n]/.test(token)) throw new Error(`vocab.txt cannot hold token ${id} ${JSON.stringify(token)} (empty or has a newline)`);
  }
  return vocab.join("\n") + "\n";
}

/**
 * Parses `vocab.txt`: line n (1-based) is the token with id n-1. Lines end at `\n`; one `\r` before it (CRLF) is
 * dropped. Nothing else is trimmed: a line holding only U+2028 LINE SEPARATOR, U+00A0 or U+3000 is that token
 * (Chinese BERT's vocabulary has such lines), as in transformers' Python `load_vocab` (`rstrip("\n")`). Rust
 * `tokenizers`' `WordPiece.from_file` instead applies Rust's Unicode `trim_end`, so it reads those lines as the
 * token "" — same ids, different string for that one line.
 * @param file named in error messages
 * @throws on an empty line, a duplicate token, or a lone `\r` inside a line (Python's universal newlines would read
 *   it as a line break and shift every later id), naming `file:line`
 */
export function readVocabTxt(text: string, file = "vocab.txt"): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const seen = new Map<string, number>();
  return lines.map((raw, i) => {
    const token = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (token === "") throw new Error(`${file}:${i + 1}: empty token; every line must hold one token (delete the line or fill it)`);
    if (token.includes("\r")) {
      throw new Error(`${file}:${i + 1}: token ${JSON.stringify(token)} holds a carriage return (U+000D); readers disagree on whether it ends the line, so ids would shift (use tokenizer.json, which quotes tokens)`);
    }
    const before = seen.get(token);
    if (before !== undefined) throw new Error(`${file}:${i + 1}: token ${JSON.stringify(token)} already on line ${before}; each token once`);
    seen.set(token, i + 1);
    return token;
  });
}

/** HF `tokenizer.json` of a BERT WordPiece tokenizer (padding and truncation null; every added token with its flags). */
export function tokenizerToJson(tokenizer: BertTokenizer): Record<string, unknown> {
  const vocab = tokenizer.model.vocab;
  const { cleanText, handleChineseChars, stripAccents, lowercase } = tokenizer.normalizerOptions;
  const special = (token: string): Record<string, unknown> => ({ id: token, ids: [tokenizer.tokenToId(token)!], tokens: [token] });
  const ordered = [...tokenizer.addedVocabulary.tokens].sort((a, b) => a.id - b.id);
  const template = tokenizer.hasTemplate;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ordered.map((token) => ({
      id: token.id,
      content: token.content,
      single_word: token.singleWord,
      lstrip: token.lstrip,
      rstrip: token.rstrip,
      normalized: token.normalized,
      special: token.special,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: cleanText,
      handle_chinese_chars: handleChineseChars,
      strip_accents: stripAccents === lowercase ? null : stripAccents,
      lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: !template
      ? null
      : {
          type: "TemplateProcessing",
          single: [
            { SpecialToken: { id: tokenizer.clsToken, type_id: 0 } },
            { Sequence: { id: "A", type_id: 0 } },
            { SpecialToken: { id: tokenizer.sepToken, type_id: 0 } },
          ],
          pair: [
            { SpecialToken: { id: tokenizer.clsToken, type_id: 0 } },
            { Sequence: { id: "A", type_id: 0 } },
            { SpecialToken: { id: tokenizer.sepToken, type_id: 0 } },
            { Sequence: { id: "B", type_id: 1 } },
            { SpecialToken: { id: tokenizer.sepToken, type_id: 1 } },
          ],
          special_tokens: { [tokenizer.clsToken]: special(tokenizer.clsToken), [tokenizer.sepToken]: special(tokenizer.sepToken) },
        },
    decoder: tokenizer.decoder === null ? null : { type: "WordPiece", prefix: tokenizer.decoder.prefix, cleanup: tokenizer.decoder.cleanup },
    model: {
      type: "WordPiece",
      unk_token: tokenizer.model.unkToken,
      continuing_subword_prefix: tokenizer.model.continuingSubwordPrefix,
      max_input_chars_per_word: tokenizer.model.maxInputCharsPerWord,
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
    },
  };
}

/** Line (1-based) of the first occurrence of `needle` in `text`, for error messages. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

/**
 * Builds a tokenizer from the text of a HF `tokenizer.json`. Every field that changes the result is either
 * implemented or refused with an error naming the field, its value and the way out (issue #11):
 * - `added_tokens`: all flags (`special`, `normalized`, `single_word`, `lstrip`, `rstrip`), ids past the vocabulary;
 * - `normalizer`: `BertNormalizer` (`clean_text`, `handle_chinese_chars`, `strip_accents`, `lowercase`);
 * - `pre_tokenizer`: `BertPreTokenizer`;
 * - `model`: `WordPiece` (`unk_token`, `continuing_subword_prefix`, `max_input_chars_per_word`, `vocab`);
 * - `post_processor`: BERT's template as `TemplateProcessing` or `BertProcessing`, or null (no `[CLS]`/`[SEP]`);
 * - `decoder`: `WordPiece` (`prefix`, `cleanup`) or null (tokens joined with spaces);
 * - `truncation`, `padding`: only null (pass `maxLength` / `padding` to `encode` instead);
 * - any other key, at the top or inside these objects: refused.
 */
export function tokenizerFromJson(text: string, file = "tokenizer.json"): BertTokenizer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split("\n").length : 1;
    throw new Error(`${file}:${line}: not valid JSON (${message}); re-save it with tokenizer.save() or saveTokenizer()`);
  }
  const fail = (needle: string, what: string): never => {
    throw new Error(`${file}:${lineOf(text, needle)}: ${what}`);
  };
  const show = (value: unknown): string => {
    const shown = JSON.stringify(value) ?? String(value);
    return shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
  };
  /** Refuses keys of `object` outside `known`, naming `where.key` and its value. */
  const onlyKeys = (object: Record<string, unknown>, where: string, known: readonly string[]): void => {
    for (const [key, value] of Object.entries(object)) {
      if (!known.includes(key)) fail(`"${key}"`, `${where}${key} = ${show(value)} is not supported by this library (it knows ${known.join(", ")}); remove it or use the Rust tokenizers`);
    }
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(json)) return fail("", "expected a JSON object at the top level");
  const root = json;
  onlyKeys(root, "", ["version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder", "model"]);
  for (const key of ["truncation", "padding"] as const) {
    if (root[key] != null) fail(`"${key}"`, `${key} = ${show(root[key])}: a tokenizer-level ${key} is not supported; set it to null and pass ${key === "truncation" ? "{ maxLength }" : '{ padding: "longest" | "maxLength" }'} to encode()`);
  }

  // model
  const model = root["model"];
  if (!isObject(model)) return fail('"model"', 'no "model" object; a WordPiece tokenizer.json has model.type "WordPiece"');
  if (model["type"] !== undefined && model["type"] !== "WordPiece") fail('"model"', `model.type is ${JSON.stringify(model["type"])}; only "WordPiece" is supported`);
  onlyKeys(model, "model.", ["type", "unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"]);
  const vocabObject = model["vocab"];
  if (!isObject(vocabObject)) return fail('"vocab"', "model.vocab must be an object token → id");
  const entries = Object.entries(vocabObject);
  const vocab: string[] = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= entries.length) {
      fail(JSON.stringify(token) + ":", `model.vocab[${JSON.stringify(token)}] = ${JSON.stringify(id)}; ids must be the integers 0..${entries.length - 1}`);
    }
    if (vocab[id as number] !== undefined) fail(JSON.stringify(token) + ":", `id ${String(id)} used twice (${JSON.stringify(vocab[id as number])} and ${JSON.stringify(token)})`);
    vocab[id as number] = token;
  }
  for (const [i, token] of vocab.entries()) if (token === undefined) fail('"vocab"', `model.vocab has no token with id ${i}`);
  const options: BertTokenizerOptions = {};
  const modelField = <T>(key: string, kind: "string" | "number", fallback: T): T => {
    const v = model[key];
    if (v === undefined) return fallback;
    if (typeof v !== kind || (kind === "number" && !(Number.isInteger(v) && (v as number) > 0))) fail(`"${key}"`, `model.${key} = ${show(v)} must be a ${kind === "number" ? "positive integer" : "string"}`);
    return v as T;
  };
  options.unkToken = modelField("unk_token", "string", "[UNK]");
  options.continuingSubwordPrefix = modelField("continuing_subword_prefix", "string", "##");
  options.maxInputCharsPerWord = modelField("max_input_chars_per_word", "number", 100);

  // normalizer
  const normalizer = root["normalizer"];
  if (!isObject(normalizer) || normalizer["type"] !== "BertNormalizer") {
    return fail('"normalizer"', `normalizer must be {"type": "BertNormalizer", ...}, found ${show(isObject(normalizer) ? normalizer["type"] : normalizer)}`);
  }
  onlyKeys(normalizer, "normalizer.", ["type", "clean_text", "handle_chinese_chars", "strip_accents", "lowercase"]);
  const flag = (key: string, fallback: boolean): boolean => {
    const v = normalizer[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") return fail(`"${key}"`, `normalizer.${key} must be true, false or null, found ${show(v)}`);
    return v;
  };
  options.cleanText = flag("clean_text", true);
  options.handleChineseChars = flag("handle_chinese_chars", true);
  options.lowercase = flag("lowercase", true);
  options.stripAccents = flag("strip_accents", options.lowercase);

  // pre_tokenizer
  const pre = root["pre_tokenizer"];
  if (!isObject(pre) || pre["type"] !== "BertPreTokenizer") fail('"pre_tokenizer"', `pre_tokenizer must be {"type": "BertPreTokenizer"}, found ${show(isObject(pre) ? pre["type"] : pre)}`);
  onlyKeys(pre as Record<string, unknown>, "pre_tokenizer.", ["type"]);

  // added_tokens
  const added = root["added_tokens"] ?? [];
  if (!Array.isArray(added)) return fail('"added_tokens"', `added_tokens must be a list, found ${show(added)}`);
  options.addedTokens = added.map((entry: unknown, i) => {
    if (!isObject(entry)) return fail('"added_tokens"', `added_tokens[${i}] must be an object`);
    onlyKeys(entry, `added_tokens[${i}].`, ["id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"]);
    const { id, content } = entry;
    if (typeof content !== "string" || content === "") return fail('"added_tokens"', `added_tokens[${i}].content must be a non-empty string, found ${show(content)}`);
    const needle = JSON.stringify(content);
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) return fail(needle, `added_tokens[${i}] (${needle}).id must be a non-negative integer, found ${show(id)}`);
    const bool = (key: string): boolean | undefined => {
      const v = entry[key];
      if (v === undefined) return undefined;
      if (typeof v !== "boolean") return fail(needle, `added_tokens[${i}] (${needle}).${key} must be true or false, found ${show(v)}`);
      return v;
    };
    const special = bool("special") ?? false;
    return { id, content, special, normalized: bool("normalized") ?? !special, singleWord: bool("single_word") ?? false, lstrip: bool("lstrip") ?? false, rstrip: bool("rstrip") ?? false };
  });

  // post_processor: only BERT's template (what the encoder implements), or none
  const post = root["post_processor"];
  const idOf = (token: string): number | undefined => vocab.indexOf(token) >= 0 ? vocab.indexOf(token) : options.addedTokens?.find((t) => t.content === token)?.id;
  const checkSpecial = (where: string, token: unknown, id: unknown): string => {
    if (typeof token !== "string") return fail('"post_processor"', `${where} must name a token, found ${show(token)}`);
    if (id !== undefined && id !== idOf(token)) fail(JSON.stringify(token), `${where}: ${JSON.stringify(token)} has id ${show(id)} there but ${show(idOf(token) ?? null)} in the vocabulary; make them agree`);
    return token;
  };
  if (post === null || post === undefined) {
    options.template = false;
  } else if (!isObject(post)) {
    fail('"post_processor"', `post_processor must be an object or null, found ${show(post)}`);
  } else if (post["type"] === "BertProcessing") {
    onlyKeys(post, "post_processor.", ["type", "cls", "sep"]);
    const cls = post["cls"];
    const sep = post["sep"];
    if (!Array.isArray(cls) || !Array.isArray(sep)) fail('"post_processor"', `post_processor (BertProcessing) needs "cls" and "sep" as [token, id], found ${show({ cls, sep })}`);
    options.clsToken = checkSpecial("post_processor.cls", (cls as unknown[])[0], (cls as unknown[])[1]);
    options.sepToken = checkSpecial("post_processor.sep", (sep as unknown[])[0], (sep as unknown[])[1]);
  } else if (post["type"] === "TemplateProcessing") {
    onlyKeys(post, "post_processor.", ["type", "single", "pair", "special_tokens"]);
    const single = post["single"];
    const first = Array.isArray(single) ? (single[0] as { SpecialToken?: { id?: unknown } } | undefined)?.SpecialToken?.id : undefined;
    const last = Array.isArray(single) ? (single[2] as { SpecialToken?: { id?: unknown } } | undefined)?.SpecialToken?.id : undefined;
    if (typeof first !== "string" || typeof last !== "string") return fail('"single"', `post_processor.single must be [CLS] $A [SEP], found ${show(single)}`);
    const s = (id: string, type: number) => ({ SpecialToken: { id, type_id: type } });
    const q = (id: "A" | "B", type: number) => ({ Sequence: { id, type_id: type } });
    const bertSingle = [s(first, 0), q("A", 0), s(last, 0)];
    const bertPair = [s(first, 0), q("A", 0), s(last, 0), q("B", 1), s(last, 1)];
    // The encoder implements exactly BERT's template: anything else (other type ids, a third special) is refused.
    if (JSON.stringify(single) !== JSON.stringify(bertSingle)) fail('"single"', `post_processor.single = ${show(single)} is not BERT's template ${show(bertSingle)}`);
    if (JSON.stringify(post["pair"]) !== JSON.stringify(bertPair)) fail('"pair"', `post_processor.pair = ${show(post["pair"])} is not BERT's template ${show(bertPair)}`);
    const specials = post["special_tokens"];
    if (!isObject(specials)) return fail('"special_tokens"', `post_processor.special_tokens must be an object, found ${show(specials)}`);
    for (const [name, spec] of Object.entries(specials)) {
      const entry = spec as { id?: unknown; ids?: unknown; tokens?: unknown };
      if (!Array.isArray(entry.ids) || !Array.isArray(entry.tokens) || entry.ids.length !== 1 || entry.tokens[0] !== name || entry.id !== name) {
        fail(JSON.stringify(name), `post_processor.special_tokens[${JSON.stringify(name)}] = ${show(spec)}: only one-token specials {id, ids: [n], tokens: [id]} are supported`);
      }
      checkSpecial(`post_processor.special_tokens[${JSON.stringify(name)}]`, name, (entry.ids as unknown[])[0]);
    }
    for (const token of [first, last]) if (!isObject(specials[token])) fail('"special_tokens"', `post_processor.special_tokens has no entry for ${JSON.stringify(token)}`);
    options.clsToken = first;
    options.sepToken = last;
  } else {
    fail('"post_processor"', `post_processor.type ${JSON.stringify(post["type"])} is not supported; use TemplateProcessing or BertProcessing (BERT's template) or null`);
  }

  // decoder
  const decoder = root["decoder"];
  if (decoder === null || decoder === undefined) {
    options.decoder = null;
  } else if (!isObject(decoder) || decoder["type"] !== "WordPiece") {
    fail('"decoder"', `decoder must be {"type": "WordPiece", ...} or null, found ${show(isObject(decoder) ? decoder["type"] : decoder)}`);
  } else {
    onlyKeys(decoder, "decoder.", ["type", "prefix", "cleanup"]);
    const prefix = decoder["prefix"] ?? "##";
    const cleanup = decoder["cleanup"] ?? true;
    if (typeof prefix !== "string") fail('"prefix"', `decoder.prefix must be a string, found ${show(prefix)}`);
    if (typeof cleanup !== "boolean") fail('"cleanup"', `decoder.cleanup must be true or false, found ${show(cleanup)}`);
    options.decoder = { prefix: prefix as string, cleanup: cleanup as boolean };
  }
  try {
    return new BertTokenizer(vocab, options);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** transformers.js / transformers `tokenizer_config.json` for this tokenizer. */
export function tokenizerConfig(tokenizer: BertTokenizer, modelMaxLength = 512): Record<string, unknown> {
  const { lowercase, stripAccents, handleChineseChars } = tokenizer.normalizerOptions;
  return {
    tokenizer_class: "BertTokenizer",
    do_lower_case: lowercase,
    strip_accents: stripAccents === lowercase ? null : stripAccents,
    tokenize_chinese_chars: handleChineseChars,
    do_basic_tokenize: true,
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: tokenizer.decoder?.cleanup ?? false,
    ...specialTokensMap(tokenizer),
    // transformers' own record of the added tokens (so a folder read through vocab.txt keeps them too)
    added_tokens_decoder: Object.fromEntries(
      tokenizer.addedVocabulary.tokens.map((t) => [
        String(t.id),
        { content: t.content, lstrip: t.lstrip, normalized: t.normalized, rstrip: t.rstrip, single_word: t.singleWord, special: t.special },
      ]),
    ),
  };
}

/** `special_tokens_map.json`. */
export function specialTokensMap(tokenizer: BertTokenizer): Record<string, string> {
  return {
    unk_token: tokenizer.model.unkToken,
    sep_token: tokenizer.sepToken,
    pad_token: tokenizer.padToken,
    cls_token: tokenizer.clsToken,
    mask_token: tokenizer.maskToken,
  };
}


/**
 * Writes `tokenizer.json`, `vocab.txt`, `tokenizer_config.json` and `special_tokens_map.json` into `dir`
 * (created if missing), so HF `tokenizers` and transformers.js (offline) load the same tokenizer.
 */
export function saveTokenizer(tokenizer: BertTokenizer, dir: string, options: { modelMaxLength?: number } = {}): void {
  const { modelMaxLength = 512 } = options;
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, "tokenizer.json"), JSON.stringify(tokenizerToJson(tokenizer), null, 2) + "\n");
  writeFileAtomic(join(dir, "vocab.txt"), vocabToTxt(tokenizer.model.vocab));
  writeFileAtomic(join(dir, "tokenizer_config.json"), JSON.stringify(tokenizerConfig(tokenizer, modelMaxLength), null, 2) + "\n");
  writeFileAtomic(join(dir, "special_tokens_map.json"), JSON.stringify(specialTokensMap(tokenizer), null, 2) + "\n");
}

/** Keys of `tokenizer_config.json` / `special_tokens_map.json` with no effect on ids or decoded text here. */
const INERT_CONFIG_KEYS = new Set([
  "name_or_path", "special_tokens_map_file", "tokenizer_file", "model_max_length", "model_input_names", "max_len",
  "init_inputs", "auto_map", "extra_special_tokens", "processor_class", "use_fast", "additional_special_tokens",
]);
const SPECIAL_KEYS = { unk_token: "unkToken", sep_token: "sepToken", pad_token: "padToken", cls_token: "clsToken", mask_token: "maskToken" } as const;

/**
 * The options a `vocab.txt` folder's `tokenizer_config.json` and `special_tokens_map.json` imply (what
 * transformers' `BertTokenizerFast` builds from them). Implemented: `do_lower_case`, `strip_accents`,
 * `tokenize_chinese_chars`, the five special tokens (string or `{content}`), `clean_up_tokenization_spaces`,
 * `added_tokens_decoder`. Accepted with a fixed value only: `tokenizer_class` (BertTokenizer[Fast]),
 * `do_basic_tokenize` (true), `never_split` (empty), `padding_side` / `truncation_side` ("right"),
 * `additional_special_tokens` (each already in `added_tokens_decoder`). Inert keys (`model_max_length`, names,
 * paths) are ignored; anything else is refused.
 */
export function folderOptions(files: { path: string; json: Record<string, unknown> }[], vocab: readonly string[]): BertTokenizerOptions {
  const options: BertTokenizerOptions = {};
  const specials = new Map<string, string>();
  let addedDecoder: AddedToken[] | undefined;
  for (const { path, json } of files) {
    const refuse = (key: string, why: string): never => {
      throw new Error(`${path}: ${key} = ${JSON.stringify(json[key])} ${why}; save the tokenizer as tokenizer.json (tokenizer.save) or remove the key`);
    };
    const bool = (key: string): boolean => (typeof json[key] === "boolean" ? (json[key] as boolean) : refuse(key, "must be true or false"));
    for (const [key, value] of Object.entries(json)) {
      if (INERT_CONFIG_KEYS.has(key)) continue;
      if (key === "do_lower_case") options.lowercase = bool(key);
      else if (key === "strip_accents") options.stripAccents = value === null ? undefined : bool(key);
      else if (key === "tokenize_chinese_chars") options.handleChineseChars = bool(key);
      else if (key === "clean_up_tokenization_spaces") options.decoder = { prefix: "##", cleanup: bool(key) };
      else if (key in SPECIAL_KEYS) {
        const content = typeof value === "string" ? value : (value as { content?: unknown } | null)?.content;
        if (typeof content !== "string") refuse(key, "must be a token string or {content}");
        specials.set(key, content as string);
      } else if (key === "tokenizer_class") {
        if (value !== "BertTokenizer" && value !== "BertTokenizerFast") refuse(key, "is not a BERT WordPiece tokenizer");
      } else if (key === "do_basic_tokenize") {
        if (value !== true) refuse(key, "(no BERT pre-tokenisation) is not supported");
      } else if (key === "never_split") {
        if (value !== null && !(Array.isArray(value) && value.length === 0)) refuse(key, "is not supported (a tokenizer.json added token with normalized: false does this)");
      } else if (key === "padding_side" || key === "truncation_side") {
        if (value !== "right") refuse(key, 'is not supported (we pad and truncate on the right)');
      } else if (key === "added_tokens_decoder") {
        addedDecoder = Object.entries(value as Record<string, Record<string, unknown>>).map(([id, t]) => ({
          id: Number(id),
          content: String(t["content"]),
          special: t["special"] === true,
          normalized: t["normalized"] === true,
          singleWord: t["single_word"] === true,
          lstrip: t["lstrip"] === true,
          rstrip: t["rstrip"] === true,
        }));
      } else refuse(key, "is not a setting this library knows");
    }
  }
  for (const [key, content] of specials) options[SPECIAL_KEYS[key as keyof typeof SPECIAL_KEYS]] = content;
  // BertTokenizerFast adds the five special tokens (and added_tokens_decoder's) as special, non-normalised tokens.
  const added = addedDecoder ?? [];
  for (const content of [options.padToken ?? "[PAD]", options.unkToken ?? "[UNK]", options.clsToken ?? "[CLS]", options.sepToken ?? "[SEP]", options.maskToken ?? "[MASK]"]) {
    const id = vocab.indexOf(content);
    if (id >= 0 && !added.some((t) => t.content === content)) added.push({ id, content, special: true, normalized: false });
  }
  options.addedTokens = added.sort((a, b) => a.id - b.id);
  return options;
}

/**
 * Loads a tokenizer folder: `tokenizer.json` if present, else `vocab.txt` with the settings of
 * `tokenizer_config.json` and `special_tokens_map.json` (see {@link folderOptions}).
 * @throws naming the file: a malformed file, a setting we do not implement, no tokenizer at all
 */
export function loadTokenizer(dir: string): BertTokenizer {
  const jsonPath = join(dir, "tokenizer.json");
  if (existsSync(jsonPath)) return tokenizerFromJson(readFileSync(jsonPath, "utf8"), jsonPath);
  const vocabPath = join(dir, "vocab.txt");
  if (!existsSync(vocabPath)) throw new Error(`${dir}: neither tokenizer.json nor vocab.txt found; train one with \`course tokenizer train\``);
  const vocab = readVocabTxt(readFileSync(vocabPath, "utf8"), vocabPath);
  const addedPath = join(dir, "added_tokens.json");
  if (existsSync(addedPath)) throw new Error(`${addedPath}: added tokens without their flags are not supported; load the folder in transformers and save it with a tokenizer.json`);
  const files = ["special_tokens_map.json", "tokenizer_config.json"]
    .map((name) => join(dir, name))
    .filter((path) => existsSync(path))
    .map((path) => {
      try {
        return { path, json: JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown> };
      } catch (error) {
        throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
      }
    });
  try {
    return new BertTokenizer(vocab, folderOptions(files, vocab));
  } catch (error) {
    throw new Error(`${dir}: ${(error as Error).message}`);
  }
}
