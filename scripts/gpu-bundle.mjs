#!/usr/bin/env node
// `npm run gpu-bundle [-- --out dir] [--platforms linux-x64,darwin-universal,...]`: the GPU check as a folder
// that needs only a Node binary (≥ 20) on the machine it is copied to — no checkout, no npm, no network:
//   gpu-check.cjs          esbuild bundle of bench/gpu-check.ts with the library and tfjs (webgpu + cpu backends)
//   gpu-check.sh           bench/gpu-check.sh, which runs the bundle beside it
//   node_modules/webgpu/   the `webgpu` package's loader and Dawn's native file for each platform asked
//                          (default linux-x64: 21 MB)
//   lib/libvulkan.so.1     the Vulkan loader (Khronos's, driver-independent), when one is found here or given by
//                          `--vulkan-loader file` (Debian: `apt-get download libvulkan1; dpkg -x libvulkan1_*.deb x`):
//                          GPU machines often have the driver's Vulkan ICD but no loader; gpu-check.sh puts lib/
//                          on LD_LIBRARY_PATH
//   README.txt             how to run it
// Fails when the folder would exceed 60 MiB.
import { build } from "esbuild";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";

const LIMIT = 60 * 1024 * 1024;
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
};
const out = arg("out", "out/gpu-bundle");
const platforms = arg("platforms", "linux-x64").split(",").filter(Boolean);
const webgpu = "node_modules/webgpu";

for (const platform of platforms) {
  if (!existsSync(join(webgpu, "dist", platform))) throw new Error(`gpu-bundle: the webgpu package has no dist/${platform} (have: ${readdirSync(join(webgpu, "dist")).join(", ")})`);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: ["bench/gpu-check.ts"],
  outfile: join(out, "gpu-check.cjs"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // Optional packages the check never takes (tfjs-node, the native CPU addon): left out, their `require` fails and
  // the backend report says so. `webgpu` loads its native file relative to itself: it travels as a folder.
  external: ["webgpu", "@llm-course/native", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
});
if (result.errors.length > 0) process.exit(1);

const files = ["package.json", "index.js", "LICENSE.md", ...platforms.flatMap((p) => readdirSync(join(webgpu, "dist", p)).map((f) => join("dist", p, f)))];
for (const file of files) {
  const target = join(out, "node_modules", "webgpu", file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(webgpu, file), target);
}
const loader = arg("vulkan-loader", undefined) ?? ["/usr/lib/x86_64-linux-gnu/libvulkan.so.1", "/lib/x86_64-linux-gnu/libvulkan.so.1"].find((f) => existsSync(f));
if (loader !== undefined && platforms.includes("linux-x64")) {
  if (!existsSync(loader)) throw new Error(`gpu-bundle: --vulkan-loader ${loader} does not exist`);
  mkdirSync(join(out, "lib"), { recursive: true });
  copyFileSync(realpathSync(loader), join(out, "lib", "libvulkan.so.1"));
} else if (platforms.includes("linux-x64")) {
  console.warn("gpu-bundle: no Vulkan loader here to carry (--vulkan-loader file): the GPU machine needs libvulkan1");
}
copyFileSync("bench/gpu-check.sh", join(out, "gpu-check.sh"));
chmodSync(join(out, "gpu-check.sh"), 0o755);
writeFileSync(join(out, "README.txt"), `The course's GPU check (issue #18), built by \`npm run gpu-bundle\` on ${new Date().toISOString()}.
Needs only Node >= 20 (set NODE=/path/to/node if it is not on PATH) and, for ${platforms.join(", ")}, a GPU driver:
Linux: the GPU's Vulkan driver (NVIDIA: the driver's nvidia_icd.json; in a container NVIDIA_DRIVER_CAPABILITIES must
include "graphics") and the Vulkan loader (${loader !== undefined ? "carried in lib/" : "libvulkan1: not carried in this bundle"}); if Dawn finds no adapter while
the driver is there, point the loader at the ICD: export VK_DRIVER_FILES=/path/to/nvidia_icd.json (VK_ICD_FILENAMES
on old loaders; look under /usr/share/vulkan/icd.d, /etc/vulkan/icd.d, /usr/local/nvidia/share/vulkan/icd.d).
macOS: Metal. Windows: Direct3D 12.

  bash gpu-check.sh                         # BERT-Mini and BERT-Small at seq 128, batch 32
  bash gpu-check.sh --out result.json       # where the JSON goes (default gpu-check-<date>.json here)
  bash gpu-check.sh --peak-tflops 67        # the device's fp32 rate when the built-in table lacks it
  bash gpu-check.sh --tiny                  # tiny sizes, also on a software adapter (Mesa llvmpipe)

It names the WebGPU adapter, runs the training-parity test (AdamW steps of an encoder block on webgpu equal to
tfjs's cpu backend within 1e-4, no tensor leaked) and measures training throughput (tokens/s, MFU against the
stated fp32 rate), writing everything into one JSON file. Exit status: 0 passed, 1 no adapter or an error, 2
parity failed.
`);

let bytes = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else bytes += statSync(path).size;
  }
};
walk(out);
const mib = (bytes / 1024 / 1024).toFixed(1);
if (bytes > LIMIT) {
  console.error(`gpu-bundle: ${out} is ${mib} MiB, over the 60 MiB limit (fewer --platforms?)`);
  process.exit(1);
}
console.log(`gpu-bundle: ${out} (${mib} MiB; ${platforms.join(", ")}): copy it to the GPU machine and run \`bash gpu-check.sh\``);
