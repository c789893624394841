/**
 * The course kernel's Jupyter server (messaging protocol 5.3): shell and iopub on the main thread, heartbeat
 * and control on a worker thread (`control.ts`) so both answer while a cell blocks. Wire format (HMAC
 * signing, framing) comes from the library's `lib/notebook/message.ts`, which its notebook runner also uses.
 *
 * Order of an execution, as ipykernel: iopub `status: busy`, `execute_input`, streams / displays,
 * `execute_result` or `error`, then the `execute_reply`, then iopub `status: idle`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import { Publisher, Router } from "zeromq";
import { DELIMITER, PROTOCOL_VERSION, decodeMessage, encodeMessage, newMessage, type Message } from "@llm-course/lib/dist/notebook/message";
import { HOOKS, type KernelHooks } from "./api";
import { ts } from "./converter";
import { CellExecutor } from "./executor";
import { History, type HistoryQuery } from "./history";
import { isComplete } from "./is-complete";
import { mimeBundleOf, type MimeBundle } from "./mime";
import type { ControlData, ControlEvent, ControlSend } from "./control";

/** The connection file Jupyter writes for a kernel. */
export interface ConnectionFile {
  transport: string;
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/** The package's own version (for `implementation_version`). */
const VERSION = (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;

/** A received request and the routing ids to answer it through. */
interface Request {
  message: Message;
  identities: Buffer[];
  channel: "shell" | "control";
}

/** `name?` or `?name`: ask for the pager (IPython's object help). */
const PAGER = /^\s*(?:\?\s*([A-Za-z_$][\w$.]*)|([A-Za-z_$][\w$.]*)\s*\?)\s*$/;

/** Code-point offset (Jupyter's cursor unit) ↔ UTF-16 index (JavaScript strings). */
function toUtf16(code: string, cursor: number): number {
  return [...code].slice(0, cursor).join("").length;
}
function toCodePoints(code: string, index: number): number {
  return [...code.slice(0, index)].length;
}

/** The running kernel. `start` binds the sockets; the process exits after `shutdown_request`. */
export class KernelServer {
  private readonly session = randomUUID();
  private readonly shell = new Router({ linger: 0 });
  private readonly stdin = new Router({ linger: 0 });
  /**
   * `sendTimeout: 0`: every output is handed to libzmq at once. With the default (-1), zeromq.js sends at most 512
   * messages per event-loop turn synchronously and defers the 513th; a cell that never yields (a training loop
   * updating a live curve) then makes the 514th `send` throw EBUSY ("Socket is busy writing") and the kernel die
   * with SIGABRT. `sendHighWaterMark: 0`: no limit on queued outputs, so a burst is never dropped (a PUB socket
   * drops past its high-water mark); libzmq's I/O thread keeps draining the queue while the cell runs.
   */
  private readonly iopub = new Publisher({ linger: 0, sendTimeout: 0, sendHighWaterMark: 0 });
  private control: Worker | undefined;
  private readonly executor: CellExecutor;
  private readonly history = new History();
  private executionCount = 0;
  /** Shell requests in arrival order, handled one at a time */
  private readonly queue: Request[] = [];
  private draining = false;
  /** The request whose outputs streams and displays belong to (the last execute, as in ipykernel) */
  private current: Message | undefined;
  private readonly originalWrite = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

  constructor(private readonly connection: ConnectionFile, readonly checkout: string) {
    this.executor = new CellExecutor(process.cwd());
  }

  private address(port: number): string {
    const { transport, ip } = this.connection;
    return transport === "ipc" ? `ipc://${ip}-${port}` : `${transport}://${ip}:${port}`;
  }

  /** Binds every channel, starts the control thread, and serves until shutdown. */
  async start(): Promise<void> {
    const { key } = this.connection;
    const data: ControlData = {
      key, session: this.session, controlAddress: this.address(this.connection.control_port), hbAddress: this.address(this.connection.hb_port),
      shared: this.executor.shared.buffer as SharedArrayBuffer,
    };
    const shared = this.executor.shared;
    setInterval(() => Atomics.add(shared, 1, 1), 50).unref();
    const control = new Worker(join(__dirname, "control.js"), { workerData: data });
    this.control = control;
    const bound = new Promise<void>((resolve, reject) => {
      control.on("message", (event: ControlEvent) => {
        if (event.kind === "bound") resolve();
        else if (event.kind === "failed") reject(new Error(`cannot bind the control/heartbeat ports: ${event.message}`));
        else if (event.kind === "request") this.receive(event.frames.map((f) => Buffer.from(f)), "control");
      });
      control.once("error", reject);
    });
    // Outputs must be on iopub before a client's first request can produce any.
    await Promise.all([
      this.iopub.bind(this.address(this.connection.iopub_port)),
      this.stdin.bind(this.address(this.connection.stdin_port)),
      bound,
    ]);
    await this.shell.bind(this.address(this.connection.shell_port));
    this.installHooks();
    process.on("SIGINT", () => this.executor.interrupt());
    for await (const frames of this.shell) this.receive(frames, "shell");
  }

  private installHooks(): void {
    const hooks: KernelHooks = {
      display: (bundle, { displayId, update = false }) => this.publishDisplay(bundle, displayId, update),
      clearOutput: (wait) => { if (this.current) this.publish("clear_output", { wait }, this.current); },
    };
    (globalThis as { [HOOKS]?: KernelHooks })[HOOKS] = hooks;
    // Library code (lib/plot) and tslab's public `display` write through tslab's `lastWriteDisplayData`.
    const tslabJupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
    tslabJupyter.lastWriteDisplayData = (data: { data: MimeBundle; metadata?: object; transient?: { display_id?: string } }, update: boolean) =>
      this.publishDisplay(data.data, data.transient?.display_id, update, data.metadata);
    for (const name of ["stdout", "stderr"] as const) {
      // any: `write` has overloads (encoding, callback) that this forward keeps.
      process[name].write = ((chunk: string | Uint8Array, ...rest: any[]) => {
        if (!this.current) return (this.originalWrite[name] as any)(chunk, ...rest);
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        this.publish("stream", { name, text }, this.current);
        const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof process.stdout.write;
    }
  }

  private publishDisplay(bundle: MimeBundle, displayId: string | undefined, update: boolean, metadata: object = {}): void {
    if (!this.current) return;
    const transient = displayId === undefined ? {} : { display_id: displayId };
    this.publish(update ? "update_display_data" : "display_data", { data: bundle, metadata, transient }, this.current);
  }

  private message(msgType: string, content: Record<string, unknown>, parent: Message): Message {
    return { ...newMessage(msgType, content, this.session), parent_header: parent.header };
  }

  private publish(msgType: string, content: Record<string, unknown>, parent: Message): void {
    void this.iopub.send(encodeMessage(this.message(msgType, content, parent), this.connection.key));
  }

  private async reply(request: Request, msgType: string, content: Record<string, unknown>, then?: "ack"): Promise<void> {
    const frames = [...request.identities, ...encodeMessage(this.message(msgType, content, request.message), this.connection.key)];
    if (request.channel === "shell") {
      await this.shell.send(frames);
      return;
    }
    const send: ControlSend = then ? { frames, then } : { frames };
    if (!then) {
      this.control?.postMessage(send);
      return;
    }
    await this.toControl(send, "sent");
  }

  /** Posts to the control thread and waits (at most 1 s) for the event that confirms it. */
  private async toControl(send: ControlSend, confirmation: "sent" | "closed"): Promise<void> {
    const control = this.control;
    if (!control) return;
    let listener: (event: ControlEvent) => void = () => undefined;
    const confirmed = new Promise<void>((resolve) => {
      listener = (event) => { if (event.kind === confirmation) resolve(); };
      control.on("message", listener);
    });
    control.postMessage(send);
    await Promise.race([confirmed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    control.off("message", listener);
  }

  private receive(frames: Buffer[], channel: "shell" | "control"): void {
    const at = frames.findIndex((frame) => frame.length === DELIMITER.length && frame.toString() === DELIMITER);
    let message: Message;
    try {
      message = decodeMessage(frames, this.connection.key);
    } catch (error) {
      this.originalWrite.stderr(`course kernel: dropped a ${channel} message: ${(error as Error).message}\n`);
      return;
    }
    const request: Request = { message, identities: frames.slice(0, Math.max(0, at)), channel };
    if (channel === "control") {
      // Control requests skip the shell queue (shutdown while a cell waits on a promise).
      void this.handle(request);
      return;
    }
    this.queue.push(request);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let request = this.queue.shift(); request; request = this.queue.shift()) await this.handle(request);
    } finally {
      this.draining = false;
    }
  }

  private async handle(request: Request): Promise<void> {
    const { message } = request;
    const type = message.header.msg_type;
    this.publish("status", { execution_state: "busy" }, message);
    try {
      switch (type) {
        case "kernel_info_request": await this.reply(request, "kernel_info_reply", this.kernelInfo()); break;
        case "execute_request": await this.execute(request); break;
        case "complete_request": await this.reply(request, "complete_reply", this.complete(message.content)); break;
        case "inspect_request": await this.reply(request, "inspect_reply", this.inspect(message.content)); break;
        case "is_complete_request": await this.reply(request, "is_complete_reply", isComplete(String(message.content["code"] ?? ""))); break;
        case "history_request": await this.reply(request, "history_reply", { status: "ok", history: this.history.query(message.content as HistoryQuery) }); break;
        case "comm_info_request": await this.reply(request, "comm_info_reply", { status: "ok", comms: {} }); break;
        case "shutdown_request": await this.shutdown(request); return;
        case "comm_open":
          // No comm targets (widgets): close the comm at once, as the spec asks of unknown targets.
          this.publish("comm_close", { comm_id: message.content["comm_id"], data: {} }, message);
          break;
        case "comm_msg": case "comm_close": break;
        default:
          this.originalWrite.stderr(`course kernel: no handler for ${request.channel} message ${type}\n`);
      }
    } catch (error) {
      this.originalWrite.stderr(`course kernel: ${type} failed: ${(error as Error).stack ?? String(error)}\n`);
    } finally {
      this.publish("status", { execution_state: "idle" }, message);
    }
  }

  private kernelInfo(): Record<string, unknown> {
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "course-ts",
      implementation_version: VERSION,
      language_info: {
        name: "typescript",
        version: ts.version,
        mimetype: "text/typescript",
        file_extension: ".ts",
        pygments_lexer: "typescript",
        // `name` + `typescript` select TypeScript in the classic notebook, `mode` in JupyterLab (as tslab).
        codemirror_mode: { name: "javascript", typescript: true, mode: "typescript" },
        nbconvert_exporter: "script",
      },
      banner: `TypeScript ${ts.version} (course kernel ${VERSION}, tslab compiler) on Node ${process.version}\ncheckout: ${this.checkout}`,
      help_links: [{ text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" }],
      debugger: false,
    };
  }

  private async execute(request: Request): Promise<void> {
    const { message } = request;
    const content = message.content;
    const code = String(content["code"] ?? "");
    const silent = content["silent"] === true;
    const storeHistory = silent ? false : content["store_history"] !== false;
    const stopOnError = content["stop_on_error"] !== false;
    if (storeHistory) this.executionCount += 1;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, message);
    this.current = message;
    const pager = PAGER.exec(code);
    if (pager) {
      const name = pager[1] ?? pager[2] ?? "";
      const info = this.executor.inspect(name, name.length);
      const text = info ? (require("tslab/dist/inspect") as { printQuickInfo(i: unknown): string }).printQuickInfo(info) : "";
      if (!text) process.stdout.write(`Object \`${name}\` not found.\n`);
      if (storeHistory) this.history.add(count, code, null);
      const payload = text ? [{ source: "page", data: { "text/plain": text }, start: 0 }] : [];
      await this.reply(request, "execute_reply", { status: "ok", execution_count: count, payload, user_expressions: {} });
      return;
    }
    const outcome = await this.executor.execute(code, storeHistory ? `In[${count}]` : `In[-${randomUUID().slice(0, 4)}]`);
    let resultText: string | null = null;
    if (outcome.status === "ok") {
      if (outcome.hasValue && !silent) {
        const data = mimeBundleOf(outcome.value);
        resultText = typeof data["text/plain"] === "string" ? data["text/plain"] : null;
        this.publish("execute_result", { execution_count: count, data, metadata: {} }, message);
      }
      if (storeHistory) this.history.add(count, code, resultText);
      const userExpressions = await this.userExpressions(content["user_expressions"]);
      await this.reply(request, "execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: userExpressions });
      return;
    }
    const error = outcome.error;
    if (storeHistory) this.history.add(count, code, null);
    this.publish("error", { ...error }, message);
    await this.reply(request, "execute_reply", { status: "error", execution_count: count, ...error });
    if (stopOnError) await this.abortQueued();
  }

  /** `user_expressions`: each evaluated after the cell, as a MIME bundle or an error. */
  private async userExpressions(expressions: unknown): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    if (typeof expressions !== "object" || expressions === null) return results;
    for (const [name, expression] of Object.entries(expressions as Record<string, unknown>)) {
      const outcome = await this.executor.execute(`(${String(expression)})`, `In[user_expressions.${name}]`);
      results[name] = outcome.status === "ok"
        ? { status: "ok", data: mimeBundleOf(outcome.value), metadata: {} }
        : { status: "error", ...outcome.error };
    }
    return results;
  }

  /**
   * `stop_on_error`: the executions already queued when a cell failed are answered `aborted` (ipykernel's
   * rule). Requests that arrive later run normally: there is no time window.
   */
  private async abortQueued(): Promise<void> {
    // Let the socket reader take what arrived while the cell ran.
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = this.queue.splice(0);
    for (const request of waiting) {
      if (request.message.header.msg_type !== "execute_request") {
        this.queue.push(request);
        continue;
      }
      this.publish("status", { execution_state: "busy" }, request.message);
      await this.reply(request, "execute_reply", { status: "aborted", execution_count: null });
      this.publish("status", { execution_state: "idle" }, request.message);
    }
  }

  private complete(content: Record<string, unknown>): Record<string, unknown> {
    const code = String(content["code"] ?? "");
    const cursor = toUtf16(code, Number(content["cursor_pos"] ?? code.length));
    const info = this.executor.complete(code, cursor);
    return {
      status: "ok",
      matches: info.candidates,
      cursor_start: toCodePoints(code, info.start),
      cursor_end: toCodePoints(code, info.end),
      metadata: {},
    };
  }

  private inspect(content: Record<string, unknown>): Record<string, unknown> {
    const code = String(content["code"] ?? "");
    const info = this.executor.inspect(code, toUtf16(code, Number(content["cursor_pos"] ?? code.length)));
    if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
    const { printQuickInfo } = require("tslab/dist/inspect") as { printQuickInfo(i: unknown): string };
    return { status: "ok", found: true, data: { "text/plain": printQuickInfo(info) }, metadata: {} };
  }

  /** Replies, then exits; with `restart: true` the client starts a fresh process (a clean state). */
  private async shutdown(request: Request): Promise<void> {
    const restart = request.message.content["restart"] === true;
    await this.reply(request, "shutdown_reply", { status: "ok", restart }, "ack");
    this.publish("status", { execution_state: "idle" }, request.message);
    this.executor.close();
    await this.toControl({ close: true }, "closed");
    await this.control?.terminate();
    for (const socket of [this.shell, this.stdin, this.iopub]) socket.close();
    process.exit(0);
  }
}
