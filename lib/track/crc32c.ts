/**
 * CRC-32C (Castagnoli) and TensorFlow's *masked* CRC, the checksum of TFRecord framing.
 *
 * The CRC itself comes from SheetJS's `crc-32` package (`crc-32/crc32c`, table-driven, polynomial 0x1EDC6F41
 * reflected as 0x82F63B78); this file adds only the mask. TensorFlow masks the CRCs it stores next to data because
 * "it is problematic to compute the CRC of a string that contains embedded CRCs" (`tsl/lib/hash/crc32c.h`):
 * `masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8` (mod 2³²).
 */
import { buf as crc32cSigned } from "crc-32/crc32c";

/** The constant TensorFlow adds when masking (`kMaskDelta` in `crc32c.h`). */
const MASK_DELTA = 0xa282ead8;

/** CRC-32C of `bytes` as an unsigned 32-bit integer (RFC 3720 §B.4: "123456789" → 0xE3069283). */
export function crc32c(bytes: Uint8Array): number {
  return crc32cSigned(bytes) >>> 0;
}

/** TensorFlow's masked CRC-32C of `bytes` (unsigned 32-bit), as stored in TFRecord files. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc32c(bytes));
}

/** Masks a CRC (unsigned 32-bit in, unsigned 32-bit out): rotate right by 15 bits, add `0xa282ead8`. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Undoes `maskCrc`. */
export function unmaskCrc(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}
