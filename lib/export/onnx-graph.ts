/**
 * A small ONNX graph builder on the protobuf schema (`onnx-proto`): initializers with little-endian
 * `raw_data`, nodes with typed attributes, inputs/outputs with named (dynamic) axes, and the encoded
 * `ModelProto` bytes. Nothing here knows about BERT; `bert-onnx.ts` writes the graph with it.
 * Spec: https://github.com/onnx/onnx/blob/main/docs/IR.md and Operators.md.
 */
import { onnx } from "onnx-proto";

/** ONNX element types used here (`TensorProto.DataType`). */
export const OnnxType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;
export type OnnxTypeName = keyof typeof OnnxType;

/** An attribute value: number → INT (integers) or FLOAT (`{ f }`), number[] → INTS. */
export type OnnxAttribute = number | { f: number } | number[];

/** A dimension: a fixed size or a symbolic (dynamic) name such as `"batch_size"`. */
export type OnnxDim = number | string;

function valueInfo(name: string, type: OnnxTypeName, dims: readonly OnnxDim[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: OnnxType[type], shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, value: OnnxAttribute): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`ONNX attribute ${name}=${value}: pass { f: ${value} } for a float`);
    return { name, type: T.INT, i: value };
  }
  return { name, type: T.FLOAT, f: value.f };
}

/** Little-endian bytes of a typed array (a view when the platform is little-endian, as Node's always is here). */
function bytesOf(data: Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Builds one graph; `op` / `node` return output names so calls nest like the math. Holds plain arrays only
 * (no tensors to dispose).
 */
export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  /** @param name the graph's name (shown by Netron and onnxruntime's logs) */
  constructor(readonly name: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Declares a graph input. */
  input(name: string, type: OnnxTypeName, dims: readonly OnnxDim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output (the value must be produced by a node). */
  output(name: string, type: OnnxTypeName, dims: readonly OnnxDim[]): string {
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Adds a weight as an initializer (raw little-endian bytes). Returns its name. */
  initializer(name: string, type: OnnxTypeName, dims: readonly number[], data: Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`ONNX initializer ${name}: ${data.length} values for dims [${dims}] (${size})`);
    this.initializers.push({ name, dataType: OnnxType[type], dims: [...dims], rawData: bytesOf(data) });
    return name;
  }

  /** A shared constant initializer (scalars and small shape vectors), deduplicated by value. */
  constant(type: "float" | "int64" | "int8", values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `${type}:${dims.join("x")}:${values.join(",")}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = this.fresh(`const_${type}`);
    const data = type === "float" ? Float32Array.from(values) : type === "int8" ? Int8Array.from(values) : BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializer(name, type, dims, data);
    this.constants.set(key, name);
    return name;
  }

  /** A float scalar constant (rank 0). */
  scalar(value: number): string {
    return this.constant("float", [value], []);
  }

  /** Adds a node; returns its output names (`outputs` of them, named after `op` unless given). */
  node(op: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}, outputs: number | readonly string[] = 1): string[] {
    const names = typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(op)) : [...outputs];
    this.nodes.push({
      opType: op,
      name: this.fresh(`${op}_node`),
      input: [...inputs],
      output: names,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return names;
  }

  /** A one-output node (most ops). */
  op(op: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}, output?: string): string {
    return this.node(op, inputs, attributes, output === undefined ? 1 : [output])[0] as string;
  }

  /** Counts of each op type (for reports and tests). */
  opCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const n of this.nodes) counts[n.opType as string] = (counts[n.opType as string] ?? 0) + 1;
    return counts;
  }

  /** The serialised `ModelProto` (IR version 8 reads opsets up to 18). */
  encode(options: { opset: number; producer?: string; metadata?: Record<string, string> }): Uint8Array {
    const { opset, producer = "llm-course", metadata = {} } = options;
    const model: onnx.IModelProto = {
      irVersion: 8,
      producerName: producer,
      producerVersion: "0.1.0",
      opsetImport: [{ domain: "", version: opset }],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}

/** Parses an encoded model (tests and reports: op types, initializer sizes). */
export function decodeOnnxModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
