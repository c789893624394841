import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { mkdtemp, mkdir, readFile, writeFile, copyFile, stat, utimes, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { ensureDataset, datasetPath, defaultMirrorRoot, defaultCacheRoot, DatasetUnavailableError } from "../../lib/data/registry";
import { ChecksumError } from "../../lib/data/checksum";
import { downloadFile, DownloadError } from "../../lib/data/download";
import type { DatasetSpec } from "../../lib/data/manifest";

const FIXTURES = join(__dirname, "..", "fixtures", "data", "registry");
// Checksums written by hand from `sha256sum tests/fixtures/data/registry/*`, not computed by the code under test.
const HELLO = { size: 15, sha256: "a413818bef46c4137cd0f93e3e3a5f076c93203564e31e0fd8f6683854be575b" };
const TABLE = { size: 8, sha256: "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470" };

let server: Server;
let base = "";
const hits = new Map<string, number>();
let flakyFailures = 0; // how many 500s /flaky/* still answers

before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? "/";
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url.startsWith("/flaky/") && flakyFailures > 0) {
      flakyFailures--;
      res.writeHead(500).end("try again");
      return;
    }
    if (url === "/always500") return void res.writeHead(500).end("down");
    if (url === "/wrong") return void res.writeHead(200, { "content-length": "15" }).end("HELLO REGISTRY\n");
    const name = url.split("/").pop() ?? "";
    readFile(join(FIXTURES, name)).then(
      (bytes) => res.writeHead(200, { "content-length": String(bytes.length) }).end(bytes),
      () => res.writeHead(404).end("no such file"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
const made: string[] = [];
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

const quiet = { onProgress: () => {}, retryDelayMs: 1 };
const tmp = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "llm-course-registry-"));
  made.push(dir);
  return dir;
};

function spec(name: string, urls: { hello?: string; table?: string } = {}): DatasetSpec {
  return {
    name,
    description: "fixture",
    license: "test",
    citation: "none",
    homepage: base,
    source: { repo: "x/y", commit: "0".repeat(40) },
    files: [
      { path: "hello.txt", ...HELLO, encoding: "utf-8", url: urls.hello ?? `${base}/files/hello.txt` },
      { path: "sub/table.csv", ...TABLE, encoding: "utf-8", url: urls.table ?? `${base}/files/table.csv` },
    ],
  };
}

test("downloads into the cache, verifies, and leaves no temp files", async () => {
  const cacheRoot = await tmp();
  const dir = await ensureDataset(spec("fresh"), { cacheRoot, mirrorRoot: null, ...quiet });
  assert.equal(dir, join(cacheRoot, "fresh"));
  assert.equal(await readFile(join(dir, "hello.txt"), "utf8"), "hello registry\n");
  assert.equal(await readFile(join(dir, "sub", "table.csv"), "utf8"), "a,b\n1,2\n");
  assert.deepEqual((await readdir(dir)).sort(), [".verified.json", "hello.txt", "sub"]);
  // Second call: served from the cache, no new request.
  const before = hits.get("/files/hello.txt");
  assert.equal(await ensureDataset(spec("fresh"), { cacheRoot, mirrorRoot: null, ...quiet }), dir);
  assert.equal(hits.get("/files/hello.txt"), before);
});

test("a transient 500 is retried and the download then succeeds", async () => {
  const cacheRoot = await tmp();
  flakyFailures = 2;
  const dir = await ensureDataset(spec("flaky", { hello: `${base}/flaky/hello.txt` }), { cacheRoot, mirrorRoot: null, retries: 3, ...quiet });
  assert.equal(flakyFailures, 0);
  assert.equal(hits.get("/flaky/hello.txt"), 3);
  assert.equal(await readFile(join(dir, "hello.txt"), "utf8"), "hello registry\n");
});

test("a checksum mismatch names expected and actual and saves nothing", async () => {
  const cacheRoot = await tmp();
  await assert.rejects(
    ensureDataset(spec("wrong", { hello: `${base}/wrong` }), { cacheRoot, mirrorRoot: null, ...quiet }),
    (e: unknown) => e instanceof ChecksumError && e.expected === HELLO.sha256 && /^[0-9a-f]{64}$/.test(e.actual) && e.actual !== HELLO.sha256 && e.message.includes(`expected sha256 ${HELLO.sha256}, got ${e.actual}`),
  );
  const left = await readdir(join(cacheRoot, "wrong")).catch(() => [] as string[]);
  assert.ok(!left.includes("hello.txt") && !left.some((f) => f.endsWith(".part")), `left behind: ${left.join(", ")}`);
});

test("unreachable: the error lists every missing file with its URL and target path", async () => {
  const cacheRoot = await tmp();
  const dead = "http://127.0.0.1:9"; // discard port: connection refused
  const s = spec("offline", { hello: `${dead}/hello.txt`, table: `${dead}/table.csv` });
  await assert.rejects(ensureDataset(s, { cacheRoot, mirrorRoot: null, ...quiet, retries: 1 }), (e: unknown) => {
    assert.ok(e instanceof DatasetUnavailableError);
    for (const f of s.files) {
      assert.ok(e.message.includes(f.url), `message lacks ${f.url}`);
      assert.ok(e.message.includes(join(cacheRoot, "offline", f.path)), `message lacks target of ${f.path}`);
      assert.ok(e.message.includes(f.sha256));
    }
    assert.match(e.message, /COURSE_DATA_MIRROR/);
    return true;
  });
});

test("offline mode never touches the network", async () => {
  const cacheRoot = await tmp();
  const before = hits.get("/files/table.csv") ?? 0;
  await assert.rejects(ensureDataset(spec("nonet"), { cacheRoot, mirrorRoot: null, offline: true, ...quiet }), DatasetUnavailableError);
  assert.equal(hits.get("/files/table.csv") ?? 0, before);
});

test("a 404 is not retried", async () => {
  const target = join(await tmp(), "x.txt");
  await assert.rejects(downloadFile(`${base}/missing/nothing.bin`, target, HELLO, { ...quiet, retries: 3 }), (e: unknown) => e instanceof DownloadError && !e.transient && /HTTP 404/.test(e.message));
  assert.equal(hits.get("/missing/nothing.bin"), 1);
});

test("a server that keeps failing gives up after the retries", async () => {
  const target = join(await tmp(), "x.txt");
  await assert.rejects(downloadFile(`${base}/always500`, target, HELLO, { ...quiet, retries: 2 }), (e: unknown) => e instanceof DownloadError && e.transient && /3 attempts/.test(e.message));
});

async function makeMirror(name: string): Promise<string> {
  const mirrorRoot = await tmp();
  await mkdir(join(mirrorRoot, name, "sub"), { recursive: true });
  await copyFile(join(FIXTURES, "hello.txt"), join(mirrorRoot, name, "hello.txt"));
  await copyFile(join(FIXTURES, "table.csv"), join(mirrorRoot, name, "sub", "table.csv"));
  return mirrorRoot;
}

test("a complete mirror is returned as is, without downloading", async () => {
  const mirrorRoot = await makeMirror("mirrored");
  const cacheRoot = await tmp();
  const s = spec("mirrored", { hello: `${base}/never/hello.txt`, table: `${base}/never/table.csv` });
  assert.equal(await ensureDataset(s, { cacheRoot, mirrorRoot, ...quiet }), join(mirrorRoot, "mirrored"));
  assert.equal(hits.get("/never/hello.txt"), undefined);
});

test("a corrupt mirror file is an error with expected vs actual, not a silent download", async () => {
  const mirrorRoot = await makeMirror("corrupt");
  await writeFile(join(mirrorRoot, "corrupt", "hello.txt"), "hello REGISTRY\n");
  await assert.rejects(ensureDataset(spec("corrupt"), { cacheRoot: await tmp(), mirrorRoot, ...quiet }), (e: unknown) => e instanceof ChecksumError && e.file.endsWith("hello.txt") && e.expected === HELLO.sha256);
});

test("a partial mirror: mirrored files are copied, the rest downloaded, into the cache", async () => {
  const mirrorRoot = await makeMirror("partial");
  await rm(join(mirrorRoot, "partial", "sub"), { recursive: true });
  const cacheRoot = await tmp();
  const s = spec("partial", { hello: `${base}/never/partial-hello.txt`, table: `${base}/files/table.csv` });
  const dir = await ensureDataset(s, { cacheRoot, mirrorRoot, ...quiet });
  assert.equal(dir, join(cacheRoot, "partial"));
  assert.equal(hits.get("/never/partial-hello.txt"), undefined);
  assert.equal(await readFile(join(dir, "sub", "table.csv"), "utf8"), "a,b\n1,2\n");
});

test("the .verified stamp skips re-hashing until size or mtime change", async () => {
  const cacheRoot = await tmp();
  const dir = await ensureDataset(spec("stamped"), { cacheRoot, mirrorRoot: null, ...quiet });
  const path = join(dir, "hello.txt");
  // A whole-second mtime, so `utimes` below can restore it exactly; this load re-hashes and stamps it.
  const mtime = new Date(Math.floor((await stat(path)).mtimeMs / 1000) * 1000 - 60_000);
  await utimes(path, mtime, mtime);
  await ensureDataset(spec("stamped"), { cacheRoot, mirrorRoot: null, ...quiet });
  // Same size, same mtime, different bytes: the stamp vouches for it (that is what makes loads fast).
  await writeFile(path, "HELLO REGISTRY\n");
  await utimes(path, mtime, mtime);
  assert.equal(await ensureDataset(spec("stamped"), { cacheRoot, mirrorRoot: null, ...quiet }), dir);
  // A new mtime forces a re-hash, which catches the change.
  await utimes(path, new Date(mtime.getTime() + 5000), new Date(mtime.getTime() + 5000));
  await assert.rejects(ensureDataset(spec("stamped"), { cacheRoot, mirrorRoot: null, ...quiet }), (e: unknown) => e instanceof ChecksumError && e.expected === HELLO.sha256);
});

test("environment: COURSE_DATA_CACHE and COURSE_DATA_MIRROR (empty = no mirror)", () => {
  const saved = { cache: process.env["COURSE_DATA_CACHE"], mirror: process.env["COURSE_DATA_MIRROR"] };
  try {
    process.env["COURSE_DATA_CACHE"] = "/somewhere/cache";
    process.env["COURSE_DATA_MIRROR"] = "/somewhere/mirror";
    assert.equal(defaultCacheRoot(), "/somewhere/cache");
    assert.equal(defaultMirrorRoot(), "/somewhere/mirror");
    process.env["COURSE_DATA_MIRROR"] = "";
    assert.equal(defaultMirrorRoot(), null);
    delete process.env["COURSE_DATA_CACHE"];
    assert.match(defaultCacheRoot(), /\.cache[/\\]llm-course[/\\]datasets$/);
  } finally {
    for (const [k, v] of [["COURSE_DATA_CACHE", saved.cache], ["COURSE_DATA_MIRROR", saved.mirror]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test("an unknown dataset name lists the known ones", async () => {
  await assert.rejects(datasetPath("imdb"), /unknown dataset "imdb"\. Known datasets: .*sst2/);
});
