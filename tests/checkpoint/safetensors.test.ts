// safetensors: our writer round-trips, a file assembled byte by byte from the published spec reads correctly
// (F32, F16, BF16, I64, metadata, space padding), and malformed files are refused naming the file and tensor.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSafetensors, encodeSafetensors, halfToFloat, readSafetensors, writeSafetensors, type SafetensorsInput } from "../../lib/checkpoint";

/** A file from its parts, exactly as the spec lays it out: u64 LE header length, header bytes, data bytes. */
function assemble(header: string, data: number[]): Uint8Array {
  const json = Buffer.from(header, "utf8");
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const le32 = (bits: number) => [bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff];
const le16 = (bits: number) => [bits & 0xff, (bits >>> 8) & 0xff];
const le64 = (n: number) => [...le32(n), ...le32(n < 0 ? 0xffffffff : 0)];

test("round trip: F32, I32 and I64 tensors and metadata come back equal", () => {
  const tensors = new Map<string, SafetensorsInput>([
    ["b.weight", { dtype: "F32", shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-8, -0, 65504.25]) }],
    ["a.ids", { dtype: "I64", shape: [4], data: [0, 1, -7, 2147483647] }],
    ["c.small", { dtype: "I32", shape: [1, 2], data: Int32Array.from([-5, 9]) }],
    ["scalar", { dtype: "F32", shape: [], data: [0.25] }],
    ["empty", { dtype: "F32", shape: [0, 4], data: [] }],
  ]);
  const bytes = encodeSafetensors(tensors, { format: "pt" });
  const file = decodeSafetensors(bytes, "roundtrip.safetensors");
  assert.deepEqual(file.metadata, { format: "pt" });
  for (const [name, input] of tensors) {
    const read = file.tensors.get(name);
    assert.ok(read, name);
    assert.equal(read.dtype, input.dtype);
    assert.deepEqual(read.shape, [...input.shape]);
    assert.deepEqual([...read.data], [...input.data].map((v) => (input.dtype === "F32" ? Math.fround(v) : v)));
  }
});

test("writer: the data section starts 8-byte aligned and the same tensors give the same bytes in any order", () => {
  const a: [string, SafetensorsInput] = ["x", { dtype: "F32", shape: [3], data: [1, 2, 3] }];
  const b: [string, SafetensorsInput] = ["y.longer.name", { dtype: "I32", shape: [1], data: [4] }];
  const one = encodeSafetensors(new Map([a, b]));
  const two = encodeSafetensors(new Map([b, a]));
  assert.deepEqual(one, two);
  const headerLength = Number(new DataView(one.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLength) % 8, 0);
  assert.equal(one[8], "{".charCodeAt(0));
});

test("reads a file assembled by hand from the spec (F32, F16, BF16, I64, metadata, space padding)", () => {
  // Offsets relative to the data section: a F32[2] 0..8, h F16[2,2] 8..16, b BF16[3] 16..22, p I64[3] 22..46.
  const header =
    '{"__metadata__":{"format":"pt","note":"hand-made"},' +
    '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
    '"h":{"dtype":"F16","shape":[2,2],"data_offsets":[8,16]},' +
    '"b":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]},' +
    '"p":{"dtype":"I64","shape":[3],"data_offsets":[22,46]}}' +
    "     "; // trailing spaces: the padding the spec allows
  const data = [
    ...le32(0x3f800000), ...le32(0xc0200000), // F32 1.0, -2.5
    ...le16(0x3c00), ...le16(0xc000), ...le16(0x7bff), ...le16(0x0001), // F16 1, -2, 65504, 2^-24 (subnormal)
    ...le16(0x3f80), ...le16(0xbf00), ...le16(0x4049), // BF16 1, -0.5, 3.140625
    ...le64(0), ...le64(1), ...le64(511), // I64 position ids
  ];
  const file = decodeSafetensors(assemble(header, data), "hand.safetensors");
  assert.deepEqual(file.metadata, { format: "pt", note: "hand-made" });
  assert.deepEqual([...file.tensors.keys()], ["a", "h", "b", "p"]);
  assert.deepEqual([...(file.tensors.get("a")?.data ?? [])], [1, -2.5]);
  assert.deepEqual(file.tensors.get("h")?.shape, [2, 2]);
  assert.deepEqual([...(file.tensors.get("h")?.data ?? [])], [1, -2, 65504, 2 ** -24]);
  assert.deepEqual([...(file.tensors.get("b")?.data ?? [])], [1, -0.5, 3.140625]);
  assert.ok(file.tensors.get("p")?.data instanceof Int32Array);
  assert.deepEqual([...(file.tensors.get("p")?.data ?? [])], [0, 1, 511]);
});

test("F16 conversion handles zero, infinity, NaN and the largest subnormal", () => {
  assert.equal(halfToFloat(0x0000), 0);
  assert.ok(Object.is(halfToFloat(0x8000), -0));
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.equal(halfToFloat(0xfc00), -Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  assert.equal(halfToFloat(0x03ff), 1023 * 2 ** -24);
  assert.equal(halfToFloat(0x3555), 0.333251953125);
});

/** Asserts that decoding `bytes` throws a message containing every fragment. */
function rejects(bytes: Uint8Array, ...fragments: string[]): void {
  assert.throws(
    () => decodeSafetensors(bytes, "bad.safetensors"),
    (error: Error) => {
      for (const fragment of ["bad.safetensors", ...fragments]) assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
      return true;
    },
  );
}

const entry = (name: string, dtype: string, shape: number[], offsets: [number, number]) => `"${name}":{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;

test("refuses truncated files", () => {
  rejects(new Uint8Array([1, 0, 0]), "truncated");
  rejects(assemble('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]).subarray(0, 20), "truncated");
  rejects(assemble(`{${entry("w", "F32", [2], [0, 8])}}`, [0, 0, 128, 63]), 'tensor "w"', "past the end");
});

test("refuses a header that is not a JSON object, or absurdly long", () => {
  rejects(assemble('{"a": oops}', []), "not valid JSON");
  rejects(assemble("[1, 2]", []), 'must start with "{"');
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
  rejects(huge, "100 MB");
});

test("refuses unknown dtypes and shapes that disagree with the offsets", () => {
  rejects(assemble(`{${entry("w", "F8", [1], [0, 1])}}`, [0]), 'tensor "w"', "unknown dtype");
  rejects(assemble(`{${entry("w", "F32", [3], [0, 8])}}`, Array(8).fill(0)), 'tensor "w"', "needs 12");
  rejects(assemble(`{${entry("w", "F32", [-1], [0, 4])}}`, Array(4).fill(0)), 'tensor "w"', "shape");
});

test("refuses overlapping offsets, holes, and bytes after the last tensor", () => {
  rejects(assemble(`{${entry("a", "F32", [2], [0, 8])},${entry("b", "F32", [1], [4, 8])}}`, Array(8).fill(0)), 'tensor "b"', "overlap", '"a"');
  rejects(assemble(`{${entry("a", "F32", [1], [0, 4])},${entry("b", "F32", [1], [8, 12])}}`, Array(12).fill(0)), 'tensor "b"', "hole");
  rejects(assemble(`{${entry("a", "F32", [1], [0, 4])}}`, Array(8).fill(0)), "4 bytes after the last tensor");
  rejects(assemble(`{${entry("a", "F32", [1], [4, 0])}}`, Array(4).fill(0)), 'tensor "a"', "end before");
});

test("refuses an I64 value that does not fit in int32, naming the tensor", () => {
  rejects(assemble(`{${entry("ids", "I64", [1], [0, 8])}}`, [...le32(0), ...le32(1)]), 'tensor "ids"', "does not fit");
});

test("writeSafetensors writes atomically and readSafetensors names a missing file", () => {
  const dir = mkdtempSync(join(tmpdir(), "safetensors-"));
  try {
    const path = join(dir, "w.safetensors");
    writeSafetensors(path, new Map([["w", { dtype: "F32", shape: [2], data: [1, 2] }]]), { metadata: { format: "pt" } });
    assert.deepEqual(readdirSync(dir), ["w.safetensors"]); // no temp file left
    assert.deepEqual([...(readSafetensors(path).tensors.get("w")?.data ?? [])], [1, 2]);
    assert.throws(() => readSafetensors(join(dir, "nope.safetensors")), /nope\.safetensors: no such file/);
    assert.throws(() => writeSafetensors(path, new Map([["w", { dtype: "F32", shape: [3], data: [1, 2] }]])), /tensor "w" has 2 values but shape \[3\] needs 3/);
    assert.deepEqual([...(readSafetensors(path).tensors.get("w")?.data ?? [])], [1, 2]); // the old file survives a failed write
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
