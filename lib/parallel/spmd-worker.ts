/**
 * The body of one SPMD worker thread (started by `runSpmd`; not part of the barrel): initialise the backend,
 * load the program, run it with this rank's `Communicator`, answer once, exit.
 */
import { parentPort, workerData } from "node:worker_threads";
import { initBackend } from "../core/backend";
import { Communicator } from "./communicator";
import { BarrierAborted } from "./shared-memory";
import type { SpmdProgram, SpmdReply, SpmdSetup } from "./spmd";

async function main(setup: SpmdSetup): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("lib/parallel/spmd-worker.ts must run in a worker thread (runSpmd starts it)");
  const comm = new Communicator(setup.rank, setup.buffers);
  let reply: SpmdReply;
  try {
    await initBackend({ backend: setup.backend });
    // any: a program module is whatever the user's file exports; checked just below.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod: any = require(setup.programPath);
    const program = (typeof mod.run === "function" ? mod : mod.default) as SpmdProgram<unknown, unknown> | undefined;
    if (typeof program?.run !== "function") throw new Error(`SPMD program ${setup.programPath} does not export run(comm, input)`);
    const output = await program.run(comm, setup.input);
    reply = { type: "done", output, stats: comm.stats };
  } catch (error) {
    const aborted = error instanceof BarrierAborted;
    if (!aborted) comm.abort();
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { type: "error", message: e.message, stack: e.stack ?? e.message, aborted };
  }
  port.postMessage(reply);
}

if (parentPort !== null && (workerData as { lib?: string } | null)?.lib === "spmd") {
  void main((workerData as { setup: SpmdSetup }).setup);
}
