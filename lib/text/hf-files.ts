/**
 * Hugging Face file formats for a BERT WordPiece tokenizer: `tokenizer.json` (read by the Rust `tokenizers`
 * package and transformers.js), `vocab.txt` (one token per line, line n = id n-1), and the `tokenizer_config.json` +
 * `special_tokens_map.json` that transformers.js' `AutoTokenizer.from_pretrained(dir)` reads. Writes go to a temp
 * name, then rename. Malformed files raise errors naming the file, the line and the fix.
 */
import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { writeFileAtomic } from "../core/atomic";
import { join } from "node:path";
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

/** HF `tokenizer.json` of a BERT WordPiece tokenizer (padding and truncation null). */
export function tokenizerToJson(tokenizer: BertTokenizer): Record<string, unknown> {
  const vocab = tokenizer.model.vocab;
  const { cleanText, handleChineseChars, stripAccents, lowercase } = tokenizer.normalizerOptions;
  const special = (token: string): Record<string, unknown> => ({ id: token, ids: [tokenizer.tokenToId(token)!], tokens: [token] });
  const ordered = [...tokenizer.specialTokens].sort((a, b) => tokenizer.tokenToId(a)! - tokenizer.tokenToId(b)!);
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ordered.map((token) => ({
      id: tokenizer.tokenToId(token)!,
      content: token,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: cleanText,
      handle_chinese_chars: handleChineseChars,
      strip_accents: stripAccents === lowercase ? null : stripAccents,
      lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
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
    decoder: { type: "WordPiece", prefix: tokenizer.model.continuingSubwordPrefix, cleanup: true },
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
 * Builds a tokenizer from the text of a HF `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece model,
 * TemplateProcessing or BertProcessing). Anything else is refused with the file, line and what we support.
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
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("", "expected a JSON object at the top level");
  const root = json as Record<string, unknown>;
  const model = root["model"] as Record<string, unknown> | undefined;
  if (typeof model !== "object" || model === null) return fail('"model"', 'no "model" object; a WordPiece tokenizer.json has model.type "WordPiece"');
  if (model["type"] !== undefined && model["type"] !== "WordPiece") fail('"model"', `model.type is ${JSON.stringify(model["type"])}; only "WordPiece" is supported`);
  const vocabObject = model["vocab"];
  if (typeof vocabObject !== "object" || vocabObject === null || Array.isArray(vocabObject)) fail('"vocab"', "model.vocab must be an object token → id");
  const entries = Object.entries(vocabObject as Record<string, unknown>);
  const vocab: string[] = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= entries.length) {
      fail(JSON.stringify(token) + ":", `model.vocab[${JSON.stringify(token)}] = ${JSON.stringify(id)}; ids must be the integers 0..${entries.length - 1}`);
    }
    if (vocab[id as number] !== undefined) fail(JSON.stringify(token) + ":", `id ${String(id)} used twice (${JSON.stringify(vocab[id as number])} and ${JSON.stringify(token)})`);
    vocab[id as number] = token;
  }
  const options: BertTokenizerOptions = {};
  if (typeof model["unk_token"] === "string") options.unkToken = model["unk_token"];
  if (typeof model["continuing_subword_prefix"] === "string") options.continuingSubwordPrefix = model["continuing_subword_prefix"];
  if (typeof model["max_input_chars_per_word"] === "number") options.maxInputCharsPerWord = model["max_input_chars_per_word"];
  const normalizer = root["normalizer"] as Record<string, unknown> | null | undefined;
  if (normalizer == null || normalizer["type"] !== "BertNormalizer") {
    fail('"normalizer"', `normalizer must be {"type": "BertNormalizer", ...}, found ${JSON.stringify(normalizer?.["type"] ?? null)}`);
  } else {
    const flag = (key: string, fallback: boolean): boolean => {
      const v = normalizer[key];
      if (v === undefined || v === null) return fallback;
      if (typeof v !== "boolean") return fail(`"${key}"`, `normalizer.${key} must be true, false or null`);
      return v;
    };
    options.cleanText = flag("clean_text", true);
    options.handleChineseChars = flag("handle_chinese_chars", true);
    options.lowercase = flag("lowercase", true);
    options.stripAccents = flag("strip_accents", options.lowercase);
  }
  const pre = root["pre_tokenizer"] as Record<string, unknown> | null | undefined;
  if (pre == null || pre["type"] !== "BertPreTokenizer") fail('"pre_tokenizer"', `pre_tokenizer must be {"type": "BertPreTokenizer"}, found ${JSON.stringify(pre?.["type"] ?? null)}`);
  const post = root["post_processor"] as Record<string, unknown> | null | undefined;
  if (post?.["type"] === "BertProcessing") {
    const cls = post["cls"];
    const sep = post["sep"];
    if (Array.isArray(cls) && typeof cls[0] === "string") options.clsToken = cls[0];
    if (Array.isArray(sep) && typeof sep[0] === "string") options.sepToken = sep[0];
  } else if (post?.["type"] === "TemplateProcessing") {
    const single = post["single"];
    const specials = Array.isArray(single)
      ? single.map((p: { SpecialToken?: { id?: unknown } }) => p.SpecialToken?.id).filter((id): id is string => typeof id === "string")
      : [];
    if (specials.length !== 2) fail('"single"', "post_processor.single must be [CLS] $A [SEP] (two special tokens)");
    options.clsToken = specials[0];
    options.sepToken = specials[1];
  } else if (post != null) {
    fail('"post_processor"', `post_processor.type ${JSON.stringify(post["type"])} is not supported; use TemplateProcessing or BertProcessing`);
  }
  for (const [i, token] of vocab.entries()) if (token === undefined) fail('"vocab"', `model.vocab has no token with id ${i}`);
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
    clean_up_tokenization_spaces: true,
    ...specialTokensMap(tokenizer),
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

/**
 * Loads a tokenizer folder: `tokenizer.json` if present, else `vocab.txt` (+ `do_lower_case` from
 * `tokenizer_config.json` when there is one).
 */
export function loadTokenizer(dir: string): BertTokenizer {
  const jsonPath = join(dir, "tokenizer.json");
  if (existsSync(jsonPath)) return tokenizerFromJson(readFileSync(jsonPath, "utf8"), jsonPath);
  const vocabPath = join(dir, "vocab.txt");
  if (!existsSync(vocabPath)) throw new Error(`${dir}: neither tokenizer.json nor vocab.txt found; train one with \`course tokenizer train\``);
  const options: BertTokenizerOptions = {};
  const configPath = join(dir, "tokenizer_config.json");
  if (existsSync(configPath)) {
    const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
    if (typeof config["do_lower_case"] === "boolean") options.lowercase = config["do_lower_case"];
    if (typeof config["strip_accents"] === "boolean") options.stripAccents = config["strip_accents"];
    if (typeof config["tokenize_chinese_chars"] === "boolean") options.handleChineseChars = config["tokenize_chinese_chars"];
  }
  return new BertTokenizer(readVocabTxt(readFileSync(vocabPath, "utf8"), vocabPath), options);
}
