import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTokenizer } from "../../lib/text";

const ROOT = join(__dirname, "..", "..");
const FIXTURE = join(ROOT, "tests", "fixtures", "text", "multilingual.txt");
const course = (...args: string[]): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, [join(ROOT, "bin", "course.js"), ...args], { encoding: "utf8", cwd: ROOT });

test("course tokenizer train + course tokenize, end to end on a fixture", () => {
  const dir = mkdtempSync(join(tmpdir(), "course-cli-"));
  const out = join(dir, "tok");
  const train = course("tokenizer", "train", "--corpus", FIXTURE, "--vocab-size", "250", "--min-frequency", "1", "--out", out);
  assert.equal(train.status, 0, String(train.stderr));
  assert.deepEqual(readdirSync(out).sort(), ["special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"]);
  const input = join(dir, "in.txt");
  writeFileSync(input, "The quick brown fox.\n我爱自然语言处理。\n\nunseen zyzzyva\n");
  const jsonl = join(dir, "ids.jsonl");
  const run = course("tokenize", "--tokenizer", out, "--in", input, "--out", jsonl);
  assert.equal(run.status, 0, String(run.stderr));
  const rows = readFileSync(jsonl, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as number[]);
  const tokenizer = loadTokenizer(out);
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0], tokenizer.encode("The quick brown fox.", null, { addSpecialTokens: false }).inputIds);
  assert.deepEqual(rows[2], []);
  const special = course("tokenize", "--tokenizer", out, "--in", input, "--out", jsonl, "--special");
  assert.equal(special.status, 0);
  const first = JSON.parse(readFileSync(jsonl, "utf8").split("\n")[0]!) as number[];
  assert.deepEqual([first[0], first[first.length - 1]], [2, 3]);
});

test("cased training keeps capitals; bad arguments fail with a clear message", () => {
  const dir = mkdtempSync(join(tmpdir(), "course-cli-"));
  const cased = course("tokenizer", "train", "--corpus", FIXTURE, "--vocab-size", "200", "--cased", "--out", join(dir, "c"));
  assert.equal(cased.status, 0, String(cased.stderr));
  assert.equal(loadTokenizer(join(dir, "c")).normalizerOptions.lowercase, false);
  const missing = course("tokenizer", "train", "--corpus", join(dir, "nope.txt"), "--vocab-size", "100", "--out", join(dir, "x"));
  assert.notEqual(missing.status, 0);
  assert.match(String(missing.stderr), /nope\.txt: neither a file nor a text dataset/);
  const size = course("tokenizer", "train", "--corpus", FIXTURE, "--vocab-size", "ten", "--out", join(dir, "x"));
  assert.notEqual(size.status, 0);
  assert.match(String(size.stderr), /--vocab-size must be a positive integer/);
  const limited = course("tokenizer", "train", "--corpus", FIXTURE, "--vocab-size", "200", "--limit-alphabet", "10", "--out", join(dir, "l"));
  assert.equal(limited.status, 0, String(limited.stderr));
  const alphabet = loadTokenizer(join(dir, "l")).model.vocab.filter((t) => !t.startsWith("[") && Array.from(t.replace(/^##/, "")).length === 1);
  assert.ok(new Set(alphabet.map((t) => t.replace(/^##/, ""))).size <= 10, `${alphabet.length} single characters`);
});
