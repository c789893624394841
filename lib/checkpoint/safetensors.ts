/**
 * The safetensors format (https://huggingface.co/docs/safetensors, "Format"), written and read in plain
 * TypeScript — typed arrays in, typed arrays out, no tensors:
 *
 *   [8 bytes]  N, the header length, an unsigned little-endian 64-bit integer
 *   [N bytes]  UTF-8 JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 *              "__metadata__": {"key": "value"}}, padded with spaces (0x20) so the data starts 8-byte aligned
 *   [rest]     the tensors' bytes, little-endian, row-major; offsets count from the start of this section
 *
 * The reader enforces the spec's rules: offsets in range, `end − begin` equal to the shape's byte size, and the
 * data section covered exactly once (no overlaps, no holes, nothing after the last tensor), so a file is
 * either read whole or refused with an error naming the file and the tensor.
 */
import { existsSync, readFileSync } from "node:fs";
import { endianness } from "node:os";
import { writeFileAtomic } from "../core/atomic";

/** Every dtype of the spec. F64/F32/F16/BF16 read as `Float32Array`; integers and BOOL as `Int32Array`. */
export const SAFETENSORS_DTYPES = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL"] as const;
/** A dtype name as the header spells it. */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** Bytes per element of each dtype. */
const ITEM_SIZE: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1 };

/** The spec's cap on the header (100 MB): a larger length is a corrupt or hostile file, not a big model. */
const MAX_HEADER_BYTES = 100_000_000;

/** A tensor to write: F32 from float data, I32/I64 from integer data (I64 values must be safe integers). */
export interface SafetensorsInput {
  dtype: "F32" | "I32" | "I64";
  shape: readonly number[];
  data: Float32Array | Int32Array | readonly number[];
}

/** A tensor read back: `dtype` as stored, `data` converted to float32 (float dtypes) or int32 (the others). */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A whole file: its tensors in header order and the `__metadata__` string map (empty when absent). */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** One header entry, before the data is decoded. */
export interface SafetensorsHeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** `[begin, end)` in bytes, relative to the data section. */
  dataOffsets: [number, number];
}

function assertLittleEndian(): void {
  // Typed arrays use the host's byte order; every platform Node ships for is little-endian.
  if (endianness() !== "LE") throw new Error("safetensors: this reader assumes a little-endian host");
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/**
 * Serialises `tensors` (written in sorted name order, so the same tensors give the same bytes) and
 * `metadata` into one safetensors buffer.
 * @throws naming the tensor on a shape/data length mismatch or an integer that the dtype cannot hold
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, SafetensorsInput>, metadata: Record<string, string> = {}): Uint8Array {
  assertLittleEndian();
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") throw new Error(`safetensors: "__metadata__" is reserved; rename that tensor`);
    const tensor = tensors.get(name) as SafetensorsInput;
    const shape = [...tensor.shape];
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`safetensors: tensor "${name}" has a bad shape [${shape.join(", ")}]`);
    const count = elementCount(shape);
    if (tensor.data.length !== count) {
      throw new Error(`safetensors: tensor "${name}" has ${tensor.data.length} values but shape [${shape.join(", ")}] needs ${count}`);
    }
    const bytes = encodeData(name, tensor.dtype, tensor.data);
    header[name] = { dtype: tensor.dtype, shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), "utf8");
  const padded = Math.ceil(json.byteLength / 8) * 8; // spaces so the data section starts 8-byte aligned
  if (padded > json.byteLength) json = Buffer.concat([json, Buffer.alloc(padded - json.byteLength, 0x20)]);
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function encodeData(name: string, dtype: SafetensorsInput["dtype"], data: SafetensorsInput["data"]): Uint8Array {
  if (dtype === "F32") {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  }
  if (dtype === "I32") {
    for (const v of data) if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new Error(`safetensors: tensor "${name}" holds ${v}, not an int32`);
    const values = data instanceof Int32Array ? data : Int32Array.from(data);
    return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  }
  if (dtype === "I64") {
    const values = new BigInt64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (!Number.isSafeInteger(v)) throw new Error(`safetensors: tensor "${name}" holds ${v}, not a safe integer for I64`);
      values[i] = BigInt(v);
    }
    return new Uint8Array(values.buffer);
  }
  throw new Error(`safetensors: cannot write dtype ${String(dtype)} for tensor "${name}" (write F32, I32 or I64)`);
}

/**
 * Writes a safetensors file atomically: to `<path>.tmp-<pid>`, then renamed over `path`, so a crash never
 * leaves a half-written file under the real name.
 */
export function writeSafetensors(path: string, tensors: ReadonlyMap<string, SafetensorsInput>, options: { metadata?: Record<string, string> } = {}): void {
  const { metadata = {} } = options;
  const bytes = encodeSafetensors(tensors, metadata);
  writeFileAtomic(path, bytes);
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/**
 * Parses and validates the header of a safetensors buffer.
 * @param file the file's path or display name, used in every error message
 * @returns the entries (in header order), the metadata, and where the data section starts
 * @throws on a truncated file, bad JSON, an unknown dtype, a bad shape, or offsets that are out of range,
 *   overlap, leave holes, or disagree with the shape
 */
export function parseSafetensorsHeader(bytes: Uint8Array, file = "<buffer>"): { entries: Map<string, SafetensorsHeaderEntry>; metadata: Record<string, string>; dataStart: number } {
  const fail = (message: string): never => {
    throw new Error(`${file}: ${message}`);
  };
  if (bytes.byteLength < 8) fail(`truncated: ${bytes.byteLength} bytes, fewer than the 8-byte header length (is this a safetensors file?)`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} exceeds the spec's 100 MB limit (corrupt file, or not safetensors)`);
  const n = Number(headerLength);
  if (n < 2) fail(`header length ${n} is too small to hold a JSON object`);
  if (8 + n > bytes.byteLength) fail(`truncated: the header claims ${n} bytes but only ${bytes.byteLength - 8} follow the length (re-download or re-save it)`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail("header is not valid UTF-8");
  }
  if (!text.startsWith("{")) fail(`header must start with "{", found ${JSON.stringify(text.slice(0, 16))}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) return fail("header must be a JSON object");

  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries = new Map<string, SafetensorsHeaderEntry>();
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail(`"__metadata__" must be an object of strings`);
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== "string") fail(`"__metadata__.${key}" must be a string, got ${JSON.stringify(value)}`);
        metadata[key] = value as string;
      }
      continue;
    }
    const where = `tensor "${name}"`;
    if (raw === null || typeof raw !== "object") fail(`${where}: entry must be an object with dtype, shape, data_offsets`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== "string" || !(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
      fail(`${where}: unknown dtype ${JSON.stringify(dtype)} (expected one of ${SAFETENSORS_DTYPES.join(", ")})`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`${where}: data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLength) fail(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes): the file is truncated or corrupt`);
    const expected = elementCount(shape as number[]) * ITEM_SIZE[dtype as SafetensorsDtype];
    if (end - begin !== expected) fail(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes but ${dtype} [${(shape as number[]).join(", ")}] needs ${expected}`);
    entries.set(name, { dtype: dtype as SafetensorsDtype, shape: shape as number[], dataOffsets: [begin, end] });
  }

  // The spec: the data section is covered exactly once — sorted by begin, each tensor starts where the last ended.
  const spans = [...entries].sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let covered = 0;
  let previous = "";
  for (const [name, { dataOffsets: [begin, end] }] of spans) {
    if (begin < covered) fail(`tensor "${name}": data_offsets [${begin}, ${end}] overlap tensor "${previous}" (which ends at ${covered})`);
    if (begin > covered) fail(`tensor "${name}": data_offsets start at ${begin}, leaving a hole of ${begin - covered} bytes after ${previous ? `tensor "${previous}"` : "the header"}`);
    covered = end;
    previous = name;
  }
  if (covered !== dataLength) fail(`${dataLength - covered} bytes after the last tensor are not described by the header (corrupt file or wrong header)`);
  return { entries, metadata, dataStart };
}

/**
 * Decodes a whole safetensors buffer: float dtypes become `Float32Array` (F16 and BF16 widened exactly, F64
 * rounded), integer dtypes and BOOL become `Int32Array` (64-bit values must fit in int32).
 * @param file the file's path or display name, used in error messages
 */
export function decodeSafetensors(bytes: Uint8Array, file = "<buffer>"): SafetensorsFile {
  assertLittleEndian();
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, file);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, entry] of entries) {
    const [begin, end] = entry.dataOffsets;
    // A copy (not `slice`, which on a Node Buffer is a view): aligned, and independent of the file's buffer.
    const raw = new Uint8Array(end - begin);
    raw.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { dtype: entry.dtype, shape: entry.shape, data: decodeData(raw, entry.dtype, `${file}: tensor "${name}"`) });
  }
  return { tensors, metadata };
}

/** Reads and decodes a safetensors file (see `decodeSafetensors`); errors name the path and the tensor. */
export function readSafetensors(path: string): SafetensorsFile {
  if (!existsSync(path)) throw new Error(`${path}: no such file (expected a safetensors file)`);
  return decodeSafetensors(readFileSync(path), path);
}

/** IEEE half → float: sign, 5-bit exponent (bias 15), 10-bit mantissa; subnormals, ±Inf and NaN kept. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal: 0.mantissa × 2^−14
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function decodeData(raw: Uint8Array, dtype: SafetensorsDtype, where: string): Float32Array | Int32Array {
  const buffer = raw.buffer; // `raw` is a fresh copy: offset 0, aligned
  switch (dtype) {
    case "F32":
      return new Float32Array(buffer);
    case "F64":
      return Float32Array.from(new Float64Array(buffer));
    case "F16": {
      const halves = new Uint16Array(buffer);
      const out = new Float32Array(halves.length);
      for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i] as number);
      return out;
    }
    case "BF16": {
      // bfloat16 is the top half of a float32: shift the 16 bits up and reinterpret.
      const halves = new Uint16Array(buffer);
      const words = new Uint32Array(halves.length);
      for (let i = 0; i < halves.length; i++) words[i] = (halves[i] as number) << 16;
      return new Float32Array(words.buffer);
    }
    case "I32":
      return new Int32Array(buffer);
    case "I16":
      return Int32Array.from(new Int16Array(buffer));
    case "I8":
      return Int32Array.from(new Int8Array(buffer));
    case "U16":
      return Int32Array.from(new Uint16Array(buffer));
    case "U8":
    case "BOOL":
      return Int32Array.from(new Uint8Array(buffer));
    case "U32":
    case "I64":
    case "U64": {
      const wide = dtype === "U32" ? new Uint32Array(buffer) : dtype === "I64" ? new BigInt64Array(buffer) : new BigUint64Array(buffer);
      const out = new Int32Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = Number(wide[i]);
        if (v < -2147483648 || v > 2147483647) throw new Error(`${where}: ${dtype} value ${String(wide[i])} at index ${i} does not fit in int32`);
        out[i] = v;
      }
      return out;
    }
  }
}
