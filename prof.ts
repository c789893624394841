import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "./lib/core";
import { BertModel, bertConfig } from "./lib/model";
import { syntheticMlmTask } from "./bench/synthetic-mlm";
import { valueAndGrads } from "./lib/train";
(async () => {
  await initBackend({ backend: "wasm" });
  const config = bertConfig("mini", { vocabSize: 8192, maxPositions: 512 });
  const model = BertModel.init(config, new Rng(0));
  const { task } = syntheticMlmTask(model, config, 16, 128);
  const rng = new Rng(1);
  for (let r = 0; r < 2; r++) {
    const batch = task.nextBatch(rng);
    const info = await tf.profile(() => { const { value, grads } = valueAndGrads(model.params, () => task.loss(batch, rng)); value.dataSync(); tf.dispose([value, ...Object.values(grads)]); });
    if (r === 0) continue;
    const by: Record<string, { ms: number; n: number }> = {};
    for (const k of info.kernels) { if (k.name !== "BatchMatMul" && k.name !== "_FusedMatMul") continue; const key = `${k.name} ${JSON.stringify(k.inputShapes)}`; const e = (by[key] ??= { ms: 0, n: 0 }); e.ms += k.kernelTimeMs as number; e.n++; }
    for (const [k, v] of Object.entries(by).sort((a, b) => b[1].ms - a[1].ms)) console.log(v.ms.toFixed(1), v.n, k);
  }
})();
