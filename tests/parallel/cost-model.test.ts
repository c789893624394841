// The α–β cost model: ring collectives, and the step time of data, tensor and pipeline parallelism.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BERT_BASE } from "../../lib/model";
import { bertWorkload, LINKS, predictDataParallel, predictPipelineParallel, predictTensorParallel, ringAllReduceSeconds, ringGatherSeconds } from "../../lib/parallel";

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

test("ring all-reduce: 2(N−1)/N·bytes/β + 2(N−1)·α; nothing for one rank; reduce-scatter is half", () => {
  const link = { bandwidth: 100e9, latency: 5e-6 };
  close(ringAllReduceSeconds(1e9, 8, link), (2 * 7 / 8) * 0.01 + 14 * 5e-6);
  assert.equal(ringAllReduceSeconds(1e9, 1, link), 0);
  close(ringGatherSeconds(1e9, 8, link), (7 / 8) * 0.01 + 7 * 5e-6);
  // the bandwidth term saturates at 2·bytes/β as N grows: ring all-reduce is bandwidth-optimal
  assert.ok(ringAllReduceSeconds(1e9, 1024, { bandwidth: 100e9, latency: 0 }) < 2 * 0.01);
});

test("BERT-Base workload: 110M-class parameter count and 6·P·tokens-order FLOPs", () => {
  const w = bertWorkload(BERT_BASE, 32, 128);
  assert.ok(w.params > 108e6 && w.params < 111e6, `${w.params}`);
  assert.ok(w.flops > 6 * 85e6 * 32 * 128 && w.flops < 6 * 110e6 * 32 * 128, `${w.flops}`);
});

test("predictions: data parallel efficiency falls with N and slower links; pipeline efficiency is 1 − bubble without comm; tensor parallel pays 4 all-reduces per layer", () => {
  const w = bertWorkload(BERT_BASE, 32, 128);
  const rate = 100e12;
  const fast = predictDataParallel(w, 8, rate, LINKS.nvlink3), slow = predictDataParallel(w, 8, rate, LINKS.pcie4);
  assert.ok(fast.efficiency > slow.efficiency && slow.efficiency < 1);
  assert.equal(predictDataParallel(w, 1, rate, LINKS.nvlink3).efficiency, 1);
  const free = { bandwidth: Infinity, latency: 0 };
  close(predictPipelineParallel(w, 4, 12, rate, free).efficiency, 1 - 3 / 15);
  const tp = predictTensorParallel(w, 2, rate, LINKS.nvlink3);
  close(tp.commSeconds, 4 * 12 * ringAllReduceSeconds(32 * 128 * 768 * 2, 2, LINKS.nvlink3));
});
