import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { patchify, unpatchify } from "../../lib/vision/patches";

test("a 4×4 image in 2×2 patches: numbered row by row, each patch's pixels row-major", () => {
  // pixel value = 10·row + col
  const image = Array.from({ length: 16 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
  const patches = tf.tidy(() => patchify(tf.tensor4d(image, [1, 4, 4, 1]), 2).arraySync());
  assert.deepEqual(patches, [[
    [0, 1, 10, 11],
    [2, 3, 12, 13],
    [20, 21, 30, 31],
    [22, 23, 32, 33],
  ]]);
});

test("channels stay together inside a patch, unpatchify inverts patchify, no tensor leaks", () => {
  const before = tf.memory().numTensors;
  const values = Array.from({ length: 2 * 4 * 6 * 3 }, (_, i) => i);
  const [first, back] = tf.tidy(() => {
    const x = tf.tensor4d(values, [2, 4, 6, 3]);
    const p = patchify(x, 2); // [2, 6, 12]
    assert.deepEqual(p.shape, [2, 6, 12]);
    return [p.slice([0, 0, 0], [1, 1, 6]).dataSync().slice(), unpatchify(p, 2, [4, 6], 3).dataSync().slice()];
  });
  assert.deepEqual(Array.from(first), [0, 1, 2, 3, 4, 5]); // pixel (0,0) RGB then (0,1) RGB
  assert.deepEqual(Array.from(back), values);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => tf.tidy(() => patchify(tf.zeros([1, 5, 4, 1]) as tf.Tensor4D, 2)), /patch size 2 does not divide the 5×4 image; resize/);
});
