/**
 * Picks the fastest compute backend this machine has and says which one it picked.
 *
 * Order: `webgpu` on a hardware WebGPU adapter (Dawn through the `webgpu` package: Vulkan, Metal, D3D12; see
 * `webgpu.ts`), `tensorflow` through @tensorflow/tfjs-node-gpu (when it loads and sees a CUDA device), `tensorflow`
 * through @tensorflow/tfjs-node (CPU libtensorflow), `wasm` (WebAssembly + SIMD, with the native CPU engine when
 * built), `cpu` (pure JS, ~30x slower than wasm: a last resort). A software WebGPU adapter (Mesa's llvmpipe) is
 * used only when `COURSE_BACKEND=webgpu` asks. A GPU asked for but not found is a loud warning, never a silent
 * fallback.
 *
 * On wasm, matrix products run on the native BLAS addon `@llm-course/native` when it built (see
 * `wasm-kernels.ts`); the report says so, or says what is missing and the one command that fixes it.
 *
 * Environment: `COURSE_BACKEND=auto|webgpu|tensorflow|wasm|cpu` (default auto), `COURSE_GPU=auto|require|off`,
 * `COURSE_NATIVE=off` (wasm without the addon), `COURSE_THREADS=n` (BLAS threads; default every core).
 */
import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels, type NativeStatus } from "./wasm-kernels";
import { adapterLine, probeWebGpu, startWebGpuBackend, type GpuAdapter } from "./webgpu";

export type { GpuAdapter };
export type BackendName = "webgpu" | "tensorflow" | "wasm" | "cpu";
export type BackendChoice = "auto" | BackendName;
/** `auto`: use a GPU when found; `require`: warn loudly when none is found; `off`: never load the GPU package. */
export type GpuChoice = "auto" | "require" | "off";

export interface BackendReport {
  backend: BackendName;
  /** What computes, in words: "GPU (WebGPU)", "CUDA GPU", "CPU (libtensorflow)", "CPU (WebAssembly, SIMD)", "CPU (pure JS)". */
  device: string;
  threads: number;
  gpu: { requested: GpuChoice; found: boolean; reason: string };
  versions: { tfjs: string; node: string; tfjsNode?: string; wasm?: string; webgpu?: string; dawn?: string };
  /** The WebGPU adapter: the one computing on `webgpu`, else the one found and passed over (a software renderer). */
  adapter?: GpuAdapter;
  /** Packages that were tried and why each was passed over. */
  tried: string[];
  /** On wasm: whether the native BLAS kernels serve the matrix products, else why not and the fix. */
  native?: NativeStatus;
}

export interface BackendOptions {
  backend?: BackendChoice;
  gpu?: GpuChoice;
}

let current: BackendReport | undefined;

/** The report of the last `initBackend`, or undefined before it ran. */
export function backendReport(): BackendReport | undefined {
  return current;
}

function envChoice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name}=${value} is not one of ${allowed.join(", ")} (unset it to choose automatically)`);
  }
  return value as T;
}

/** Loads a tfjs-node package; returns its version when it registered the `tensorflow` backend, else why not. */
function loadTensorflowPackage(name: string): { version?: string; why?: string } {
  try {
    // Loaded lazily: the package is optional and its native binding may be absent (any: untyped optional module).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod: any = require(name);
    // danfojs-node's `@tensorflow/tfjs-node` is aliased to plain tfjs (see README, Dependencies): it loads but
    // brings no native backend, so the registry, not the `require`, says whether libtensorflow is here.
    if (tf.findBackendFactory("tensorflow") === null) return { why: `${name} has no native binding here` };
    return { version: String(mod.version?.["tfjs-node"] ?? mod.version_node ?? "unknown") };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "";
    return { why: `${name} did not load (${message})` };
  }
}

/**
 * Chooses, initialises and reports the backend. Call once at start; later calls return the same report
 * unless the options change.
 * @returns the report (also printed by `course env` and notebook 00).
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendReport> {
  const {
    backend = envChoice("COURSE_BACKEND", ["auto", "webgpu", "tensorflow", "wasm", "cpu"] as const, "auto"),
    gpu = envChoice("COURSE_GPU", ["auto", "require", "off"] as const, "auto"),
  } = options;
  if (current && (backend === "auto" || backend === current.backend) && gpu === current.gpu.requested) {
    if (tf.getBackend() !== current.backend) await tf.setBackend(current.backend); // someone switched (tests compare with cpu)
    return current;
  }

  const tried: string[] = [];
  const versions: BackendReport["versions"] = { tfjs: tf.version.tfjs, node: process.version };
  let gpuReason = gpu === "off" ? "GPU disabled (COURSE_GPU=off)" : "";
  let adapter: GpuAdapter | undefined;

  if (backend === "webgpu" || (backend === "auto" && gpu !== "off")) {
    const probe = await probeWebGpu({ software: backend === "webgpu" });
    adapter = probe.adapter;
    if (probe.dawn !== undefined) versions.dawn = probe.dawn;
    if (probe.adapter !== undefined && probe.why === undefined) {
      try {
        versions.webgpu = await startWebGpuBackend();
        const hardware = !probe.adapter.software;
        return finish("webgpu", `${hardware ? "GPU" : "CPU as a GPU"} (WebGPU: ${adapterLine(probe.adapter)})`, hardware, hardware ? "WebGPU adapter found" : "only a software WebGPU adapter (forced by COURSE_BACKEND=webgpu)");
      } catch (error) {
        tried.push(`WebGPU: the adapter was found but tfjs's webgpu backend did not start (${(error as Error).message.split("\n")[0]})`);
      }
    } else tried.push(probe.why ?? "WebGPU: no adapter");
    gpuReason = tried[tried.length - 1] ?? "";
    if (backend === "webgpu") throw new Error(`COURSE_BACKEND=webgpu but no WebGPU adapter works here: ${gpuReason}`);
  }

  if (backend === "auto" || backend === "tensorflow") {
    if (gpu !== "off") {
      const loaded = loadTensorflowPackage("@tensorflow/tfjs-node-gpu");
      if (loaded.version !== undefined && (await tf.setBackend("tensorflow"))) {
        // any: tfjs-node's backend class is not part of tfjs's public types.
        const usingGpu = Boolean((tf.backend() as any).isUsingGpuDevice);
        versions.tfjsNode = loaded.version;
        if (usingGpu) return finish("tensorflow", "CUDA GPU", true, "CUDA device found by libtensorflow");
        tried.push("tfjs-node-gpu loaded but libtensorflow found no CUDA device (needs CUDA 11.2 + cuDNN 8.1)");
      } else {
        tried.push(`${loaded.why ?? "tensorflow backend failed to start"}: no GPU backend`);
      }
      gpuReason = tried.filter((why) => why.startsWith("WebGPU") || why.includes("tfjs-node-gpu")).join("; ");
    }
    if (tf.findBackendFactory("tensorflow") === null) {
      const loaded = loadTensorflowPackage("@tensorflow/tfjs-node");
      if (loaded.why !== undefined) tried.push(loaded.why);
      else versions.tfjsNode = loaded.version;
    }
    if (tf.findBackendFactory("tensorflow") !== null && (await tf.setBackend("tensorflow"))) {
      return finish("tensorflow", "CPU (libtensorflow)", false, gpuReason);
    }
    if (backend === "tensorflow") throw new Error(`COURSE_BACKEND=tensorflow but no tfjs-node package works here: ${tried.join("; ")}`);
  }

  if (backend === "auto" || backend === "wasm") {
    try {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const native = registerWasmTrainingKernels();
      if (await tf.setBackend("wasm")) {
        versions.wasm = wasm.version_wasm;
        const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
        const blas = native.active ? ` + ${native.blas?.split(" ").slice(0, 2).join(" ") ?? "BLAS"}` : "";
        const report = finish("wasm", `CPU (WebAssembly${simd ? ", SIMD" : ""}${blas})`, false, gpuReason, native.threads ?? wasm.getThreadsCount());
        report.native = native;
        return report;
      }
      tried.push("wasm backend failed to initialise");
    } catch (error) {
      tried.push(`wasm did not load (${(error as Error).message})`);
    }
    if (backend === "wasm") throw new Error(`COURSE_BACKEND=wasm but it failed: ${tried.join("; ")}`);
  }

  await tf.setBackend("cpu");
  return finish("cpu", "CPU (pure JS)", false, gpuReason);

  function finish(name: BackendName, device: string, found: boolean, reason: string, threads = 1): BackendReport {
    current = { backend: name, device, threads, gpu: { requested: gpu, found, reason }, versions, tried };
    if (adapter !== undefined) current.adapter = adapter;
    if (gpu === "require" && !found) {
      const line = "!".repeat(78);
      console.warn(`${line}\n!! GPU REQUESTED (COURSE_GPU=require) BUT NOT FOUND: ${reason}\n!! Running on ${device} instead.\n${line}`);
    }
    return current;
  }
}

/**
 * The backend already chosen, else `initBackend()`'s choice. Library entry points that train call it: tfjs
 * otherwise falls back to its pure-JS `cpu` backend (≈30× slower than wasm here) when nobody chose one.
 * @param log hears the choice when this call makes it
 */
export async function ensureBackend(log?: (line: string) => void): Promise<BackendReport> {
  if (current) return current;
  const report = await initBackend();
  log?.(describeBackend(report));
  return report;
}

/**
 * One line for logs: "wasm · CPU (WebAssembly, SIMD + OpenBLAS 0.3.21) · 2 threads · tfjs 4.22.0", or on a GPU
 * "webgpu · GPU (WebGPU: nvidia hopper · NVIDIA H100 80GB HBM3 · Vulkan) · tfjs 4.22.0"; then, on wasm without
 * the native kernels, a notice with the reason and the fix, and a WebGPU adapter found but passed over (a
 * software renderer) on a line of its own.
 */
export function describeBackend(report: BackendReport): string {
  const threads = report.backend === "webgpu" ? [] : [`${report.threads} thread${report.threads === 1 ? "" : "s"}`];
  const lines = [[report.backend, report.device, ...threads, `tfjs ${report.versions.tfjs}`].join(" · ")];
  const native = report.native;
  if (native !== undefined && !native.active) lines.push(`native BLAS kernels off (${native.reason}); training runs on wasm SIMD alone, about 2× slower. Fix: ${native.fix}`);
  if (report.adapter !== undefined && report.backend !== "webgpu") lines.push(`WebGPU adapter passed over: ${adapterLine(report.adapter)} (COURSE_BACKEND=webgpu uses it)`);
  return lines.join("\n");
}
