import { test } from "node:test";
import assert from "node:assert/strict";
import { mimeBundleOf } from "../../kernel/src/mime";

test("a plain value is text/plain as console.log prints it", () => {
  assert.deepEqual(mimeBundleOf({ a: [1, 2] }), { "text/plain": "{ a: [ 1, 2 ] }" });
  assert.deepEqual(mimeBundleOf("s"), { "text/plain": "'s'" });
});

test("toMimeBundle() chooses the rich entries; non-MIME keys and undefined entries are dropped", () => {
  const value = { toMimeBundle: () => ({ "application/json": { x: 1 }, note: "not a mime type", "text/html": undefined }) };
  const bundle = mimeBundleOf(value);
  assert.deepEqual(Object.keys(bundle).sort(), ["application/json", "text/plain"]);
  assert.deepEqual(bundle["application/json"], { x: 1 });
});

test("a throwing or malformed toMimeBundle() falls back to text/plain with a note, never throws", () => {
  const throwing = { toMimeBundle: () => { throw new Error("broken figure"); } };
  assert.match(String(mimeBundleOf(throwing)["text/plain"]), /toMimeBundle\(\) threw: broken figure/);
  assert.match(String(mimeBundleOf({ toMimeBundle: () => "html" })["text/plain"]), /not a \{ mimeType: content \} object/);
});
