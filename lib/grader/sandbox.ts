/**
 * The grader's sandbox for one submission (Linux): the course kernel runs
 * - in its own temporary folder (the kernel's working directory is read-only to it; `scratch/` is writable),
 *   with a clean environment (none of the grader's variables);
 * - in new network, mount and PID namespaces (`unshare`): no network but loopback-less isolation, a private
 *   `/tmp` and `/dev/shm`, the source, submissions and grades folders hidden under empty mounts, and every
 *   process it spawned killed when the kernel exits;
 * - as an unprivileged user of its own (`sandboxUid`, `setpriv`), so it cannot signal or read the grader,
 *   and `RLIMIT_NPROC` limits its processes (threads count);
 * - with `prlimit` limits: data segment (`RLIMIT_DATA`, all allocations including ArrayBuffers), processes,
 *   file size, no core dumps; and V8's own heap limit (`--max-old-space-size`);
 * (Node's `--frozen-intrinsics` would freeze built-ins, but TypeScript's compiler, which the kernel runs, writes to them.)
 * Each measure is probed once (`probeSandbox`); what the OS refuses is reported and skipped, never silently.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** Limits of one submission's kernel. */
export interface SandboxLimits {
  /** V8 old-space limit, MiB (`--max-old-space-size`) */
  heapMb: number;
  /** RLIMIT_DATA, MiB: everything the process allocates (heap, ArrayBuffers, wasm memory) */
  memoryMb: number;
  /** RLIMIT_NPROC for the sandbox user: processes and threads (a Node kernel uses ~20 threads) */
  processes: number;
  /** RLIMIT_FSIZE, MiB: the largest file it may write */
  fileSizeMb: number;
}

/** Defaults: room for tfjs and a small model, far from the machine's memory. */
export const DEFAULT_LIMITS: SandboxLimits = { heapMb: 2048, memoryMb: 4096, processes: 64, fileSizeMb: 64 };

/** Whether each measure works here, and why not when it does not. */
export interface SandboxSupport {
  /** unshare --net --mount --pid (needs root or user namespaces) */
  namespaces: { ok: boolean; why: string };
  /** setpriv to an unprivileged uid (needs root) */
  unprivileged: { ok: boolean; why: string };
  /** prlimit (util-linux) */
  limits: { ok: boolean; why: string };
}

function works(command: string, args: string[]): { ok: boolean; why: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });
  if (result.error) return { ok: false, why: `${command}: ${result.error.message}` };
  if (result.status !== 0) return { ok: false, why: `${command} ${args.join(" ")}: ${(result.stderr || `exit ${result.status}`).trim().split("\n")[0]}` };
  return { ok: true, why: "" };
}

let probed: SandboxSupport | undefined;

/** Probes (once per process) which sandbox measures this machine allows. */
export function probeSandbox(): SandboxSupport {
  if (probed) return probed;
  const linux = process.platform === "linux";
  const no = { ok: false, why: `not Linux (${process.platform})` };
  probed = {
    namespaces: linux ? works("unshare", ["--net", "--mount", "--pid", "--fork", "--kill-child", "--propagation", "private", "true"]) : no,
    unprivileged: linux ? works("setpriv", ["--reuid", "61000", "--regid", "61000", "--clear-groups", "--no-new-privs", "true"]) : no,
    limits: linux ? works("prlimit", ["--nproc=1000", "--", "true"]) : no,
  };
  return probed;
}

/** One line per measure, for the grader's log and summary. */
export function describeSandbox(support: SandboxSupport, limits: SandboxLimits): string[] {
  const line = (ok: boolean, what: string, why: string): string => `${ok ? "on " : "OFF"} ${what}${ok ? "" : ` — not available: ${why}`}`;
  return [
    line(support.namespaces.ok, "no network, private /tmp, hidden source/submissions/grades folders, processes killed with the kernel (network, mount and PID namespaces)", support.namespaces.why),
    line(support.unprivileged.ok, `unprivileged user per job (cannot signal or read the grader; at most ${limits.processes} processes)`, support.unprivileged.why),
    line(support.limits.ok, `memory ≤ ${limits.memoryMb} MiB (RLIMIT_DATA), files ≤ ${limits.fileSizeMb} MiB, no core dumps`, support.limits.why),
    `on  V8 heap ≤ ${limits.heapMb} MiB, clean environment`,
  ];
}

/**
 * The sandbox user of a job slot: a uid of its own per grader process and slot (no passwd entry needed), so two
 * graders on one machine do not share `RLIMIT_NPROC` counts. Range 200000 + 64·(pid mod 100000) + slot.
 */
export function sandboxUid(slot: number): number {
  return 200_000 + (process.pid % 100_000) * 64 + (slot % 64);
}

/** Single-quotes a word for sh. */
function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** The course kernel's entry point in this checkout. */
function kernelMain(): string {
  return join(dirname(require.resolve("@llm-course/kernel/package.json")), "dist", "main.js");
}

/** The node_modules folder the kernel resolves `@llm-course/lib` and tfjs from. */
function modulesDir(): string {
  return resolve(dirname(require.resolve("@llm-course/kernel/package.json")), "..", "node_modules");
}

/** Options of `Sandbox.create`. */
export interface SandboxOptions {
  /** 0-based job slot: the sandbox user is `sandboxUid(slot)` (one per concurrent job) */
  slot: number;
  limits: SandboxLimits;
  /** Folders the kernel must not see (source notebooks, other submissions, grades) */
  hide: string[];
  /** Extra environment (e.g. COURSE_MODE) */
  env?: Record<string, string>;
  support?: SandboxSupport;
}

/**
 * A sandbox folder and the kernel command that runs inside it. `dispose()` deletes the folder.
 * Layout: `<dir>/` (root-owned, read-only to the kernel: its working directory, with `node_modules` linked to the
 * course's) · `<dir>/ipc/` (connection file and sockets) · `<dir>/scratch/` (writable).
 */
export class Sandbox {
  private constructor(readonly dir: string, readonly ipcDir: string, readonly argv: string[], readonly uid: number | undefined) {}

  static create(options: SandboxOptions): Sandbox {
    const { slot, limits, hide, env = {} } = options;
    const support = options.support ?? probeSandbox();
    const dir = mkdtempSync(join(tmpdir(), "course-grade-"));
    chmodSync(dir, 0o755);
    const ipcDir = join(dir, "ipc");
    const scratch = join(dir, "scratch");
    mkdirSync(ipcDir);
    mkdirSync(scratch);
    symlinkSync(modulesDir(), join(dir, "node_modules"));
    const uid = support.unprivileged.ok ? sandboxUid(slot) : undefined;
    if (uid !== undefined) {
      for (const d of [ipcDir, scratch]) {
        chownSync(d, uid, uid);
        chmodSync(d, 0o700);
      }
    }
    const environment: Record<string, string> = {
      PATH: "/usr/local/bin:/usr/bin:/bin", HOME: scratch, TMPDIR: "/tmp", LANG: "C.UTF-8", TZ: "UTC", ...env,
    };
    const node = [process.execPath, `--max-old-space-size=${limits.heapMb}`, kernelMain(), "-f", "{connection_file}"];
    const limited = support.limits.ok
      ? ["prlimit", `--data=${limits.memoryMb * 1024 * 1024}`, `--fsize=${limits.fileSizeMb * 1024 * 1024}`, "--core=0",
          ...(uid !== undefined ? [`--nproc=${limits.processes}`] : []), "--", ...node]
      : node;
    const dropped = uid !== undefined ? ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--no-new-privs", ...limited] : limited;
    const command = ["env", "-i", ...Object.entries(environment).map(([k, v]) => `${k}=${v}`), ...dropped];
    const checkout = resolve(modulesDir(), "..");
    const hidden = hide.map((path) => resolve(path)).filter((path) => !(checkout + "/").startsWith(path + "/"));
    const script = [
      "set -e",
      `cd ${quote(dir)}`,
      ...(support.namespaces.ok
        ? [
            // A private /tmp; the sandbox folder (under /tmp) is bound back into it through the working directory.
            ...(dir.startsWith("/tmp/") ? ["mount -t tmpfs -o size=64m,mode=1777 tmpfs /tmp", `mkdir -p ${quote(dir)}`, `mount -c --bind /proc/self/cwd ${quote(dir)}`] : []),
            "mount -t tmpfs -o size=64m,mode=1777 tmpfs /dev/shm 2>/dev/null || true",
            "mount -t proc proc /proc 2>/dev/null || true",
            ...hidden.map((path) => `if [ -d ${quote(path)} ]; then mount -t tmpfs -o size=4k,mode=000 tmpfs ${quote(path)}; fi`),
          ]
        : []),
      ...(uid !== undefined ? ['chown ' + `${uid}:${uid}` + ' "$1"'] : []),
      `cd ${quote(dir)}`,
      `exec ${command.map((word) => (word === "{connection_file}" ? '"$1"' : quote(word))).join(" ")}`,
    ].join("\n");
    const scriptPath = join(dir, "sandbox.sh");
    writeFileSync(scriptPath, script + "\n", { mode: 0o755 });
    const namespaces = ["unshare", "--net", "--mount", "--pid", "--fork", "--kill-child", "--propagation", "private"];
    const argv = [...(support.namespaces.ok ? namespaces : []), "sh", scriptPath, "{connection_file}"];
    return new Sandbox(dir, ipcDir, argv, uid);
  }

  /** Deletes the sandbox folder (the kernel must have exited). */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
