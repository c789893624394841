/**
 * A Jupyter kernel client over ZeroMQ (messaging protocol v5.3): starts a kernel process from a connection file,
 * talks to it on the shell, control and iopub sockets (heartbeat on request), and turns an execute request into
 * nbformat outputs. By default it runs the course kernel (`kernel/`, kernelspec `course-ts`); tslab still works
 * (`argv: tslabArgv()`), with its quirks: it answers `interrupt_request` with nothing (interrupts are SIGINT),
 * replies `abort` for requests that arrive within ~200 ms of a failed cell, and sends values and errors as
 * stream text.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { Dealer, Request, Subscriber } from "zeromq";
import type { Output } from "./ipynb";
import { decodeMessage, encodeMessage, newMessage, type Message } from "./message";
import { OutputCollector } from "./outputs";

/** The connection file a kernel reads (`--config-path`): where to bind and how to sign. */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  key: string;
  signature_scheme: "hmac-sha256";
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  kernel_name?: string;
}

/** How to start a kernel. */
export interface KernelOptions {
  /** The kernel's working directory (Jupyter uses the notebook's folder). Default: `process.cwd()` */
  cwd?: string;
  /** Extra environment variables, added to `process.env` (e.g. `COURSE_MODE`) */
  env?: Record<string, string>;
  /** The command; `{connection_file}` is replaced. Default: this checkout's course kernel, run by this Node */
  argv?: string[];
  /** How long start-up (process + kernel_info handshake) may take. Default 60 s (kernels need ~1–3 s) */
  startTimeoutMs?: number;
  /** Receives the kernel process's own stdout/stderr (what it writes outside cells), e.g. for `--verbose` */
  onLog?: (text: string) => void;
  /** `kernel_name` written into the connection file. Default `course-ts` */
  kernelName?: string;
  /** `tcp` (default: five free ports on 127.0.0.1) or `ipc` (Unix sockets `<connectionDir>/kernel-<n>`, which
   *  also work from inside a network namespace, as the grader's sandbox uses) */
  transport?: "tcp" | "ipc";
  /** Where the connection file (and ipc sockets) go; must exist. Default: a new private temp folder, deleted at
   *  shutdown (a given folder is kept; only the connection file is deleted) */
  connectionDir?: string;
}

/** The outcome of one execute request. */
export interface ExecuteResult {
  /** `aborted`: the kernel skipped the request (tslab: within ~200 ms after a failed cell; the course kernel:
   *  only requests already queued behind a failed cell, as `stop_on_error` asks) */
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  outputs: Output[];
  /** from sending the request to the kernel going idle */
  durationMs: number;
}

/** Options of `execute`. */
export interface ExecuteOptions {
  /** 0 = none. On timeout the kernel is interrupted (SIGINT) and a `KernelTimeoutError` is thrown */
  timeoutMs?: number;
  /** Share one collector across a notebook's cells so `update_display_data` reaches earlier cells */
  collector?: OutputCollector;
  /** The list to fill (e.g. the cell's `outputs`). Default: a new list */
  outputs?: Output[];
  /** Called with every iopub message of this request, after it is applied to `outputs` */
  onMessage?: (message: Message) => void;
}

/** The kernel ran past `timeoutMs`. */
export class KernelTimeoutError extends Error {
  override name = "KernelTimeoutError";
}

/** The kernel process exited (or could not start). `log` is the tail of its own stdout/stderr. */
export class KernelDiedError extends Error {
  override name = "KernelDiedError";
  constructor(message: string, readonly log: string) {
    super(log.trim() ? `${message}\n--- kernel log (tail) ---\n${log.trimEnd()}` : message);
  }
}

/** Kernels still running, killed if this process exits without shutting them down. */
const liveKernels = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackKernel(child: ChildProcess): void {
  liveKernels.add(child);
  child.once("exit", () => liveKernels.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const kernel of liveKernels) kernel.kill("SIGKILL");
  });
}

/** The default kernel command: this checkout's course kernel (`kernel/dist/main.js`), run by the Node that runs us. */
export function courseKernelArgv(): string[] {
  const main = join(dirname(require.resolve("@llm-course/kernel/package.json")), "dist", "main.js");
  return [process.execPath, main, "-f", "{connection_file}"];
}

/** tslab's kernel command (this repository's tslab 1.0.22), for comparisons and for those who use tslab. */
export function tslabArgv(): string[] {
  const bin = join(dirname(require.resolve("tslab/package.json")), "bin", "tslab");
  return [process.execPath, bin, "kernel", "--config-path", "{connection_file}"];
}

/** Asks the OS for `count` free TCP ports on `ip` (the kernel binds them a moment later, as Jupyter does). */
export async function freePorts(count: number, ip = "127.0.0.1"): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, ip, () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

type Waiter = { resolve: (message: Message) => void; reject: (error: Error) => void };

/**
 * A running kernel and the client sockets talking to it. Start with `KernelClient.start`, always end with
 * `shutdown()` (a process exit hook SIGKILLs kernels left behind).
 */
export class KernelClient {
  private readonly session = randomUUID();
  private readonly shell = new Dealer({ linger: 0, routingId: randomBytes(8).toString("hex") });
  private readonly control = new Dealer({ linger: 0, routingId: randomBytes(8).toString("hex") });
  private readonly iopub = new Subscriber({ linger: 0 });
  private heartbeat: Request | undefined;
  /** msg_id of a shell/control request → its reply waiter */
  private readonly replies = new Map<string, Waiter>();
  /** msg_id of a request → the handler of its iopub messages */
  private readonly iopubHandlers = new Map<string, (message: Message) => void>();
  private readonly sendChains = new Map<Dealer | Request, Promise<unknown>>();
  private logTail = "";
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters: Array<() => void> = [];
  private closed = false;
  /** Protocol problems seen on the sockets (bad signatures, undecodable frames); normally empty */
  readonly protocolErrors: Error[] = [];
  /** How long `start` took: process spawn to a full kernel_info handshake, in ms */
  startupMs = 0;
  /** The kernel's `kernel_info_reply` content */
  info: Record<string, unknown> = {};

  private constructor(
    readonly connection: ConnectionInfo,
    /** deleted at shutdown: the connection folder we made, or just the file in a folder we were given */
    private readonly connectionPath: string,
    readonly process: ChildProcess,
    onLog?: (text: string) => void,
  ) {
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      this.logTail = (this.logTail + text).slice(-8000);
      onLog?.(text);
    };
    // Always drain the pipes: a full pipe would block the kernel.
    process.stdout?.on("data", keep);
    process.stderr?.on("data", keep);
    process.once("exit", (code, signal) => {
      this.exited = { code, signal };
      const error = new KernelDiedError(`kernel exited (${signal ?? `code ${code}`})`, this.logTail);
      for (const waiter of this.replies.values()) waiter.reject(error);
      this.replies.clear();
      for (const wake of this.exitWaiters.splice(0)) wake();
    });
  }

  /**
   * Starts a kernel and waits until it answers `kernel_info_request` and its iopub messages reach us.
   * @returns the connected client; throws `KernelDiedError` (with the kernel's log) or `KernelTimeoutError`
   */
  static async start(options: KernelOptions = {}): Promise<KernelClient> {
    const { cwd = process.cwd(), env = {}, argv = courseKernelArgv(), startTimeoutMs = 60_000, onLog, kernelName = "course-ts", transport = "tcp" } = options;
    const started = Date.now();
    const ownDir = options.connectionDir === undefined;
    const connectionDir = options.connectionDir ?? mkdtempSync(join(tmpdir(), "course-kernel-"));
    const ip = transport === "ipc" ? join(connectionDir, "kernel") : "127.0.0.1";
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = (transport === "ipc" ? [1, 2, 3, 4, 5] : await freePorts(5, ip)) as [number, number, number, number, number];
    const connection: ConnectionInfo = {
      transport, ip, key: randomUUID(), signature_scheme: "hmac-sha256",
      shell_port, iopub_port, stdin_port, control_port, hb_port, kernel_name: kernelName,
    };
    const connectionFile = join(connectionDir, "kernel.json");
    writeFileSync(connectionFile, JSON.stringify(connection, null, 1), { mode: 0o600 });
    const [command, ...args] = argv.map((arg) => arg.replaceAll("{connection_file}", connectionFile));
    if (!command) throw new Error("KernelClient.start: empty argv");
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    trackKernel(child);
    const spawnError = new Promise<never>((_, reject) => child.once("error", (error) => reject(new KernelDiedError(`cannot start ${command}: ${error.message}`, ""))));
    spawnError.catch(() => undefined);
    const client = new KernelClient(connection, ownDir ? connectionDir : connectionFile, child, onLog);
    try {
      client.connect();
      await Promise.race([client.handshake(started + startTimeoutMs), spawnError]);
    } catch (error) {
      await client.shutdown({ graceMs: 0 });
      if (error instanceof KernelTimeoutError) {
        throw new KernelDiedError(`${error.message} (started with: ${argv.join(" ")} in ${cwd})`, client.logTail);
      }
      throw error;
    }
    client.startupMs = Date.now() - started;
    return client;
  }

  private address(port: number): string {
    const { transport, ip } = this.connection;
    return transport === "ipc" ? `ipc://${ip}-${port}` : `${transport}://${ip}:${port}`;
  }

  private connect(): void {
    this.shell.connect(this.address(this.connection.shell_port));
    this.control.connect(this.address(this.connection.control_port));
    this.iopub.connect(this.address(this.connection.iopub_port));
    this.iopub.subscribe();
    void this.pump(this.shell, (message) => this.settleReply(message));
    void this.pump(this.control, (message) => this.settleReply(message));
    void this.pump(this.iopub, (message) => {
      const parent = message.parent_header.msg_id;
      if (parent) this.iopubHandlers.get(parent)?.(message);
    });
  }

  private async pump(socket: Dealer | Subscriber, onMessage: (message: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: Message;
        try {
          message = decodeMessage(frames as Buffer[], this.connection.key);
        } catch (error) {
          this.protocolErrors.push(error as Error);
          continue;
        }
        onMessage(message);
      }
    } catch (error) {
      if (!this.closed) this.protocolErrors.push(error as Error);
    }
  }

  private settleReply(message: Message): void {
    const parent = message.parent_header.msg_id;
    const waiter = parent === undefined ? undefined : this.replies.get(parent);
    if (!waiter || parent === undefined) return;
    this.replies.delete(parent);
    waiter.resolve(message);
  }

  /** zeromq allows one pending send per socket: chain them. */
  private send(socket: Dealer | Request, frames: Buffer[] | string): Promise<void> {
    const previous = this.sendChains.get(socket) ?? Promise.resolve();
    const next = previous.then(() => socket.send(frames));
    this.sendChains.set(socket, next.catch(() => undefined));
    return next;
  }

  /**
   * Sends a request and waits for its reply.
   * @param channel `shell` or `control`
   * @param timeoutMs 0 = wait forever (still rejects if the kernel dies)
   */
  async request(channel: "shell" | "control", msgType: string, content: Record<string, unknown>, timeoutMs = 0): Promise<Message> {
    const message = newMessage(msgType, content, this.session);
    const reply = this.expectReply(message.header.msg_id, timeoutMs, msgType);
    await this.send(channel === "shell" ? this.shell : this.control, encodeMessage(message, this.connection.key));
    return reply;
  }

  private expectReply(msgId: string, timeoutMs: number, what: string): Promise<Message> {
    if (this.exited) return Promise.reject(new KernelDiedError(`kernel exited before ${what}`, this.logTail));
    return new Promise<Message>((resolve, reject) => {
      const timer = timeoutMs > 0
        ? setTimeout(() => {
            this.replies.delete(msgId);
            reject(new KernelTimeoutError(`no reply to ${what} within ${timeoutMs} ms`));
          }, timeoutMs)
        : undefined;
      this.replies.set(msgId, {
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }

  /**
   * kernel_info handshake, repeated like jupyter_client's `wait_for_ready` until both the reply and its iopub
   * `status` arrive. Two ways a single request is lost: a SUB socket misses what is published before its
   * subscription reaches the kernel ("slow joiner"); and tslab 1.0.22 starts reading its shell socket before
   * its iopub socket has finished binding, so a request that arrives in between dies in `publishStatus`
   * ("Socket is blocked by a bind or unbind operation") and is never answered. Each try waits `tryMs`.
   */
  private async handshake(deadline: number, tryMs = 2000): Promise<void> {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new KernelTimeoutError("the kernel did not answer kernel_info_request in time");
      const message = newMessage("kernel_info_request", {}, this.session);
      let sawIopub = false;
      let wake: () => void = () => undefined;
      const iopubSeen = new Promise<void>((resolve) => (wake = resolve));
      this.iopubHandlers.set(message.header.msg_id, () => { sawIopub = true; wake(); });
      try {
        const reply = this.expectReply(message.header.msg_id, Math.min(left, tryMs), "kernel_info_request");
        reply.catch(() => undefined); // may time out while `send` waits; read below
        await this.send(this.shell, encodeMessage(message, this.connection.key));
        try {
          this.info = (await reply).content;
        } catch (error) {
          if (error instanceof KernelTimeoutError) continue; // lost: ask again
          throw error;
        }
        await Promise.race([iopubSeen, delay(Math.min(500, Math.max(0, deadline - Date.now())))]);
        if (sawIopub) return;
      } finally {
        this.iopubHandlers.delete(message.header.msg_id);
      }
    }
  }

  /**
   * Runs code and collects its outputs. Waits for both the `execute_reply` and the iopub `status: idle` of the
   * request, so every output is in before this resolves.
   * @returns status (`aborted` when the kernel skipped the request), execution count, outputs, duration
   * @throws KernelTimeoutError after interrupting the kernel; KernelDiedError if it exits meanwhile
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const { timeoutMs = 0, collector = new OutputCollector(), outputs = [], onMessage } = options;
    const started = Date.now();
    const message = newMessage(
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      this.session,
    );
    const msgId = message.header.msg_id;
    collector.startCell(outputs);
    let wake: () => void = () => undefined;
    const idle = new Promise<void>((resolve) => (wake = resolve));
    this.iopubHandlers.set(msgId, (m) => {
      if (m.header.msg_type === "status" && m.content["execution_state"] === "idle") wake();
      else if (collector.add(m) || m.header.msg_type !== "status") onMessage?.(m);
    });
    const reply = this.expectReply(msgId, 0, "execute_request");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (timeoutMs > 0) timer = setTimeout(() => reject(new KernelTimeoutError(`the cell ran past ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await this.send(this.shell, encodeMessage(message, this.connection.key));
      const [answer] = await Promise.race([Promise.all([reply, idle]), timeout]);
      const status = String(answer.content["status"]);
      const count = answer.content["execution_count"];
      return {
        status: status === "ok" ? "ok" : status === "abort" || status === "aborted" ? "aborted" : "error",
        executionCount: typeof count === "number" ? count : null,
        outputs,
        durationMs: Date.now() - started,
      };
    } catch (error) {
      if (error instanceof KernelTimeoutError) {
        this.interrupt();
        // Give the kernel a moment to report the interruption (it lands in `outputs`).
        await Promise.race([reply.catch(() => undefined), delay(2000)]);
      }
      reply.catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      // Late outputs of a timed-out cell would otherwise land in the next cell.
      this.replies.delete(msgId);
      setTimeout(() => this.iopubHandlers.delete(msgId), 0);
    }
  }

  /**
   * Interrupts the running cell: the course kernel through `interrupt_request` on the control channel (its
   * kernelspec says `interrupt_mode: message`; it also stops loops that run after an `await`), other kernels
   * (tslab: `interrupt_mode: signal`) with SIGINT. SIGINT is also the fallback when the request goes unanswered.
   */
  interrupt(): void {
    if (this.exited) return;
    if (this.info["implementation"] !== "course-ts") {
      this.process.kill("SIGINT");
      return;
    }
    this.request("control", "interrupt_request", {}, 2000).catch(() => {
      if (!this.exited) this.process.kill("SIGINT");
    });
  }

  /**
   * Checks the heartbeat channel: the kernel echoes what we send.
   * @returns true when the echo came back within `timeoutMs`
   */
  async ping(timeoutMs = 1000): Promise<boolean> {
    if (!this.heartbeat) {
      this.heartbeat = new Request({ linger: 0, receiveTimeout: timeoutMs });
      this.heartbeat.connect(this.address(this.connection.hb_port));
    }
    const beat = this.heartbeat;
    try {
      await beat.send("ping");
      const [echo] = await beat.receive();
      return echo?.toString() === "ping";
    } catch {
      // A REQ socket that timed out is stuck in the wrong state: make a new one next time.
      beat.close();
      this.heartbeat = undefined;
      return false;
    }
  }

  /** True while the kernel process runs. */
  get alive(): boolean {
    return this.exited === undefined;
  }

  /**
   * Stops the kernel: `shutdown_request` on control, then SIGKILL if it has not exited after `graceMs`;
   * closes the sockets and deletes the connection file. Safe to call twice.
   */
  async shutdown(options: { graceMs?: number } = {}): Promise<void> {
    const { graceMs = 3000 } = options;
    if (!this.exited && graceMs > 0) {
      await this.request("control", "shutdown_request", { restart: false }, graceMs).catch(() => undefined);
      await Promise.race([this.waitExit(), delay(graceMs)]);
    }
    if (!this.exited) {
      this.process.kill("SIGKILL");
      await Promise.race([this.waitExit(), delay(2000)]);
    }
    if (!this.closed) {
      this.closed = true;
      for (const socket of [this.shell, this.control, this.iopub, this.heartbeat]) socket?.close();
      rmSync(this.connectionPath, { recursive: true, force: true });
    }
  }

  private waitExit(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }
}

/** A timer that does not keep the process alive (it often loses a `Promise.race`). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
