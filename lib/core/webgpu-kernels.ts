/**
 * Kernels the course registers for tfjs 4.22's webgpu backend. Every kernel the course runs exists there
 * (`scripts/kernel-audit.mjs` lists them; tests/core/webgpu-kernels.test.ts checks each is registered), but one
 * breaks on the course's inputs:
 *
 * `AddN` binds every input as a storage buffer of one shader, and a WebGPU device allows only
 * `maxStorageBuffersPerShaderStage` of them (8 by default, 10 on a 4.22-era Chrome, 16 on Mesa's OpenGL): the
 * global gradient norm (`clipByGlobalNorm`: `addN` over one square sum per parameter, dozens of them) made an
 * invalid pipeline, and the GPU returned garbage with only a validation message on stderr. The override sums
 * at most `limit − 1` inputs per dispatch (the output is a storage buffer too), then sums the partial sums.
 */
import * as tf from "@tensorflow/tfjs";

// any: WebGPUBackend's device and disposeData are internals its .d.ts does not expose to kernels.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** `AddN` in groups the device can bind; `original` is tfjs's kernel. */
function chunkedAddN(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[]; // AddN's inputs are a list
    const backend = args.backend as any;
    const perDispatch = Math.max(2, Number(backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
    if (inputs.length <= perDispatch) return original(args) as tf.TensorInfo;
    const partials: tf.TensorInfo[] = [];
    for (let start = 0; start < inputs.length; start += perDispatch) {
      const group = inputs.slice(start, start + perDispatch);
      partials.push(group.length === 1 ? (group[0] as tf.TensorInfo) : (original({ ...args, inputs: group as any }) as tf.TensorInfo));
    }
    const sum = chunkedAddN(original)({ ...args, inputs: partials as any }) as tf.TensorInfo;
    for (const partial of partials) if (!inputs.includes(partial)) backend.disposeData(partial.dataId);
    return sum;
  };
}

let registered = false;

/** Replaces the webgpu kernels above (once; tfjs-backend-webgpu must be loaded). */
export function registerWebGpuTrainingKernels(): void {
  if (registered) return;
  const addN = tf.getKernel(tf.AddN, "webgpu");
  if (addN === undefined) throw new Error("registerWebGpuTrainingKernels: tfjs-backend-webgpu is not loaded");
  registered = true;
  tf.unregisterKernel(tf.AddN, "webgpu");
  tf.registerKernel({ ...addN, kernelFunc: chunkedAddN(addN.kernelFunc) });
}
