import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32c, maskCrc, maskedCrc32c, unmaskCrc } from "../../lib/track";

test("CRC-32C matches RFC 3720 §B.4's test vectors and the '123456789' check value", () => {
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(ascending), 0x46dd794e);
  assert.equal(crc32c(ascending.slice().reverse()), 0x113fdb5c);
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

test("the mask is TensorFlow's: rotate right 15, add 0xa282ead8; unmask undoes it", () => {
  // By hand: 0xe3069283 rotated right by 15 is 0x2507c60d; + 0xa282ead8 = 0xc78ab0e5 (mod 2^32).
  assert.equal(maskCrc(0xe3069283), 0xc78ab0e5);
  assert.equal(maskedCrc32c(new TextEncoder().encode("123456789")), 0xc78ab0e5);
  for (const crc of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678]) {
    assert.equal(unmaskCrc(maskCrc(crc)), crc);
    assert.ok(maskCrc(crc) >= 0 && maskCrc(crc) <= 0xffffffff);
  }
});
