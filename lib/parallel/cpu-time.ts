/**
 * CPU time of one thread. Wall time measures contention as much as work when other processes share the
 * cores; the time a thread actually spent on a CPU measures the work itself.
 */
import { readFileSync } from "node:fs";

/**
 * CPU time used so far by the calling thread (main thread or worker), in ms: the first field of Linux's
 * `/proc/thread-self/schedstat` (nanoseconds on CPU). NaN where that file does not exist (macOS, Windows).
 */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    return NaN;
  }
}
