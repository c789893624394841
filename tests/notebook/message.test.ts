import { test } from "node:test";
import assert from "node:assert/strict";
import { DELIMITER, decodeMessage, encodeMessage, newMessage, sign } from "../../lib/notebook/message";

const frames = ['{"msg_id":"1"}', "{}", "{}", '{"code":"1+1"}'];

test("sign matches an HMAC-SHA256 computed by Python's hmac module", () => {
  // /usr/bin/python3 -c "import hmac,hashlib; h=hmac.new(b'secret-key',digestmod=hashlib.sha256); [h.update(p) for p in frames]; print(h.hexdigest())"
  assert.equal(sign("secret-key", frames), "f29edc2ae347e99e996cf426a9068abd72bbac08f131d7b7d863f0430600434a");
  assert.equal(sign("secret-key", frames.map((f) => Buffer.from(f))), sign("secret-key", frames));
});

test("an empty key means unsigned messages", () => {
  assert.equal(sign("", frames), "");
});

test("encode then decode gives the message back, with the delimiter and signature frames in place", () => {
  const message = newMessage("execute_request", { code: "1+1" }, "session-1");
  const wire = encodeMessage(message, "k");
  assert.equal(wire[0]!.toString(), DELIMITER);
  assert.equal(wire[1]!.toString(), sign("k", wire.slice(2, 6)));
  const back = decodeMessage([Buffer.from("routing-id"), ...wire], "k");
  assert.deepEqual(back.header, message.header);
  assert.deepEqual(back.content, { code: "1+1" });
  assert.equal(back.header.version, "5.3");
});

test("decode rejects a message signed with another key", () => {
  const wire = encodeMessage(newMessage("status", {}, "s"), "one key");
  assert.throws(() => decodeMessage(wire, "another key"), /bad signature/);
});

test("decode rejects frames without the delimiter", () => {
  assert.throws(() => decodeMessage([Buffer.from("x"), Buffer.from("{}")], "k"), /delimiter/);
});
