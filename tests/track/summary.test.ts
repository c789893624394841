import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeEvent, encodeEvent, histogramOf, textValue } from "../../lib/track";
import { Rng } from "../../lib/core/rng";

test("histogram: equal-width buckets from min to max, each value counted once in the bucket that holds it", () => {
  const h = histogramOf([0, 1, 1, 2, 3, 4], 4);
  assert.deepEqual(h.bucket_limit, [1, 2, 3, 4]);
  assert.deepEqual(h.bucket, [3, 1, 1, 1], "(−∞, 1] holds 0, 1, 1; a value on a limit belongs to the bucket ending there");
  assert.deepEqual([h.min, h.max, h.num, h.sum, h.sum_squares], [0, 4, 6, 11, 31]);
});

test("histogram: buckets sum to the count and bracket every value, on random normal weights", () => {
  const rng = new Rng(5);
  const values = Float32Array.from({ length: 10_000 }, () => rng.normal() * 0.02);
  const h = histogramOf(values);
  assert.equal(h.bucket.length, 30);
  assert.equal(h.bucket.reduce((a, b) => a + b, 0), h.num);
  assert.equal(h.num, 10_000);
  assert.equal(h.bucket_limit.at(-1), h.max);
  for (let k = 1; k < 30; k++) assert.ok((h.bucket_limit[k] as number) > (h.bucket_limit[k - 1] as number));
  // Recount each bucket from its limits (tolerance: one value per limit may sit on the rounding edge).
  for (let k = 0; k < 30; k++) {
    const low = k === 0 ? -Infinity : (h.bucket_limit[k - 1] as number);
    const inside = values.filter((v) => v > low && v <= (h.bucket_limit[k] as number)).length;
    assert.ok(Math.abs(inside - (h.bucket[k] as number)) <= 1, `bucket ${k}: ${h.bucket[k]} vs ${inside}`);
  }
});

test("histogram: constant values make one bucket; NaN and ±Inf are left out; no values make an empty histogram", () => {
  assert.deepEqual(histogramOf([2, 2, 2]), { min: 2, max: 2, num: 3, sum: 6, sum_squares: 12, bucket_limit: [2], bucket: [3] });
  const h = histogramOf([NaN, 1, Infinity, 3, -Infinity], 2);
  assert.equal(h.num, 2);
  assert.deepEqual(h.bucket, [1, 1]);
  assert.equal(histogramOf([]).num, 0);
  assert.throws(() => histogramOf([1], 0), /bins must be a positive integer, got 0/);
});

test("a text value is a rank-0 DT_STRING tensor for the text plugin, and survives encoding", () => {
  const markdown = "```json\n{\"lr\": 0.001, \"name\": \"bért\"}\n```";
  const event = decodeEvent(encodeEvent({ wall_time: 1, step: 0, summary: { value: [textValue("config", markdown)] } }));
  const value = event.summary?.value[0];
  assert.equal(value?.metadata?.plugin_data?.plugin_name, "text");
  assert.equal(value?.tensor?.dtype, "DT_STRING");
  assert.equal(value?.tensor?.tensor_shape?.dim ?? undefined, undefined);
  assert.equal(new TextDecoder().decode(value?.tensor?.string_val?.[0]), markdown);
});
