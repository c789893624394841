/**
 * Runs an exported model with onnxruntime-node (the runtime transformers.js uses in Node) on plain padded
 * arrays. onnxruntime-node is loaded on first use, so importing the library does not load its native binding.
 */
import { statSync } from "node:fs";

/** onnxruntime's graph optimisation levels (`disabled` runs the graph as written; `all` adds layout changes). */
export type OnnxOptimization = "disabled" | "basic" | "extended" | "all";
/** Every `OnnxOptimization`, lowest first. */
export const ONNX_OPTIMIZATIONS: readonly OnnxOptimization[] = ["disabled", "basic", "extended", "all"];

/** Options of `openOnnx`. */
export interface OnnxSessionOptions {
  /** Default `all` (onnxruntime's default). */
  optimization?: OnnxOptimization;
  /** Threads inside one op; default 0 (onnxruntime picks: one per physical core). */
  intraOpThreads?: number;
}

/** `[B, T]` row-major ids and mask (token types default to 0). */
export interface OnnxBatch {
  batch: number;
  seq: number;
  inputIds: ArrayLike<number>;
  attentionMask: ArrayLike<number>;
  tokenTypeIds?: ArrayLike<number>;
}

/** Logits and their dims, as plain arrays (nothing to dispose). */
export interface OnnxLogits {
  data: Float32Array;
  dims: number[];
}

/** An open onnxruntime session on one model file. */
export interface OnnxRunner {
  path: string;
  /** Size of the model file in bytes. */
  bytes: number;
  run(batch: OnnxBatch): Promise<OnnxLogits>;
  release(): Promise<void>;
}

/** Padded rows of ids (and masks) → an `OnnxBatch`. @throws when rows differ in length */
export function onnxBatch(inputIds: readonly (readonly number[])[], attentionMask: readonly (readonly number[])[], tokenTypeIds?: readonly (readonly number[])[]): OnnxBatch {
  const seq = inputIds[0]?.length ?? 0;
  if (inputIds.some((r) => r.length !== seq) || attentionMask.some((r) => r.length !== seq)) throw new Error(`onnxBatch: rows must all have ${seq} tokens (pad them first)`);
  return { batch: inputIds.length, seq, inputIds: inputIds.flat(), attentionMask: attentionMask.flat(), ...(tokenTypeIds ? { tokenTypeIds: tokenTypeIds.flat() } : {}) };
}

/**
 * Opens `path` in onnxruntime-node (CPU). Call `release()` when done.
 * @throws naming the file when onnxruntime cannot load it
 */
export async function openOnnx(path: string, options: OnnxSessionOptions = {}): Promise<OnnxRunner> {
  const { optimization = "all", intraOpThreads = 0 } = options;
  // `require`, not `import()`: compiled with module Node16, `import()` stays native, and this CommonJS package
  // then comes back as `{ default }` only (notebooks load the compiled library).
  const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(path, { graphOptimizationLevel: optimization, intraOpNumThreads: intraOpThreads, executionProviders: ["cpu"] });
  } catch (error) {
    throw new Error(`${path}: onnxruntime could not load the model (${(error as Error).message})`);
  }
  const int64 = (values: ArrayLike<number>, n: number) => {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(values[i] ?? 0);
    return out;
  };
  return {
    path,
    bytes: statSync(path).size,
    async run(b: OnnxBatch): Promise<OnnxLogits> {
      const n = b.batch * b.seq;
      const dims = [b.batch, b.seq];
      const feeds = {
        input_ids: new ort.Tensor("int64", int64(b.inputIds, n), dims),
        attention_mask: new ort.Tensor("int64", int64(b.attentionMask, n), dims),
        token_type_ids: new ort.Tensor("int64", b.tokenTypeIds ? int64(b.tokenTypeIds, n) : new BigInt64Array(n), dims),
      };
      const out = await session.run(feeds);
      const logits = out["logits"];
      if (logits === undefined) throw new Error(`${path}: the model has no "logits" output`);
      return { data: logits.data as Float32Array, dims: [...logits.dims] };
    },
    async release(): Promise<void> {
      // onnxruntime-node 1.14's session has no `release()` (added in 1.15); its native handle is freed by the GC.
      const releasable = session as unknown as { release?: () => Promise<void> };
      if (typeof releasable.release === "function") await releasable.release();
    },
  };
}
