/**
 * BERT as an ONNX graph, the same math as `lib/model/bert.ts` (post-LN, exact erf GELU, −10000 on padded
 * keys), with Hugging Face's input and output names so transformers.js and onnxruntime run it:
 *   inputs  `input_ids`, `attention_mask`, `token_type_ids`   int64 `[batch_size, sequence_length]`
 *   output  `logits`   fill-mask `[B, T, V]`, text-classification `[B, C]`, token-classification `[B, T, C]`
 * Weights are float32 initializers (Linear `[in, out]`, as stored here, so `MatMul(x, W)` needs no transpose).
 * LayerNorm: opset ≥ 17 uses the `LayerNormalization` op; below that it is composed as PyTorch exports it
 * (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add), the pattern onnxruntime fuses back.
 * GELU is `Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5`, the pattern onnxruntime fuses into `Gelu`.
 * Reshapes use `0` ("copy this input dimension") so batch and sequence stay dynamic; the sequence length for
 * the position table comes from `Shape → Gather → Unsqueeze → Slice`.
 *
 * With `quantize: "int8"` every MatMul against a weight becomes onnxruntime's dynamic-quantisation pattern
 * (what `quantize_dynamic` writes): `DynamicQuantizeLinear(x)` → uint8 x, scale, zero point;
 * `MatMulInteger(x_q, W_q, x_zp, 0)` → int32; `Cast` → float; `Mul` by `x_scale · w_scale[c]` (per output
 * channel; the weight zero point is 0, so per-channel needs no per-channel zero point). The word-embedding
 * table is int8 per row: `Gather` on int8, `Cast`, `Mul` by the gathered row scale; the tied MLM decoder reads
 * the same int8 table through a `Transpose`.
 *
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `N` heads, `D` head size, `V` vocabulary, `C` labels.
 */
import type { BertModel } from "../model/bert";
import { channelAxis, quantizeInt8 } from "./int8";
import { OnnxGraphBuilder } from "./onnx-graph";

/** The pipelines transformers.js runs on an exported folder. */
export type OnnxTask = "fill-mask" | "text-classification" | "token-classification";
/** Every `OnnxTask`, for CLI validation. */
export const ONNX_TASKS: readonly OnnxTask[] = ["fill-mask", "text-classification", "token-classification"];

/** What the graph is built from: an encoder and, for classification, the `classifier` Linear. */
export interface BertOnnxSource {
  bert: BertModel;
  /** `classifier.weight` `[H, C]` (our layout) and `classifier.bias` `[C]`. */
  classifier?: { weight: Float32Array; bias: Float32Array; numLabels: number };
}

/** Options of `buildBertOnnx`. */
export interface BertOnnxOptions {
  task: OnnxTask;
  /** ONNX opset (13–18); default 14. */
  opset?: number;
  /** `"int8"`: dynamic int8 quantisation of every weight MatMul and the word embeddings. */
  quantize?: "int8";
}

/** The encoded model and what it holds. */
export interface BertOnnxModel {
  bytes: Uint8Array;
  /** Node count per op type. */
  ops: Record<string, number>;
}

/**
 * Builds the ONNX model of `source` for `task`. Reads the variables synchronously; makes no tensors.
 * @throws when a classification task has no classifier, or the opset is outside 13–18
 */
export function buildBertOnnx(source: BertOnnxSource, options: BertOnnxOptions): BertOnnxModel {
  const { task, opset = 14, quantize } = options;
  if (!Number.isInteger(opset) || opset < 13 || opset > 18) throw new Error(`opset ${opset}: supported are 13–18 (Softmax/Unsqueeze semantics of 13; onnxruntime 1.14 reads ≤ 18)`);
  const { bert, classifier } = source;
  if (task !== "fill-mask" && classifier === undefined) throw new Error(`task ${task} needs a classifier head (export a TaskModel, or pass the classifier weights)`);
  const c = bert.config;
  const { hiddenSize: H, numHeads: N } = c;
  const D = H / N;
  const g = new OnnxGraphBuilder(`bert-${task}`);
  const weight = (name: string): Float32Array => {
    const v = bert.params.get(name);
    if (v === undefined) throw new Error(`BERT parameter ${name} is missing`);
    return v.dataSync() as Float32Array;
  };
  const shapeOf = (name: string): number[] => bert.params.get(name)?.shape ?? [];
  const int8 = quantize === "int8";

  // x·W + b with W a weight initializer `[in, out]`: plain MatMul, or the dynamic-int8 pattern.
  const matmulWeight = (x: string, name: string, data: Float32Array, inSize: number, outSize: number): string => {
    if (!int8) return g.op("MatMul", [x, g.initializer(name, "float", [inSize, outSize], data)]);
    const w = quantizeInt8(data, inSize, outSize, 1);
    const wq = g.initializer(`${name}_quantized`, "int8", [inSize, outSize], w.q);
    const ws = g.initializer(`${name}_scale`, "float", [outSize], w.scales);
    return dynamicMatMul(x, wq, ws);
  };
  const dynamicMatMul = (x: string, wq: string, ws: string): string => {
    const [xq, xScale, xZero] = g.node("DynamicQuantizeLinear", [x], {}, 3) as [string, string, string];
    const acc = g.op("MatMulInteger", [xq, wq, xZero, g.constant("int8", [0], [])]);
    const scale = g.op("Mul", [xScale, ws]); // [out]: x_scale · w_scale[c]
    return g.op("Mul", [g.op("Cast", [acc], { to: 1 }), scale]);
  };
  const linear = (x: string, prefix: string, data = weight(`${prefix}.weight`), bias = weight(`${prefix}.bias`)): string => {
    const [inSize, outSize] = [data.length / bias.length, bias.length];
    return g.op("Add", [matmulWeight(x, `${prefix}.weight`, data, inSize, outSize), g.initializer(`${prefix}.bias`, "float", [outSize], bias)]);
  };
  const layerNorm = (x: string, prefix: string): string => {
    const gamma = g.initializer(`${prefix}.weight`, "float", [H], weight(`${prefix}.weight`));
    const beta = g.initializer(`${prefix}.bias`, "float", [H], weight(`${prefix}.bias`));
    if (opset >= 17) return g.op("LayerNormalization", [x, gamma, beta], { axis: -1, epsilon: { f: c.layerNormEps } });
    const mean = g.op("ReduceMean", [x], { axes: [-1], keepdims: 1 }); // [B, T, 1]
    const centred = g.op("Sub", [x, mean]);
    const variance = g.op("ReduceMean", [g.op("Pow", [centred, g.scalar(2)])], { axes: [-1], keepdims: 1 }); // [B, T, 1]
    const normed = g.op("Div", [centred, g.op("Sqrt", [g.op("Add", [variance, g.scalar(c.layerNormEps)])])]);
    return g.op("Add", [g.op("Mul", [normed, gamma]), beta]);
  };
  const gelu = (x: string): string => {
    const erf = g.op("Erf", [g.op("Div", [x, g.scalar(Math.SQRT2)])]);
    return g.op("Mul", [g.op("Mul", [x, g.op("Add", [erf, g.scalar(1)])]), g.scalar(0.5)]);
  };
  const splitHeads = (x: string, perm: number[]): string => g.op("Transpose", [g.op("Reshape", [x, g.constant("int64", [0, 0, N, D])])], { perm });

  const inputIds = g.input("input_ids", "int64", ["batch_size", "sequence_length"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch_size", "sequence_length"]);
  const tokenTypeIds = g.input("token_type_ids", "int64", ["batch_size", "sequence_length"]);

  // Embeddings: words + positions[0:T] + token types, then LayerNorm.
  const wordName = "bert.embeddings.word_embeddings.weight";
  const [V] = shapeOf(wordName) as [number, number];
  let words: string;
  let wordQ: { table: string; scales: string } | undefined;
  if (int8) {
    const w = quantizeInt8(weight(wordName), V, H, channelAxis(wordName));
    const table = g.initializer(`${wordName}_quantized`, "int8", [V, H], w.q);
    const rowScales = g.initializer(`${wordName}_scale_rows`, "float", [V, 1], w.scales);
    // The tied decoder's per-column scales are the same numbers as a `[V]` vector (only fill-mask has a decoder).
    wordQ = { table, scales: task === "fill-mask" ? g.initializer(`${wordName}_scale`, "float", [V], w.scales) : "" };
    const gathered = g.op("Cast", [g.op("Gather", [table, inputIds], { axis: 0 })], { to: 1 }); // [B, T, H]
    words = g.op("Mul", [gathered, g.op("Gather", [rowScales, inputIds], { axis: 0 })]); // · [B, T, 1]
  } else {
    words = g.op("Gather", [g.initializer(wordName, "float", [V, H], weight(wordName)), inputIds], { axis: 0 }); // [B, T, H]
  }
  const seqLen = g.op("Unsqueeze", [g.op("Gather", [g.op("Shape", [inputIds]), g.constant("int64", [1], [])], { axis: 0 }), g.constant("int64", [0])]); // [1]: T
  const posName = "bert.embeddings.position_embeddings.weight";
  const positions = g.op("Slice", [g.initializer(posName, "float", shapeOf(posName), weight(posName)), g.constant("int64", [0]), seqLen, g.constant("int64", [0])]); // [T, H]
  const typeName = "bert.embeddings.token_type_embeddings.weight";
  const types = g.op("Gather", [g.initializer(typeName, "float", shapeOf(typeName), weight(typeName)), tokenTypeIds], { axis: 0 }); // [B, T, H]
  let hidden = layerNorm(g.op("Add", [g.op("Add", [words, positions]), types]), "bert.embeddings.LayerNorm"); // [B, T, H]

  // −10000 on padded keys so softmax ignores them: (1 − mask) · −10000, `[B, 1, 1, T]`.
  const keyMask = g.op("Unsqueeze", [g.op("Cast", [attentionMask], { to: 1 }), g.constant("int64", [1, 2])]); // [B, 1, 1, T]
  const maskBias = g.op("Mul", [g.op("Sub", [g.scalar(1), keyMask]), g.scalar(-10000)]);

  for (let i = 0; i < c.numLayers; i++) {
    const p = `bert.encoder.layer.${i}`;
    const q = splitHeads(linear(hidden, `${p}.attention.self.query`), [0, 2, 1, 3]); // [B, N, T, D]
    const kT = splitHeads(linear(hidden, `${p}.attention.self.key`), [0, 2, 3, 1]); // [B, N, D, T]
    const v = splitHeads(linear(hidden, `${p}.attention.self.value`), [0, 2, 1, 3]); // [B, N, T, D]
    const scores = g.op("Add", [g.op("Div", [g.op("MatMul", [q, kT]), g.scalar(Math.sqrt(D))]), maskBias]); // [B, N, T, T]
    const probs = g.op("Softmax", [scores], { axis: -1 });
    const context = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [probs, v])], { perm: [0, 2, 1, 3] }), g.constant("int64", [0, 0, H])]); // [B, T, H]
    const attended = layerNorm(g.op("Add", [hidden, linear(context, `${p}.attention.output.dense`)]), `${p}.attention.output.LayerNorm`); // [B, T, H]
    const inner = gelu(linear(attended, `${p}.intermediate.dense`)); // [B, T, I]
    hidden = layerNorm(g.op("Add", [attended, linear(inner, `${p}.output.dense`)]), `${p}.output.LayerNorm`); // [B, T, H]
  }

  if (task === "fill-mask") {
    const transformed = layerNorm(gelu(linear(hidden, "cls.predictions.transform.dense")), "cls.predictions.transform.LayerNorm"); // [B, T, H]
    // The decoder is tied to the word embeddings: x · Eᵀ (`Transpose` of the one stored table, folded at load).
    const decoded = wordQ
      ? dynamicMatMul(transformed, g.op("Transpose", [wordQ.table], { perm: [1, 0] }), wordQ.scales)
      : g.op("MatMul", [transformed, g.op("Transpose", [wordName], { perm: [1, 0] })]); // [B, T, V]
    g.op("Add", [decoded, g.initializer("cls.predictions.bias", "float", [V], weight("cls.predictions.bias"))], {}, "logits");
    g.output("logits", "float", ["batch_size", "sequence_length", V]);
  } else {
    const head = classifier as NonNullable<typeof classifier>;
    const C = head.numLabels;
    if (task === "text-classification") {
      const first = g.op("Gather", [hidden, g.constant("int64", [0], [])], { axis: 1 }); // [B, H]: the [CLS] vector
      const pooled = g.op("Tanh", [linear(first, "bert.pooler.dense")]); // [B, H]
      g.op("Identity", [linear(pooled, "classifier", head.weight, head.bias)], {}, "logits"); // [B, C]
      g.output("logits", "float", ["batch_size", C]);
    } else {
      g.op("Identity", [linear(hidden, "classifier", head.weight, head.bias)], {}, "logits"); // [B, T, C]
      g.output("logits", "float", ["batch_size", "sequence_length", C]);
    }
  }
  const metadata: Record<string, string> = { task, quantization: int8 ? "dynamic int8, weights per output channel" : "none" };
  return { bytes: g.encode({ opset, metadata }), ops: g.opCounts() };
}
