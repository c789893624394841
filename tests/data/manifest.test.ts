/**
 * Issue #11 part 5: the registry is data (`data/datasets.json`), validated when read, and found from any working
 * directory by the sources, the compiled library and the CLI; outside the repository the failure names the way out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { datasetManifestPath, datasetNames, datasetSpec, DATASETS, parseDatasetManifest } from "../../lib/data/manifest";
import { TEXT_DATASETS } from "../../lib/data/texts";
import { splitLines } from "../../lib/data/decode";

const ROOT = join(__dirname, "..", "..");
const MANIFEST = join(ROOT, "data", "datasets.json");
const manifestJson = (): Record<string, any> => JSON.parse(readFileSync(MANIFEST, "utf8")); // eslint-disable-line @typescript-eslint/no-explicit-any -- edited below

test("data/datasets.json is the registry: sixteen datasets, every text dataset and loader file registered", () => {
  assert.equal(datasetManifestPath(), MANIFEST);
  assert.deepEqual(datasetNames(), Object.keys(manifestJson()["datasets"]).sort());
  assert.equal(datasetNames().length, 16);
  for (const name of TEXT_DATASETS) assert.ok(datasetNames().includes(name), name);
  const sst2 = datasetSpec("sst2");
  assert.deepEqual(sst2.files.map((f) => f.path), ["dev.tsv", "test.tsv", "train.tsv"]);
  assert.equal(DATASETS["sst2"], sst2);
  assert.deepEqual(Object.keys(DATASETS), datasetNames().slice().sort());
  assert.match(inspect(DATASETS, { depth: 0 }), /sst2: \[Object\]/); // console.log / a notebook cell shows the registry, not {}
  assert.throws(() => datasetSpec("imdb"), /unknown dataset "imdb"\. Known datasets: banking77, /);
});

test("a malformed entry is refused, naming the JSON path and what is wrong", () => {
  const faults: [string, (j: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ["bad sha256", (j) => (j["datasets"]["sst2"]["files"][0]["sha256"] = "ABC"), /datasets\.sst2\.files\[0\]\.sha256: "ABC" is not 64 lower-case hex digits/],
    ["missing size", (j) => delete j["datasets"]["sst2"]["files"][1]["size"], /datasets\.sst2\.files\[1\]\.size: missing/],
    ["typo key", (j) => (j["datasets"]["sst2"]["licence"] = "x"), /datasets\.sst2\.licence: unknown key/],
    ["unpinned url", (j) => (j["datasets"]["sst2"]["files"][0]["url"] = "https://example.org/dev.tsv"), /files\[0\]\.url: "https:\/\/example\.org\/dev\.tsv" does not name source\.commit/],
    ["path escapes", (j) => (j["datasets"]["sst2"]["files"][0]["path"] = "../x.tsv"), /files\[0\]\.path: "\.\.\/x\.tsv" is not a relative path/],
    ["duplicate path", (j) => (j["datasets"]["sst2"]["files"][1]["path"] = "dev.tsv"), /files\[1\]\.path: "dev\.tsv" is listed twice/],
    ["guessed encoding", (j) => (j["datasets"]["sst2"]["files"][0]["encoding"] = "auto"), /files\[0\]\.encoding: expected one of utf-8, latin1/],
    ["bad name", (j) => (j["datasets"]["SST 2"] = j["datasets"]["sst2"]), /datasets\.SST 2: a dataset name is lower-case/],
    ["version", (j) => (j["version"] = 2), /version: expected 1, found 2/],
    ["file commit not in url", (j) => (j["datasets"]["gutenberg_chinese"]["files"][0]["commit"] = "0".repeat(40)), /gutenberg_chinese\.files\[0\]\.url: .* does not name files\[0\]\.commit 0{40}/],
    ["file commit malformed", (j) => (j["datasets"]["gutenberg_chinese"]["files"][0]["commit"] = "abc"), /gutenberg_chinese\.files\[0\]\.commit: "abc" is not a full 40-digit commit hash/],
  ];
  for (const [name, edit, message] of faults) {
    const json = manifestJson();
    edit(json);
    assert.throws(() => parseDatasetManifest(json, "m.json"), (e: Error) => e.message.startsWith("m.json: ") && message.test(e.message), name);
  }
});

function node(args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const { COURSE_DATA_MANIFEST: _unset, ...rest } = process.env;
  return spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...rest, ...env } });
}

const built = existsSync(join(ROOT, "lib", "dist", "data", "manifest.js"));
test("the compiled library finds the manifest from notebooks/ and from an unrelated folder", { skip: built ? false : "lib/dist not built (npm run build)" }, () => {
  const script = `const { datasetNames } = require(${JSON.stringify(join(ROOT, "lib", "dist", "data", "manifest.js"))}); console.log(datasetNames().length)`;
  for (const cwd of [join(ROOT, "notebooks"), tmpdir()]) {
    const run = node(["-e", script], cwd);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), "16", cwd);
  }
});

test("the course CLI lists the registry from any working directory", () => {
  const run = node([join(ROOT, "bin", "course.js"), "data", "list"], tmpdir());
  assert.equal(run.status, 0, run.stderr);
  for (const name of datasetNames()) assert.match(run.stdout, new RegExp(`^${name}  \\(`, "m"));
});

test("outside the repository: the library loads, the registry call names COURSE_DATA_MANIFEST; setting it works", { skip: built ? false : "lib/dist not built (npm run build)" }, () => {
  // A copy of the three compiled modules the registry needs, in a folder with no llm-course package.json above it.
  const dir = mkdtempSync(join(tmpdir(), "course-packed-"));
  for (const part of ["core/paths.js", "data/manifest.js", "text/format-whitespace.js"]) {
    mkdirSync(join(dir, "dist", part.split("/")[0]!), { recursive: true });
    copyFileSync(join(ROOT, "lib", "dist", part), join(dir, "dist", part));
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@llm-course/lib", version: "0.1.0" }));
  const script = "const m = require('./dist/data/manifest.js'); console.log(m.datasetNames().length)";
  const missing = node(["-e", script], dir);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /dataset manifest not found: .* running outside that repository\. Set COURSE_DATA_MANIFEST=/);
  const found = node(["-e", script], dir, { COURSE_DATA_MANIFEST: MANIFEST });
  assert.equal(found.status, 0, found.stderr);
  assert.equal(found.stdout.trim(), "16");
});

test("data/samples/format-edge-cases.txt: seven LF lines that Python's splitlines would count as eleven", () => {
  const text = readFileSync(join(ROOT, "data", "samples", "format-edge-cases.txt"), "utf8");
  const lines = splitLines(text);
  assert.equal(lines.length, 7);
  for (const ch of ["\u2028", "\u2029", "\u0085", "\u00a0", "\u3000", "\ufeff", "\r"]) assert.ok(lines.some((l) => l.includes(ch)), JSON.stringify(ch));
  assert.equal(text.split(/\r\n|[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/).length - 1, 11); // str.splitlines' breaks
});
