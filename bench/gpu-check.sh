#!/usr/bin/env bash
# The prepared GPU check (bench/gpu-check.ts): names the WebGPU adapter, runs the training-parity test (webgpu vs
# cpu) and measures BERT-Mini and BERT-Small training throughput, writing one JSON file (--out, default
# gpu-check-<date>.json in the current folder). Runs the bundle beside it (`npm run gpu-bundle` → out/gpu-bundle/,
# which needs only `node` ≥ 20), else the checkout's TypeScript through tsx.
#   bash gpu-check.sh                     # a GPU machine: Mini and Small at seq 128, batch 32
#   bash gpu-check.sh --tiny              # a software adapter (Mesa llvmpipe): tiny sizes, correctness first
#   bash gpu-check.sh --peak-tflops 67    # MFU against a rate the built-in table lacks
# Node: $NODE, else `node` on PATH. Linux without a GPU: Mesa's EGL (libegl-dev libegl-mesa0 libgl1-mesa-dri).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node="${NODE:-node}"
command -v "$node" >/dev/null || { echo "gpu-check: no node binary (set NODE=/path/to/node; Node ≥ 20)" >&2; exit 1; }
major="$("$node" -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || { echo "gpu-check: Node $("$node" --version) is too old (needs ≥ 20)" >&2; exit 1; }
export EGL_PLATFORM="${EGL_PLATFORM:-surfaceless}"   # only the OpenGL (software) path reads it
if [ -d "$here/lib" ]; then   # the bundle's Vulkan loader, for machines that have the GPU driver but no libvulkan1
  export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if [ -f "$here/gpu-check.cjs" ]; then
  exec "$node" "$here/gpu-check.cjs" "$@"
fi
cd "$here/.."
exec "$node" --import tsx bench/gpu-check.ts "$@"
