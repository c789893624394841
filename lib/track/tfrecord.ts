/**
 * TFRecord framing, the container of TensorBoard event files (`tsl/lib/io/record_writer.cc`):
 *
 *   uint64 length          (little-endian)
 *   uint32 masked_crc32c(length bytes)
 *   byte   data[length]
 *   uint32 masked_crc32c(data)
 *
 * Records are only ever appended, so a writer killed mid-record leaves every earlier record intact and at most one
 * torn record at the end; `readRecords` reports such a tail instead of failing, the way TensorBoard's loader
 * waits for the rest of a record that is still being written.
 */
import { maskedCrc32c } from "./crc32c";

/** Bytes of framing around each record: 8 (length) + 4 (its CRC) + 4 (the data's CRC). */
export const RECORD_OVERHEAD = 16;

/** One record framed for appending to a TFRecord file. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_OVERHEAD + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** What `readRecords` found: the complete records, and how the file ended. */
export interface RecordScan {
  /** Each complete record's data, in file order (views into the input). */
  records: Uint8Array[];
  /** Byte offset of each record's header in the file. */
  offsets: number[];
  /** Bytes at the end that do not yet form a whole record (a writer killed or still writing); 0 for a clean end. */
  tornBytes: number;
}

/**
 * Splits a TFRecord file into its records, checking both CRCs of each.
 * @param bytes the whole file
 * @param file the file's name, for errors
 * @throws `<file>: record at byte N: length CRC mismatch …` or `… data CRC mismatch …` on a corrupted record (the
 * file was changed after it was written: a torn tail is not an error, see `tornBytes`)
 */
export function readRecords(bytes: Uint8Array, file = "<bytes>"): RecordScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 12) break;
    const length = view.getBigUint64(at, true);
    const lengthCrc = view.getUint32(at + 8, true);
    if (maskedCrc32c(bytes.subarray(at, at + 8)) !== lengthCrc) throw new Error(`${file}: record at byte ${at}: length CRC mismatch (the file is corrupted after byte ${at}; keep the records before it, or delete the file)`);
    const end = at + RECORD_OVERHEAD + Number(length);
    if (end > bytes.length) break;
    const data = bytes.subarray(at + 12, end - 4);
    if (maskedCrc32c(data) !== view.getUint32(end - 4, true)) throw new Error(`${file}: record at byte ${at}: data CRC mismatch (the file is corrupted after byte ${at}; keep the records before it, or delete the file)`);
    records.push(data);
    offsets.push(at);
    at = end;
  }
  return { records, offsets, tornBytes: bytes.length - at };
}
