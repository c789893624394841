import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { decodeIdx, parseIdx } from "../../lib/data/idx";
import { imageSplit } from "../../lib/data/fashion-mnist";

/** A hand-made IDX file: magic 0 0 8 rank, big-endian sizes, bytes. */
function idx(dims: number[], data: number[]): Uint8Array {
  const header = [0, 0, 8, dims.length, ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];
  return new Uint8Array([...header, ...data]);
}

test("parses a 2×2×3 images file and a labels file, big-endian sizes, row-major bytes", () => {
  const images = parseIdx(idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
  assert.deepEqual(images.dims, [2, 2, 3]);
  assert.deepEqual([...images.data], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  const big = parseIdx(idx([300], new Array(300).fill(7)));
  assert.deepEqual(big.dims, [300]); // 300 = 0x012C: both size bytes read
});

test("gunzips when the bytes are gzip-compressed, and reads plain IDX as is", () => {
  const raw = idx([3], [9, 8, 7]);
  assert.deepEqual([...decodeIdx(gzipSync(raw)).data], [9, 8, 7]);
  assert.deepEqual([...decodeIdx(raw).data], [9, 8, 7]);
});

test("refuses bad magic, a non-byte element type and a truncated body, naming the file", () => {
  assert.throws(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), { file: "x.idx" }), /x\.idx: magic number starts 1, 0/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), { file: "f.idx" }), /f\.idx: element type 0xd is not 0x08/);
  assert.throws(() => parseIdx(idx([2, 2, 2], [1, 2, 3]), { file: "t.idx" }), /t\.idx: dimensions \[2,2,2\] need 8 bytes .* found 3 \(truncated download\?\)/);
});

test("imageSplit pairs images with labels and refuses mismatches", () => {
  const images = parseIdx(idx([2, 1, 2], [1, 2, 3, 4]));
  const split = imageSplit(images, parseIdx(idx([2], [0, 9])), 10, { images: "i", labels: "l" });
  assert.deepEqual([split.count, split.rows, split.cols], [2, 1, 2]);
  assert.throws(() => imageSplit(images, parseIdx(idx([3], [0, 1, 2])), 10, { images: "i", labels: "l" }), /l: 3 labels for 2 images in i/);
  assert.throws(() => imageSplit(images, parseIdx(idx([2], [0, 10])), 10, { images: "i", labels: "l" }), /l: label 10 of item 1 is not below 10/);
  assert.throws(() => imageSplit(parseIdx(idx([2], [0, 1])), parseIdx(idx([2], [0, 1])), 10, { images: "i", labels: "l" }), /i: expected 3 dimensions/);
});
