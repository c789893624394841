/**
 * transformers.js (the JavaScript port of Hugging Face's pipelines) on a folder written by `exportBertOnnx`,
 * offline: `pipeline("text-classification", name)` with `env.localModelPath` = the folder's parent and remote
 * models off — the same call a web page or a Node service would make.
 */
import { transformersJsLocation } from "../export/export";

/** A label and its probability (the pipeline's top-1 output for one text). */
export interface TextClassification {
  label: string;
  score: number;
}

/**
 * Opens `dir` as a transformers.js `text-classification` pipeline.
 * @param options quantized: read `onnx/model_quantized.onnx` (transformers.js' default) instead of `model.onnx`
 * @returns a function from texts to their top label and score (one per text, in order)
 */
export async function textClassificationPipeline(dir: string, options: { quantized?: boolean } = {}): Promise<(texts: readonly string[]) => Promise<TextClassification[]>> {
  const { quantized = false } = options;
  const transformers = await import("@xenova/transformers"); // ESM-only: a real dynamic import (module Node16)
  const { parent, name } = transformersJsLocation(dir);
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = parent;
  const classify = await transformers.pipeline("text-classification", name, { quantized });
  return async (texts) => {
    // The pipeline returns one `{ label, score }` per text for an array input (top-1); untyped upstream.
    const out = (await classify([...texts])) as unknown as TextClassification[] | TextClassification;
    return Array.isArray(out) ? out : [out];
  };
}
