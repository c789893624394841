// Reads the real Fashion-MNIST from the registry (the mirror on course machines, checksums verified).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { FASHION_MNIST_LABELS, loadFashionMnist, takeImages } from "../../lib/data/fashion-mnist";

test("Fashion-MNIST: 60,000 + 10,000 images of 28×28, 6,000 / 1,000 per class, the authors' decompressed bytes", async () => {
  const data = await loadFashionMnist();
  assert.deepEqual([data.train.count, data.train.rows, data.train.cols, data.test.count], [60000, 28, 28, 10000]);
  assert.equal(data.labels.length, 10);
  assert.equal(data.labels[9], FASHION_MNIST_LABELS[9]);
  for (const [split, per] of [[data.train, 6000], [data.test, 1000]] as const) {
    const counts = new Array(10).fill(0);
    for (const l of split.labels) counts[l]++;
    assert.deepEqual(counts, new Array(10).fill(per));
  }
  // SOURCE.md's sha256 of the decompressed IDX bodies' files (header + body): the test labels.
  const header = Buffer.from([0, 0, 8, 1, 0, 0, 0x27, 0x10]);
  const labels = createHash("sha256").update(header).update(data.test.labels).digest("hex");
  assert.equal(labels, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");
  const small = takeImages(data.train, 5);
  assert.deepEqual([small.count, small.pixels.length, small.labels.length], [5, 5 * 784, 5]);
});
