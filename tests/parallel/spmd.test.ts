// The SPMD runner and its shared-memory collectives, on 2 and 3 ranks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSpmd, shardRange } from "../../lib/parallel";

const PROGRAM = join(__dirname, "fixtures", "collectives-program.ts");

test("shardRange splits n elements into contiguous slices, the first ranks taking the extra", () => {
  assert.deepEqual([0, 1, 2].map((r) => shardRange(r, 3, 10)), [[0, 4], [4, 7], [7, 10]]);
  assert.deepEqual([0, 1].map((r) => shardRange(r, 2, 1)), [[0, 1], [1, 1]]);
});

test("all-reduce, reduce-scatter, all-gather and send/recv give every rank what MPI would (3 ranks)", async () => {
  const { outputs, stats } = await runSpmd<{ failOn?: number }, Record<string, number[]>>(PROGRAM, {}, { workers: 3, capacity: 16 });
  const sum = [0, 1, 2, 3, 4].map((i) => 60 + 3 * i); // (10+20+30) + 3i
  outputs.forEach((out, r) => {
    assert.deepEqual(out["allReduce"], sum);
    assert.deepEqual(out["reduceScatter"], sum.slice(...shardRange(r, 3, 5)));
    assert.deepEqual(out["allGather"], [0, 0, 1, 1, 2, 2]);
    assert.deepEqual(out["recv"], [((r + 2) % 3) * 100]);
    assert.deepEqual(out["calls"], [1, 1, 1, 1, 1]);
  });
  assert.equal(stats[0]!.wireBytes, (2 * 2 * 5 * 4) / 3 + (2 * 5 * 4) / 3 + 4 * 4 + 4); // ring all-reduce + reduce-scatter + all-gather + one send
});

test("a failing rank rejects the run with its own error, and the others are released", async () => {
  await assert.rejects(runSpmd(PROGRAM, { failOn: 1 }, { workers: 2, capacity: 16 }), /rank 1 of 2 failed .*rank 1 fails on purpose/s);
  await assert.rejects(runSpmd(PROGRAM, {}, { workers: 2, capacity: 2 }), /exceeds the communicator's capacity of 2/);
  await assert.rejects(runSpmd("relative.ts", {}), /must be absolute/);
});
