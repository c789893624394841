/**
 * No silent slow path. tfjs picks a backend by itself the first time a tensor is made when nobody chose one, and
 * it can only pick synchronously: the WebAssembly backend initialises asynchronously, so tfjs takes its pure-JS
 * `cpu` backend (~30× slower here) and prints a banner recommending tfjs-node, a native package the course does
 * not need. This guard, installed when the library loads, replaces that silence with one loud warning naming the
 * fix (`await initBackend()`, which every notebook's config cell calls; async library entry points such as
 * `runTask` and `courseCheckpoint` call `ensureBackend()` themselves), and drops tfjs's banner — on the `cpu`
 * backend chosen on purpose (`COURSE_BACKEND=cpu`) the backend report already says what computes.
 */
import * as tf from "@tensorflow/tfjs";
import { backendReport } from "./backend";

/** What a learner reads when tfjs chose `cpu` because nobody chose. */
export const IMPLICIT_CPU_WARNING = [
  "!".repeat(78),
  "!! No backend was chosen, so tfjs fell back to its pure-JS `cpu` backend: about 30× slower than",
  "!! WebAssembly here. Call `await initBackend()` (from @llm-course/lib) before making tensors, as every",
  "!! notebook's config cell does; set COURSE_BACKEND=cpu to mean `cpu` (then this warning goes).",
  "!".repeat(78),
].join("\n");

let installed = false;
let warned = false;

// any: the engine's registry and its `cpu` backend's `firstUse` flag are internals tfjs 4.22 does not type.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Installs the guard (idempotent; the library installs it when it loads). Throws nothing: on a tfjs whose
 * internals moved, it leaves tfjs as it is.
 * @param warn where the warning goes (default `console.warn`)
 */
export function guardImplicitBackend(warn: (message: string) => void = (message) => console.warn(message)): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine() as any;
  const chooseBest = engine.initializeBackendsAndReturnBest;
  if (typeof chooseBest !== "function") return;
  // Called only when a tensor is made with no backend set (tf.setBackend and tf.ready take other paths).
  engine.initializeBackendsAndReturnBest = function (...args: unknown[]) {
    const choice = chooseBest.apply(this, args) as { name: string; asyncInit: boolean };
    if (choice.name === "cpu" && backendReport() === undefined && process.env["COURSE_BACKEND"] !== "cpu" && !warned) {
      warned = true;
      warn(IMPLICIT_CPU_WARNING);
    }
    return choice;
  };
  const cpuFactory = engine.registryFactory?.["cpu"];
  if (cpuFactory && !engine.registry?.["cpu"]) {
    const { factory, priority } = cpuFactory as { factory: () => any; priority: number };
    cpuFactory.factory = () => {
      const backend = factory();
      if (backend && typeof backend === "object" && "firstUse" in backend) backend.firstUse = false; // tfjs's tfjs-node banner
      return backend;
    };
    cpuFactory.priority = priority;
  }
}

/** Whether the implicit-`cpu` warning was given in this process. */
export function implicitCpuWarned(): boolean {
  return warned;
}

guardImplicitBackend();
