const lib = require("@llm-course/lib");
(async () => {
  await lib.initBackend({ backend: "wasm" });
  const cfg = { ...lib.BERT_TINY, vocabSize: 512, hiddenSize: 32, numHeads: 4, intermediateSize: 64, numLayers: 2, maxPositions: 16, hiddenDropout: 0, attentionDropout: 0 };
  const rows = lib.syntheticMlmRows(cfg, 4, 16, 3);
  const tr = await lib.DataParallelTrainer.start(lib.MLM_PARALLEL_TASK, cfg, { workers: 2 });
  await tr.step(rows, 1e-3); await tr.close();
  console.log("dp done");
  const params = lib.initialParams(cfg, 0);
  const t = setTimeout(() => { console.log("HUNG"); process.exit(3); }, 60000);
  const m = await lib.measureRecompute(params, rows, cfg, false);
  console.log("profile ok", m.peakBytes); clearTimeout(t);
})();
