/**
 * The IDX file format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): big-endian,
 *   bytes 0–1 zero, byte 2 the element type (0x08 = unsigned byte), byte 3 the number of dimensions `d`,
 *   then `d` uint32 sizes, then the elements in row-major order.
 * Labels are `0x00000801` (one dimension), images `0x00000803` (count, rows, columns).
 * Plain arrays in, plain arrays out; gzip is `node:zlib`'s.
 */
import { gunzipSync } from "node:zlib";
import { DataFormatError } from "./errors";

/** A parsed IDX file: its dimensions and its unsigned bytes (a view into the input, not a copy). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses IDX bytes (already decompressed) of element type unsigned byte.
 * @param file named in errors
 * @throws DataFormatError on a bad magic number, an element type other than 0x08, or a size that does not match
 */
export function parseIdx(bytes: Uint8Array, options: { file?: string } = {}): IdxArray {
  const { file = "<idx>" } = options;
  if (bytes.length < 4) throw new DataFormatError(file, 0, `only ${bytes.length} bytes: not an IDX file (it starts with a 4-byte magic number).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new DataFormatError(file, 0, `magic number starts ${bytes[0]}, ${bytes[1]}, not 0, 0: not an IDX file (was it gzip-compressed? use decodeIdx).`);
  if (bytes[2] !== 0x08) throw new DataFormatError(file, 0, `element type 0x${(bytes[2] as number).toString(16)} is not 0x08 (unsigned byte), the only type MNIST-style files use.`);
  const rank = bytes[3] as number;
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) throw new DataFormatError(file, 0, `header declares ${rank} dimensions but the file has ${bytes.length} bytes.`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== size) throw new DataFormatError(file, 0, `dimensions [${dims}] need ${size} bytes of data after the ${header}-byte header, found ${bytes.length - header} (truncated download?).`);
  return { dims, data: bytes.subarray(header) };
}

/** Reads and parses one IDX file, gunzipping it first when it is gzip-compressed (magic `1f 8b`). */
export function decodeIdx(raw: Uint8Array, options: { file?: string } = {}): IdxArray {
  const gz = raw[0] === 0x1f && raw[1] === 0x8b;
  return parseIdx(gz ? new Uint8Array(gunzipSync(raw)) : raw, options);
}
