/**
 * The WebGPU path: tfjs's `webgpu` backend (@tensorflow/tfjs-backend-webgpu) on Google's Dawn through the `webgpu`
 * npm package, whose native file (`dist/<platform>-<arch>/dawn.node`, prebuilt for Linux, macOS and Windows) ships
 * inside the package: nothing downloads at install. Dawn reaches the GPU through Vulkan (Linux: the Vulkan loader
 * `libvulkan.so.1` and the GPU's ICD), Metal (macOS) or Direct3D 12 (Windows).
 *
 * Without a GPU, Dawn's OpenGL backend runs on Mesa's software renderer (llvmpipe) through EGL with
 * `EGL_PLATFORM=surfaceless` — in WebGPU's "compatibility" feature level. That adapter is correct but slower than
 * the CPU engine, so `initBackend` takes it only when asked (`COURSE_BACKEND=webgpu`): CI trains on it to test the
 * kernels. Dawn opens `libEGL.so` (Debian: libegl-dev) and Mesa's `libEGL_mesa.so.0` + `swrast_dri.so`
 * (libegl-mesa0, libgl1-mesa-dri).
 *
 * Everything here is optional in effect: a `webgpu` package whose native file cannot load is a reason in the
 * backend report, never an error (unless webgpu was forced).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { registerWebGpuTrainingKernels } from "./webgpu-kernels";
import { hookDawnEvents, patchReadSync } from "./webgpu-sync";

/** The adapter Dawn gave, as `GPUAdapterInfo` names it, plus how it was reached. */
export interface GpuAdapter {
  /** PCI vendor name as Dawn reports it ("nvidia", "amd", "intel", "apple"); "" on OpenGL. */
  vendor: string;
  /** GPU family ("ampere", "hopper", "rdna-3", "gen-12lp"); "" when Dawn does not know it. */
  architecture: string;
  /** The device's name ("NVIDIA H100 80GB HBM3", "llvmpipe (LLVM 15.0.6, 256 bits)"). */
  device: string;
  /** The driver's description ("NVIDIA: 550.54.15", "OpenGL version 4.5 (Core Profile) Mesa 22.3.6"). */
  description: string;
  /** The Dawn backend asked for: "vulkan", "metal", "d3d12" or "opengl". */
  api: string;
  /** WebGPU's feature level: "core", or "compatibility" (OpenGL). */
  featureLevel: "core" | "compatibility";
  /** A CPU pretending to be a GPU: `isFallbackAdapter`, or a known software renderer (llvmpipe, lavapipe, SwiftShader, WARP). */
  software: boolean;
}

export interface WebGpuProbe {
  /** The adapter found (hardware first), if any. */
  adapter?: GpuAdapter;
  /** Why no adapter was found, or why the one found is not used. */
  why?: string;
  /** The `webgpu` package's version, when it loaded. */
  dawn?: string;
}

/** What a Dawn instance (`webgpu`'s `create()`) returns, typed to what we use (the package's types need DOM's). */
interface Gpu {
  requestAdapter(options?: Record<string, unknown>): Promise<Adapter | null>;
}
interface Adapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  limits: Record<string, number>;
  features: Set<string>;
  requestDevice(options?: Record<string, unknown>): Promise<unknown>;
}
interface DawnModule {
  create(options: string[]): Gpu;
  globals: Record<string, unknown>;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i;
const NATIVE_API: Record<string, string> = { linux: "vulkan", darwin: "metal", win32: "d3d12" };

let dawn: { module?: DawnModule; why?: string; version?: string } | undefined;

/** Loads the `webgpu` package once; its native file may be missing or refuse to load here. Never throws. */
async function loadDawn(): Promise<{ module?: DawnModule; why?: string; version?: string }> {
  if (dawn) return dawn;
  try {
    // An ES module with a native file, loaded lazily so that a machine where it cannot load still runs the course.
    const module = (await import("webgpu")) as unknown as DawnModule;
    dawn = { module, version: packageVersion("webgpu") };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "";
    dawn = { why: `the webgpu package's native file did not load (${message})` };
  }
  return dawn;
}

function packageVersion(name: string): string | undefined {
  try {
    const path = require.resolve(`${name}/package.json`);
    return String((JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version);
  } catch {
    return undefined; // an ES module whose "exports" hides package.json, or a bundle: the version is a nicety
  }
}

/** Directories the dynamic loader searches (LD_LIBRARY_PATH, /etc/ld.so.conf.d, the standard ones). */
function libraryDirs(): string[] {
  const dirs = (process.env["LD_LIBRARY_PATH"] ?? "").split(":").filter(Boolean);
  try {
    for (const file of readdirSync("/etc/ld.so.conf.d")) {
      for (const line of readFileSync(`/etc/ld.so.conf.d/${file}`, "utf8").split("\n")) if (line.startsWith("/")) dirs.push(line.trim());
    }
  } catch {
    // no ld.so.conf.d: the standard directories below remain
  }
  return [...dirs, "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib"];
}

/** On Linux, Dawn needs the Vulkan loader; looking first spares a warning Dawn prints on stderr when it is absent. */
function vulkanLoaderMissing(): string | undefined {
  if (process.platform !== "linux") return undefined;
  if (libraryDirs().some((dir) => existsSync(`${dir}/libvulkan.so.1`))) return undefined;
  return "no Vulkan loader (libvulkan.so.1): install libvulkan1 and the GPU's Vulkan driver (ICD); in a container NVIDIA_DRIVER_CAPABILITIES must include `graphics`";
}

function describeAdapter(adapter: Adapter, api: string, featureLevel: GpuAdapter["featureLevel"]): GpuAdapter {
  const info = adapter.info;
  const fallback = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter);
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    api,
    featureLevel,
    software: fallback || SOFTWARE.test(`${info.device} ${info.description}`),
  };
}

/** One adapter request; `undefined` when Dawn has none on that API. */
async function request(module: DawnModule, api: string, featureLevel: GpuAdapter["featureLevel"]): Promise<{ gpu: Gpu; adapter: Adapter } | undefined> {
  if (api === "opengl" && !process.env["EGL_PLATFORM"]) process.env["EGL_PLATFORM"] = "surfaceless"; // no display server needed
  const gpu = module.create([`backend=${api}`]);
  const options: Record<string, unknown> = { powerPreference: "high-performance" };
  if (featureLevel === "compatibility") options["featureLevel"] = "compatibility";
  const adapter = await gpu.requestAdapter(options);
  return adapter ? { gpu, adapter } : undefined;
}

/** The adapter whose device the registered `webgpu` factory opens. */
let registeredFor: Adapter | undefined;

let found: { gpu: Gpu; adapter: Adapter; report: GpuAdapter } | undefined;

/**
 * Looks for a WebGPU adapter: the platform's own API (Vulkan, Metal, D3D12) and, with `software`, Dawn's OpenGL
 * backend on Mesa's software renderer. Never throws; a missing package, loader or adapter is a reason.
 * @param options.software also accept a software adapter (what `COURSE_BACKEND=webgpu` asks)
 */
export async function probeWebGpu(options: { software?: boolean } = {}): Promise<WebGpuProbe> {
  const { software = false } = options;
  const loaded = await loadDawn();
  if (!loaded.module) return { why: loaded.why ?? "the webgpu package did not load" };
  if (found && (software || !found.report.software)) return { adapter: found.report, dawn: loaded.version };
  const api = NATIVE_API[process.platform];
  const reasons: string[] = [];
  let softwareAdapter: GpuAdapter | undefined;
  if (api === undefined) reasons.push(`Dawn has no GPU API for ${process.platform}`);
  else {
    const missing = api === "vulkan" ? vulkanLoaderMissing() : undefined;
    if (missing) reasons.push(missing);
    else {
      const got = await request(loaded.module, api, "core").catch(() => undefined);
      if (got) {
        const report = describeAdapter(got.adapter, api, "core");
        if (!report.software) return keep(got, report);
        softwareAdapter = report;
        if (software) return keep(got, report);
        reasons.push(`the only ${api} adapter is a software renderer (${report.device})`);
      } else reasons.push(`Dawn found no ${api} adapter${api === "vulkan" ? " (the Vulkan loader found no GPU driver: install the GPU's Vulkan ICD; in a container NVIDIA_DRIVER_CAPABILITIES must include `graphics`)" : ""}`);
    }
  }
  if (software && process.platform === "linux") {
    const got = await request(loaded.module, "opengl", "compatibility").catch(() => undefined);
    if (got) return keep(got, describeAdapter(got.adapter, "opengl", "compatibility"));
    reasons.push("no OpenGL adapter either (Mesa's software renderer needs libegl-dev, libegl-mesa0 and libgl1-mesa-dri)");
  }
  const why = `WebGPU: ${reasons.join("; ")}${software ? "" : "; a software adapter is used only when COURSE_BACKEND=webgpu asks"}`;
  return { adapter: softwareAdapter, why, dawn: loaded.version };

  function keep(got: { gpu: Gpu; adapter: Adapter }, report: GpuAdapter): WebGpuProbe {
    found = { ...got, report };
    return { adapter: report, dawn: loaded.version };
  }
}

/**
 * Registers tfjs's `webgpu` backend on the adapter `probeWebGpu` found, with the training kernels tfjs 4.22 lacks,
 * and sets it. Call after `probeWebGpu` returned an adapter.
 * @returns the tfjs-backend-webgpu version
 * @throws when no adapter was probed, or the device or backend fails to start
 */
export async function startWebGpuBackend(): Promise<string> {
  if (!found || !dawn?.module) throw new Error("startWebGpuBackend: no WebGPU adapter (call probeWebGpu first)");
  const { gpu, adapter } = found;
  // Synchronous reads run Dawn's event callbacks themselves (webgpu-sync.ts); only a process that computes on
  // webgpu needs that, and the adapter requests before it have all completed.
  hookDawnEvents();
  // Imported before `navigator.gpu` exists, so that its own factory (which asks for the default adapter) stays unregistered.
  const webgpu = await import("@tensorflow/tfjs-backend-webgpu");
  // tfjs-backend-webgpu reads `navigator.gpu` and the GPU* constants from the global scope, as in a browser.
  for (const [name, value] of Object.entries(dawn.module.globals)) if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (g.navigator === undefined) Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true, writable: true });
  registerWebGpuTrainingKernels();
  if (registeredFor !== adapter) {
    if (tf.findBackendFactory("webgpu") !== null) tf.removeBackend("webgpu");
    registeredFor = adapter;
    // The device asks for the adapter's own limits, as tfjs's factory does (the defaults cap a storage buffer at
    // 128 MiB), and for as many storage buffers per shader as the adapter allows (the default is 8).
    const limits = adapter.limits;
    const keys = ["maxStorageBuffersPerShaderStage", "maxComputeWorkgroupStorageSize", "maxComputeWorkgroupsPerDimension", "maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupSizeX", "maxComputeInvocationsPerWorkgroup"];
    const requiredLimits = Object.fromEntries(keys.filter((key) => limits[key] !== undefined).map((key) => [key, limits[key]]));
    const requiredFeatures = ["timestamp-query"].filter((name) => adapter.features.has(name));
    // any: the backend takes DOM's GPUDevice, which the library's Node types do not declare.
    tf.registerBackend("webgpu", async () => {
      const backend = new webgpu.WebGPUBackend((await adapter.requestDevice({ requiredLimits, requiredFeatures })) as any, adapter.info as any);
      patchReadSync(backend);
      return backend;
    }, 1);
  }
  if (!(await tf.setBackend("webgpu"))) throw new Error("the tfjs webgpu backend failed to initialise on this adapter");
  return packageVersion("@tensorflow/tfjs-backend-webgpu") ?? "unknown";
}

/** "nvidia hopper · NVIDIA H100 80GB HBM3 · Vulkan", or "software renderer · llvmpipe-llvm-15-0-6-256-bits- · OpenGL (compatibility)". */
export function adapterLine(adapter: GpuAdapter): string {
  const api = { vulkan: "Vulkan", metal: "Metal", d3d12: "Direct3D 12", opengl: "OpenGL" }[adapter.api] ?? adapter.api;
  const family = [adapter.vendor, adapter.architecture].filter(Boolean).join(" ");
  const parts = [adapter.software ? "software renderer" : "", family, adapter.device, `${api}${adapter.featureLevel === "compatibility" ? " (compatibility)" : ""}`].filter(Boolean);
  return parts.join(" · ");
}
