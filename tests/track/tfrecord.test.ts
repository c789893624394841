import { test } from "node:test";
import assert from "node:assert/strict";
import { frameRecord, readRecords, RECORD_OVERHEAD, maskedCrc32c } from "../../lib/track";

const bytes = (text: string) => new TextEncoder().encode(text);
const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

test("a framed record is length, masked CRC of the length, data, masked CRC of the data (little-endian)", () => {
  const data = bytes("hello");
  const framed = frameRecord(data);
  assert.equal(framed.length, RECORD_OVERHEAD + 5);
  const view = new DataView(framed.buffer);
  assert.equal(view.getBigUint64(0, true), 5n);
  assert.equal(view.getUint32(8, true), maskedCrc32c(framed.subarray(0, 8)));
  assert.deepEqual(framed.subarray(12, 17), data);
  assert.equal(view.getUint32(17, true), maskedCrc32c(data));
});

test("records read back in order, empty records included", () => {
  const records = ["a", "", "three", "x".repeat(1000)].map(bytes);
  const scan = readRecords(concat(records.map(frameRecord)));
  assert.deepEqual(scan.records, records);
  assert.deepEqual(scan.offsets, [0, 17, 33, 54]);
  assert.equal(scan.tornBytes, 0);
});

test("a torn last record (a writer killed mid-write) is reported, not an error; the records before it stay", () => {
  const whole = concat([frameRecord(bytes("one")), frameRecord(bytes("two"))]);
  for (const cut of [1, 5, 12, 14, whole.length - 20]) {
    const scan = readRecords(whole.subarray(0, whole.length - cut));
    assert.deepEqual(scan.records.map((r) => new TextDecoder().decode(r)), ["one"], `cut ${cut}`);
    assert.equal(scan.tornBytes, 19 - cut, `cut ${cut}`);
  }
});

test("a changed byte is a CRC error naming the file and the record's byte offset", () => {
  const whole = concat([frameRecord(bytes("one")), frameRecord(bytes("two"))]);
  const data = whole.slice();
  data[32] = (data[32] as number) ^ 1; // in the second record's data (19 + 12 + 1)
  assert.throws(() => readRecords(data, "run/tb/events.out.tfevents.1"), /^Error: run\/tb\/events\.out\.tfevents\.1: record at byte 19: data CRC mismatch/);
  const length = whole.slice();
  length[19] = (length[19] as number) ^ 1; // in the second record's length
  assert.throws(() => readRecords(length, "f"), /f: record at byte 19: length CRC mismatch/);
});
