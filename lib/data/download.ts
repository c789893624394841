/**
 * One file over HTTP(S): retries transient failures (network errors, 408, 429, 5xx) with exponential backoff,
 * streams into a temp file while hashing, checks size and sha256, and only then renames into place — so a
 * half-downloaded or wrong file never sits under the real name.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { ChecksumError } from "./checksum";

/** Progress of one download. */
export interface DownloadProgress {
  url: string;
  /** Bytes received so far in this attempt. */
  received: number;
  /** Expected bytes (registry size, or Content-Length). */
  total: number;
  /** 1-based attempt number. */
  attempt: number;
}

/** Options of `downloadFile`. */
export interface DownloadOptions {
  /** Extra attempts after the first for transient failures. */
  retries?: number;
  /** Wait before the first retry; doubles each time. */
  retryDelayMs?: number;
  /** Abort one attempt after this long without finishing. */
  timeoutMs?: number;
  /** Called as bytes arrive; default prints to stderr. */
  onProgress?: (progress: DownloadProgress) => void;
}

/** A download that failed for good (after retries, or a 4xx); `transient` says whether a later try may work. */
export class DownloadError extends Error {
  readonly url: string;
  readonly transient: boolean;
  /** @param transient true for network errors, timeouts, 408/429/5xx (a later try may work) */
  constructor(url: string, message: string, transient: boolean) {
    super(`download of ${url} failed: ${message}`);
    this.name = "DownloadError";
    this.url = url;
    this.transient = transient;
  }
}

/** The default progress line on stderr (redrawn on a TTY, else one line at the end). */
export function printProgress(p: DownloadProgress): void {
  const kb = (n: number): string => `${Math.round(n / 1024).toLocaleString("en-US")} KiB`;
  const line = `downloading ${p.url}: ${kb(p.received)} / ${kb(p.total)}${p.attempt > 1 ? ` (attempt ${p.attempt})` : ""}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${p.received >= p.total ? "\n" : ""}`);
  else if (p.received >= p.total) process.stderr.write(`${line}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Downloads `url` to `target`, verifying size and sha256.
 * @param url where to fetch from
 * @param target final path (its folder is created)
 * @param expected registered `size` and `sha256`
 * @param options retries (default 3), retryDelayMs (default 1000), timeoutMs (default 120000), onProgress
 * @throws ChecksumError (expected vs actual) when the bytes differ — not retried: the same URL gives the same bytes
 * @throws DownloadError after the last failed attempt, or at once for a 4xx other than 408/429
 */
export async function downloadFile(url: string, target: string, expected: { size: number; sha256: string }, options: DownloadOptions = {}): Promise<void> {
  const { retries = 3, retryDelayMs = 1000, timeoutMs = 120_000, onProgress = printProgress } = options;
  await mkdir(dirname(target), { recursive: true });
  let lastError = "";
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(retryDelayMs * 2 ** (attempt - 2));
    const tmp = `${target}.${process.pid}.${attempt}.part`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok || response.body === null) {
        const transient = response.status >= 500 || response.status === 408 || response.status === 429;
        lastError = `HTTP ${response.status} ${response.statusText}`;
        await response.body?.cancel();
        if (!transient) throw new DownloadError(url, lastError, false);
        continue;
      }
      const hash = createHash("sha256");
      const out = createWriteStream(tmp);
      let received = 0;
      const total = Number(response.headers.get("content-length")) || expected.size;
      let lastReport = 0;
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          hash.update(chunk);
          received += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
          const now = Date.now();
          if (now - lastReport > 250) {
            lastReport = now;
            onProgress({ url, received, total, attempt });
          }
        }
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      onProgress({ url, received, total: Math.max(total, received), attempt });
      if (received < expected.size) {
        lastError = `connection closed after ${received} of ${expected.size} bytes`;
        await rm(tmp, { force: true });
        continue; // a cut connection is transient
      }
      const actual = hash.digest("hex");
      if (actual !== expected.sha256) {
        await rm(tmp, { force: true });
        throw new ChecksumError(url, expected.sha256, actual, `The server sent ${received} bytes (expected ${expected.size}); the file changed upstream or the URL is wrong. Nothing was saved.`);
      }
      await rename(tmp, target);
      return;
    } catch (error) {
      await rm(tmp, { force: true });
      if (error instanceof ChecksumError || (error instanceof DownloadError && !error.transient)) throw error;
      const cause = (error as { cause?: { code?: string } }).cause;
      lastError = `${(error as Error).message}${cause?.code ? ` (${cause.code})` : ""}`;
    }
  }
  throw new DownloadError(url, `${lastError} after ${retries + 1} attempts`, true);
}
