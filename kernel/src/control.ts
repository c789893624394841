/**
 * The kernel's second thread: heartbeat and control channel. It keeps answering while a cell blocks the main
 * thread (`while (true) {}`), which a single-threaded kernel cannot: the heartbeat echoes, and an
 * `interrupt_request` is answered here and turned into SIGINT to this process (Node's `breakOnSigint` stops a
 * synchronous cell; the main thread's SIGINT handler stops one waiting on a promise). Every other control
 * request goes to the main thread, whose replies come back here to be sent.
 */
import { Session } from "node:inspector";
import { parentPort, workerData } from "node:worker_threads";
import { Reply, Router } from "zeromq";
// The library's Jupyter wire format (signing, framing), shared with its notebook runner.
import { DELIMITER, decodeMessage, encodeMessage, newMessage } from "@llm-course/lib/dist/notebook/message";

/** What the main thread passes to this thread. */
export interface ControlData {
  key: string;
  session: string;
  controlAddress: string;
  hbAddress: string;
  /** Int32 `[0]`: 1 while the main thread awaits an async cell; `[1]`: the main thread's 50 ms tick count */
  shared: SharedArrayBuffer;
}

/** How long SIGINT may take to reach a cell waiting on a promise before its code is terminated. */
const SIGINT_GRACE_MS = 400;

/**
 * Main → control thread: frames to send on the control socket (`then: "ack"` asks for a `sent` event once
 * sent), or `close`: close both sockets and say `closed` (zeromq must not be torn down with open sockets).
 */
export type ControlSend = { frames: Uint8Array[]; then?: "ack" } | { close: true };

/** Control thread → main: a control request to handle, a bind failure, or the ack of a send. */
export type ControlEvent = { kind: "request"; frames: Uint8Array[] } | { kind: "bound" } | { kind: "failed"; message: string } | { kind: "sent" } | { kind: "closed" };

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("control.js runs as a worker thread of the course kernel");
  const { key, session, controlAddress, hbAddress, shared } = workerData as ControlData;
  const control = new Router({ linger: 0 });
  const heartbeat = new Reply({ linger: 0 });
  try {
    await Promise.all([control.bind(controlAddress), heartbeat.bind(hbAddress)]);
  } catch (error) {
    port.postMessage({ kind: "failed", message: (error as Error).message } satisfies ControlEvent);
    return;
  }
  port.postMessage({ kind: "bound" } satisfies ControlEvent);
  port.on("message", (message: ControlSend) => {
    if ("close" in message) {
      control.close();
      heartbeat.close();
      port.postMessage({ kind: "closed" } satisfies ControlEvent);
      return;
    }
    void control.send(message.frames.map((frame) => Buffer.from(frame))).then(() => {
      if (message.then === "ack") port.postMessage({ kind: "sent" } satisfies ControlEvent);
    });
  });
  void (async () => {
    try {
      for await (const frames of heartbeat) await heartbeat.send(frames);
    } catch {
      // closed
    }
  })();
  try {
    await serveControl(control, port, key, session, new Int32Array(shared));
  } catch {
    // closed at shutdown
  }
}

/**
 * After an `await`, a cell's code runs outside the script Node can break on SIGINT, so a loop there blocks the
 * main thread and its SIGINT handler never runs. Then — the cell still awaited and the main thread's tick
 * counter frozen for the whole grace period, so it really is blocked (terminating an idle thread would kill
 * its *next* callback instead) — the inspector terminates the JavaScript running on the main thread; the event
 * loop goes on, the handler runs, and the cell ends as interrupted (its promise never settles).
 */
function terminateIfStuck(shared: Int32Array, inspector: Session): void {
  const ticks = Atomics.load(shared, 1);
  setTimeout(() => {
    if (Atomics.load(shared, 0) === 1 && Atomics.load(shared, 1) === ticks) inspector.post("Runtime.terminateExecution");
  }, SIGINT_GRACE_MS);
}

async function serveControl(control: Router, port: NonNullable<typeof parentPort>, key: string, session: string, shared: Int32Array): Promise<void> {
  const inspector = new Session();
  inspector.connectToMainThread();
  for await (const frames of control) {
    const at = frames.findIndex((frame) => frame.length === DELIMITER.length && frame.toString() === DELIMITER);
    let request;
    try {
      request = decodeMessage(frames, key);
    } catch (error) {
      process.stderr.write(`course kernel: dropped a control message: ${(error as Error).message}\n`);
      continue;
    }
    if (request.header.msg_type !== "interrupt_request") {
      port.postMessage({ kind: "request", frames } satisfies ControlEvent);
      continue;
    }
    process.kill(process.pid, "SIGINT");
    if (Atomics.load(shared, 0) === 1) terminateIfStuck(shared, inspector);
    const reply = { ...newMessage("interrupt_reply", { status: "ok" }, session), parent_header: request.header };
    await control.send([...frames.slice(0, at), ...encodeMessage(reply, key)]);
  }
}

void serve();
