// lib/peft/bottleneck.ts: Houlsby and Pfeiffer adapters, identity at init (W_up = 0), frozen base, files.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { Bottleneck } from "../../lib/peft";
import { methodContract, quietConfig } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

methodContract("Houlsby adapters", (c) => new Bottleneck(c, { reductionFactor: 4 }, new Rng(1)), { identityAtInit: true });
methodContract("Pfeiffer adapters", (c) => new Bottleneck(c, { placement: "pfeiffer", reductionFactor: 4 }, new Rng(1)), { identityAtInit: true });

test("Houlsby places two adapters per layer, Pfeiffer one (after the FFN); m = H / reductionFactor", () => {
  const houlsby = new Bottleneck(quietConfig(), { reductionFactor: 4 }, new Rng(1));
  const pfeiffer = new Bottleneck(quietConfig(), { placement: "pfeiffer", reductionFactor: 4 }, new Rng(1));
  try {
    assert.equal(houlsby.size, 4);
    assert.equal(houlsby.params.size, 2 * 2 * 4);
    assert.equal(pfeiffer.params.size, 2 * 4);
    assert.ok([...pfeiffer.params.keys()].every((k) => !k.includes("attention")));
    assert.deepEqual(houlsby.stateDict().get("base_model.model.bert.encoder.layer.0.attention.output.adapter_down.weight")?.shape, [4, 16]);
    assert.deepEqual(houlsby.stateDict().get("base_model.model.bert.encoder.layer.1.output.adapter_up.weight")?.shape, [16, 4]);
  } finally {
    houlsby.dispose();
    pfeiffer.dispose();
  }
});
